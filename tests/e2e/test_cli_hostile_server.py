"""A server that sends junk gets a one-line refusal (exit 4), never "unexpected error" (exit 70)."""

from __future__ import annotations

import pytest

from tests.support.hostile_dav import HostileServer

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


@pytest.mark.parametrize("mode", ["control-characters", "not-xml"])
def test_a_reply_that_is_not_xml_is_refused_in_one_line(cli, mode: str) -> None:  # noqa: ANN001
    server = HostileServer(mode)
    try:
        result = cli("account", "add", "home", "--url", server.url, "--username", "alice", "--password-stdin",
                     input="wonderland\n", env=NO_KEYRING)
    finally:
        server.close()
    assert result.code == 4, (result.code, result.err)
    assert result.err.count("\n") == 1 and "unexpected error" not in result.err, result.err
    assert result.err.startswith("habitdesk-cli: "), result.err
    assert "No calendar accounts" in cli("account", "list").out  # nothing was saved
