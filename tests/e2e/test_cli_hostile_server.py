"""A server that sends junk gets a one-line refusal (exit 4), never "unexpected error" (exit 70)."""

from __future__ import annotations

import pytest

from tests.support.hostile_dav import HostileServer

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def add_account_on(cli, mode: str):  # noqa: ANN001, ANN201 - the CLI's result
    """`account add` against a server that answers in ``mode``."""
    server = HostileServer(mode)
    try:
        return cli("account", "add", "home", "--url", server.url, "--username", "alice", "--password-stdin",
                   input="wonderland\n", env=NO_KEYRING)
    finally:
        server.close()


@pytest.mark.parametrize("mode", ["control-characters", "not-xml"])
def test_a_reply_that_is_not_xml_is_refused_in_one_line(cli, mode: str) -> None:  # noqa: ANN001
    result = add_account_on(cli, mode)
    assert result.code == 4, (result.code, result.err)
    assert result.err.count("\n") == 1 and "unexpected error" not in result.err, result.err
    assert result.err.startswith("habitdesk-cli: "), result.err
    assert "No calendar accounts" in cli("account", "list").out  # nothing was saved


def test_a_huge_reply_is_refused_by_its_size_before_it_fills_the_memory(cli) -> None:  # noqa: ANN001
    result = add_account_on(cli, "huge")
    assert result.code == 4, (result.code, result.err)
    assert result.err.count("\n") == 1 and "more than 32 MiB; it is refused" in result.err, result.err
    assert "No calendar accounts" in cli("account", "list").out


def test_a_server_that_trickles_its_reply_is_given_up_on_at_the_deadline(tracker, monkeypatch) -> None:  # noqa: ANN001
    """One byte now and then never trips the per-read timeout; the reply's deadline stops it."""
    import time

    from habitdesk.facade.sync import CalendarSync
    from habitdesk.sync import remote
    from habitdesk.sync.errors import Unreachable

    monkeypatch.setattr(remote, "REPLY_DEADLINE", 1.5)
    server = HostileServer("trickle")
    started = time.monotonic()
    try:
        with pytest.raises(Unreachable, match=r"127\.0\.0\.1:\d+ is too slow: its reply did not arrive within 2 s"):
            CalendarSync(tracker).add_account("home", server.url, "alice", "wonderland")
    finally:
        server.close()
    assert time.monotonic() - started < 5
    assert CalendarSync(tracker).accounts() == []
