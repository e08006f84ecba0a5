"""Where client secrets come from: an environment variable, the OS keyring, a prompt, or (warned) a literal.

The secret is only ever held in memory. Keyring calls block, so async callers run them in a thread.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from explorer.core.errors import SecretError
from explorer.core.profiles import Profile

KEYRING_SERVICE = "explorer"


def keyring_username(profile: Profile) -> str:
    """The keyring entry is per profile name, so two profiles may use two clients on one tenant."""
    return profile.name


def resolve_secret(
    profile: Profile,
    *,
    env: Mapping[str, str] | None = None,
) -> str:
    """Find the profile's secret. Raises SecretError saying what to do when there is none.

    `prompt` sources always raise here: asking is the caller's business (a hidden prompt, a masked input).
    """
    source = profile.secret_source
    env = os.environ if env is None else env
    if source.startswith("env:"):
        var = source[4:]
        value = env.get(var, "")
        if not value:
            raise SecretError(
                f"Profile {profile.name!r} reads its client secret from ${var}, which is not set.",
                hint=f"export {var}=… before running, or store it with `explorer secret set {profile.name}`.",
            )
        return value
    if source == "keyring" or source.startswith("keyring:"):
        username = source.partition(":")[2] or keyring_username(profile)
        stored = read_keyring(username)
        if stored:
            return stored
        raise SecretError(
            f"No client secret for profile {profile.name!r} in the OS keyring.",
            hint=f'Run `explorer secret set {profile.name}`, or use client_secret = "env:VAR".',
        )
    if source == "prompt":
        raise SecretError(
            f"Profile {profile.name!r} asks for its client secret at a prompt.",
            hint='Use client_secret = "env:VAR" for scripts and CI.',
        )
    return source


def _keyring_unavailable(detail: str) -> SecretError:
    return SecretError(
        f"No OS keyring is available here ({detail}).",
        hint='On headless machines and CI, put the secret in an environment variable: client_secret = "env:VAR".',
    )


def read_keyring(username: str) -> str | None:
    """The stored secret, None when there is none. A missing keyring backend counts as none."""
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, username)
    except NoKeyringError:
        return None
    except KeyringError as exc:
        raise SecretError(f"The OS keyring could not be read: {exc}.") from None
    return value if isinstance(value, str) else None


def store_secret(profile: Profile, secret: str) -> None:
    """Store a secret in the OS keyring, or explain why there is nowhere safe to put it."""
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:
        raise _keyring_unavailable("the keyring package is not installed") from None
    backend = keyring.get_keyring()
    if _is_fail_backend(backend):
        raise _keyring_unavailable("no keyring backend was found")
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_username(profile), secret)
    except NoKeyringError:
        raise _keyring_unavailable("no keyring backend was found") from None
    except KeyringError as exc:
        raise SecretError(f"The OS keyring refused the secret: {exc}.") from None


def delete_secret(profile: Profile) -> bool:
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        return False
    try:
        keyring.delete_password(KEYRING_SERVICE, keyring_username(profile))
    except (PasswordDeleteError, KeyringError):
        return False
    return True


def _is_fail_backend(backend: object) -> bool:
    # keyring falls back to a backend whose every call fails, or to a chainer with no members.
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail"):
        return True
    backends = getattr(backend, "backends", None)
    return isinstance(backends, list) and not backends
