"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void-returning
call; a few thousand calls later the interpreter aborts ("none_dealloc").
pyproject.toml pins PySide6-Essentials below 6.12 on Python < 3.12. This test
runs the crashing pattern in a subprocess so that an abort fails the test
instead of killing the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
for i in range(100_000):
    w.resize(100 + i % 7, 100)
print("survived", sys.getrefcount(None) > 0)
"""


def test_100k_void_calls_do_not_abort_the_interpreter() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived True" in proc.stdout
