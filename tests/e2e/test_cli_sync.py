"""`habitdesk-cli account ...` and `sync` against a real Radicale server (DESIGN.md §7: exit 4 on sync failures)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_account_add_list_sync_remove_without_a_keyring(cli, radicale) -> None:  # noqa: ANN001
    assert cli("add", "Run", today=None).code == 0
    added = cli("account", "add", "home", "--url", radicale.url, "--username", "alice", "--password-stdin",
                input="wonderland\n", today=None, env=NO_KEYRING)
    assert added.code == 0, added.err
    assert added.out.startswith("Added 'home': calendar 'HabitDesk' at http://127.0.0.1:")
    assert added.err.count("\n") == 1
    assert "The password was not saved: no system keyring is available" in added.err
    assert "--password-stdin" in added.err

    listed = cli("account", "list", "--json", today=None, env=NO_KEYRING)
    [account] = json.loads(listed.out)
    assert (account["name"], account["username"], account["calendar"], account["last_sync"]) == ("home", "alice", "HabitDesk", None)

    asked = cli("sync", today=None, env=NO_KEYRING)
    assert asked.code == 4
    assert asked.out == ""
    assert asked.err.count("\n") == 1
    assert asked.err.startswith("habitdesk-cli: home: no password for 'home': no system keyring is available")
    assert asked.err.rstrip().endswith("(give it with --password-stdin)")

    synced = cli("sync", "--password-stdin", input="wonderland\n", today=None, env=NO_KEYRING)
    assert synced.code == 0, synced.err
    lines = synced.out.splitlines()
    assert lines[0] == "home: pushed 9, pulled 0"
    assert lines[1].startswith("  pushed: created Run ")

    checked = cli("check", "Run", today=None)
    assert checked.code == 0
    again = cli("sync", "--password-stdin", input="wonderland\n", today=None, env=NO_KEYRING)
    assert again.code == 0, again.err
    assert again.out.splitlines()[:2] == ["home: pushed 1, pulled 0", again.out.splitlines()[1]]
    assert again.out.splitlines()[1].startswith("  pushed: checked Run ")

    removed = cli("account", "remove", "home", today=None, env=NO_KEYRING)
    assert removed.code == 0
    assert "No calendar accounts" in cli("account", "list", today=None).out


def test_sync_exits_4_with_one_line_when_the_server_is_down(cli, radicale) -> None:  # noqa: ANN001
    added = cli("account", "add", "home", "--url", radicale.url, "--username", "alice", "--password-stdin",
                input="wonderland\n", today=None, env=NO_KEYRING)
    assert added.code == 0, added.err
    radicale.stop()
    result = cli("sync", "--password-stdin", input="wonderland\n", today=None, env=NO_KEYRING)
    assert result.code == 4
    assert result.err.count("\n") == 1
    assert result.err.startswith("habitdesk-cli: home: the server refused the connection")
    assert "Last" not in result.out
    listed = cli("account", "list", today=None)
    assert "failed" in listed.out


def test_account_add_with_a_wrong_password_exits_4(cli, radicale) -> None:  # noqa: ANN001
    result = cli("account", "add", "home", "--url", radicale.url, "--username", "alice", "--password-stdin",
                 input="wrong\n", today=None, env=NO_KEYRING)
    assert result.code == 4
    assert result.err == "habitdesk-cli: the server refused the user name or password (Unauthorized)\n" or (
        result.err.startswith("habitdesk-cli: the server refused the user name or password") and result.err.count("\n") == 1)


def test_account_add_with_a_bad_url_or_ca_file_is_a_user_error(cli, tmp_path) -> None:  # noqa: ANN001
    bad = cli("account", "add", "home", "--url", "cal.example.org", "--username", "a", "--password-stdin", input="pw\n")
    assert (bad.code, bad.err) == (1, "habitdesk-cli: not a server address: 'cal.example.org' (expected https://...)\n")
    missing = tmp_path / "nope.pem"
    ca = cli("account", "add", "home", "--url", "https://127.0.0.1:9/", "--username", "a", "--password-stdin",
             "--ca-file", str(missing), input="pw\n")
    assert (ca.code, ca.err) == (1, f"habitdesk-cli: the CA file {missing} does not exist\n")


def test_account_edit_moves_to_a_new_password_and_refuses_a_wrong_one_with_exit_4(cli, radicale) -> None:  # noqa: ANN001
    added = cli("account", "add", "home", "--url", radicale.url, "--username", "alice", "--password-stdin",
                input="wonderland\n", today=None, env=NO_KEYRING)
    assert added.code == 0, added.err
    wrong = cli("account", "edit", "home", "--username", "bob", "--password-stdin", input="wonderland\n",
                today=None, env=NO_KEYRING)
    assert wrong.code == 4 and wrong.out == "" and wrong.err.count("\n") == 1
    assert wrong.err.startswith("habitdesk-cli: the server refused")
    assert json.loads(cli("account", "list", "--json", today=None).out)[0]["username"] == "alice"  # not saved

    moved = cli("account", "edit", "home", "--calendar", "Habits", "--password-stdin", input="wonderland\n",
                today=None, env=NO_KEYRING)
    assert moved.code == 0, moved.err
    assert moved.out == f"Changed 'home': alice at {radicale.url}, calendar 'Habits'\n"
    [account] = json.loads(cli("account", "list", "--json", today=None).out)
    assert account["calendar"] == "Habits" and account["calendar_url"].startswith(radicale.url)

    missing = cli("account", "edit", "work", "--url", radicale.url, today=None)
    assert (missing.code, missing.err) == (1, "habitdesk-cli: no calendar account named 'work'\n")
