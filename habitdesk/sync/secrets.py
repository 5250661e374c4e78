"""Account passwords in the OS keyring (Secret Service, macOS Keychain, Windows Credential Locker).

Never on disk in plain text: a keyring backend that stores plain text (such as
keyrings.alt's) counts as no keyring, and the app asks for the password instead.
"""

from __future__ import annotations

SERVICE = "HabitDesk"


class KeyringUnavailable(Exception):
    """No working keyring; str() says why, for the message that explains the password prompt."""


def _backend():  # noqa: ANN202 - a keyring backend
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring) or "null" in name.lower():
        raise KeyringUnavailable("no system keyring is available (no Secret Service on D-Bus)")
    if name.startswith("keyrings.alt") or "plaintext" in name.lower():
        raise KeyringUnavailable(f"the only keyring found ({name}) keeps passwords in plain text")
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        raise KeyringUnavailable("no system keyring is available")
    return backend


def _call(what: str, operation):  # noqa: ANN001, ANN202
    from keyring.errors import KeyringError

    backend = _backend()
    try:
        return operation(backend)
    except KeyringError as exc:
        raise KeyringUnavailable(f"the system keyring could not {what} the password ({exc or type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - D-Bus and platform errors surface as anything
        raise KeyringUnavailable(f"the system keyring failed ({type(exc).__name__}: {exc})") from None


def save_password(key: str, password: str) -> None:
    _call("store", lambda b: b.set_password(SERVICE, key, password))


def load_password(key: str) -> str | None:
    return _call("read", lambda b: b.get_password(SERVICE, key))


def delete_password(key: str) -> None:
    from keyring.errors import PasswordDeleteError

    def delete(backend) -> None:  # noqa: ANN001
        try:
            backend.delete_password(SERVICE, key)
        except PasswordDeleteError:
            pass  # nothing was stored

    _call("delete", delete)
