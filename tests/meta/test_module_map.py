"""Where is this module tested? One answer for each: a test file of its name, or tests/MODULE_TESTS.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PACKAGE = TESTS.parent / "habitdesk"


def test_every_module_has_a_home_among_the_tests() -> None:
    mapped = tomllib.loads((TESTS / "MODULE_TESTS.toml").read_text())["map"]
    named = {path.stem.removeprefix("test_") for path in TESTS.rglob("test_*.py")}
    modules = {str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
               if path.name != "__init__.py" and "_resources" not in path.parts}
    homeless = sorted(m for m in modules if Path(m).stem not in named and m not in mapped)
    assert homeless == [], f"give these a test file of their name or a line in tests/MODULE_TESTS.toml: {homeless}"
    assert sorted(set(mapped) - modules) == [], "MODULE_TESTS.toml names modules that are gone"
    missing = sorted(test for tests in mapped.values() for test in tests if not (TESTS / test).is_file())
    assert missing == [], f"MODULE_TESTS.toml names test files that are gone: {missing}"
