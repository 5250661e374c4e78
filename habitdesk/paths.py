"""Where HabitDesk keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "HABITDESK_DATA_DIR"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $HABITDESK_DATA_DIR, else the platform's user data folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("HabitDesk", appauthor=False))
