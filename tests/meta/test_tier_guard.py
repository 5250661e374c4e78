"""In CI a skipped test must fail the run (see pytest_sessionfinish in conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = (Path(__file__).parents[1] / "conftest.py").read_text()


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, require: str | None) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST.replace('pytest_plugins = ["pytester"]', ""))
    pytester.makepyfile(
        test_tier="""
        import pytest

        def test_runs():
            pass

        def test_needs_a_daemon():
            pytest.skip("no notification daemon")
        """
    )
    monkeypatch.delenv("HABITDESK_MOVED_CLOCK", raising=False)  # the inner run needs no moved clock
    if require is None:
        monkeypatch.delenv("HABITDESK_REQUIRE_ALL_TIERS", raising=False)
    else:
        monkeypatch.setenv("HABITDESK_REQUIRE_ALL_TIERS", require)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider")


def test_a_skip_fails_the_run_when_every_tier_is_required(pytester, monkeypatch) -> None:  # noqa: ANN001
    result = _run(pytester, monkeypatch, "1")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*1 test(s) were skipped; every tier must run in CI*", "*test_needs_a_daemon*"])


def test_a_skip_is_allowed_locally(pytester, monkeypatch) -> None:  # noqa: ANN001
    result = _run(pytester, monkeypatch, None)
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=1)
