from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.errors import ConfigError, SecretError
from explorer.core.profiles import PROFILE_ENV, Stage, load_profiles, parse_profiles, profile_choice
from explorer.core.secrets import resolve_secret

GOOD = """
default_profile = "acme-sandbox"

[profiles.acme-sandbox]
tenant = "acme-sandbox"
client_id = "my-api-client"
client_secret = "env:ACME_SANDBOX_SECRET"
scopes = ["customer:profile:read", "orders:read"]
[profiles.acme-sandbox.variables]
store_id = "store-001"
limit = 10

[profiles.acme]
tenant = "acme"
client_id = "prod-client"
client_secret = "keyring"
client_auth = "basic"

[profiles.other]
tenant = "whatever"
client_id = "c"
client_secret = "literal-secret"
token_url = "https://auth.example.com/oauth2/token"
api_url = "https://api.example.com/"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(text)
    return path


def test_parses_profiles_with_derived_urls_and_stages(tmp_path: Path) -> None:
    config = load_profiles(write(tmp_path, GOOD))
    sandbox = config.get(None)
    assert sandbox.name == "acme-sandbox"
    assert sandbox.stage is Stage.SANDBOX
    assert sandbox.company == "acme"
    assert sandbox.token_url == ("https://id.p.newstore.net/auth/realms/acme-sandbox/protocol/openid-connect/token")
    assert sandbox.api_url == "https://acme-sandbox.p.newstore.net"
    assert sandbox.scopes == ("customer:profile:read", "orders:read")
    assert sandbox.variables == {"store_id": "store-001", "limit": "10"}
    prod = config.get("acme")
    assert prod.stage is Stage.PRODUCTION and prod.is_production
    assert prod.client_auth == "basic"
    other = config.get("other")
    assert other.token_url == "https://auth.example.com/oauth2/token"
    assert other.api_url == "https://api.example.com"


def test_literal_secret_is_accepted_with_a_warning(tmp_path: Path) -> None:
    config = load_profiles(write(tmp_path, GOOD))
    assert len(config.warnings) == 1
    assert "other" in config.warnings[0] and "plain text" in config.warnings[0]


def test_staging_stage() -> None:
    config = parse_profiles({"profiles": {"s": {"tenant": "acme-staging", "client_id": "x"}}})
    assert config.get("s").stage is Stage.STAGING


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[profiles.a]\nclient_id = "x"\n', "profiles.a.tenant is required"),
        ('[profiles.a]\ntenant = "t"\n', "profiles.a.client_id is required"),
        ('[profiles.a]\ntenant = "t"\nclient_id = "x"\nclient_auth = "jwt"\n', "client_auth"),
        ('[profiles.a]\ntenant = "t"\nclient_id = "x"\nscope = ["a"]\n', "unknown key profiles.a.scope"),
        ('[profiles.a]\ntenant = "t"\nclient_id = "x"\napi_url = "ftp://x"\n', "api_url"),
        ('default_profile = "b"\n[profiles.a]\ntenant = "t"\nclient_id = "x"\n', "'b' is not defined"),
        ('[profiles.a\ntenant = "t"\n', "line 1"),
    ],
)
def test_bad_files_name_the_problem(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_profiles(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.exit_code == 2


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_profiles(tmp_path / "nope.toml")
    assert load_profiles(tmp_path / "nope.toml", missing_ok=True).profiles == {}


def test_unknown_profile_lists_known_ones(tmp_path: Path) -> None:
    config = load_profiles(write(tmp_path, GOOD))
    with pytest.raises(ConfigError, match="Known profiles: acme-sandbox, acme, other"):
        config.get("nope")


def test_secret_sources(tmp_path: Path) -> None:
    config = load_profiles(write(tmp_path, GOOD))
    assert resolve_secret(config.get("acme-sandbox"), env={"ACME_SANDBOX_SECRET": "s3"}) == "s3"
    with pytest.raises(SecretError, match=r"\$ACME_SANDBOX_SECRET, which is not set"):
        resolve_secret(config.get("acme-sandbox"), env={})
    assert resolve_secret(config.get("other"), env={}) == "literal-secret"
    # The tests run with keyring's failing backend: a missing keyring reads as "no secret stored".
    with pytest.raises(SecretError, match="explorer secret set acme"):
        resolve_secret(config.get("acme"), env={})
    prompt = parse_profiles({"profiles": {"p": {"tenant": "t", "client_id": "x", "client_secret": "prompt"}}})
    with pytest.raises(SecretError, match="prompt"):
        resolve_secret(prompt.get("p"), env={})


def test_the_profile_named_on_the_command_line_wins_over_the_environment() -> None:
    env = {PROFILE_ENV: "acme-staging"}
    assert profile_choice("acme-sandbox", env) == "acme-sandbox"
    assert profile_choice(None, env) == "acme-staging"
    assert profile_choice(None, {PROFILE_ENV: ""}) is None
    assert profile_choice("", {}) is None


def test_a_renamed_profile_keeps_its_comments_and_sub_tables(tmp_path: Path) -> None:
    from explorer.core.profiles_file import save_profile

    path = tmp_path / "profiles.toml"
    path.write_text(
        '# top\ndefault_profile = "b"\n\n[profiles.a]\ntenant = "x"\nclient_id = "c"\n\n'
        '# the b one\n[profiles.b]  # inline note\ntenant = "y"\nclient_id = "d"\n\n'
        '[profiles.b.variables]\nx = 1\n\n[profiles.c]\ntenant = "z"\nclient_id = "e"\n'
    )
    save_profile(path, "b.two", {"tenant": "y", "scopes": ["s"]}, rename_from="b")
    assert path.read_text() == (
        '# top\ndefault_profile = "b.two"\n\n[profiles.a]\ntenant = "x"\nclient_id = "c"\n\n'
        '# the b one\n[profiles."b.two"]  # inline note\ntenant = "y"\nclient_id = "d"\nscopes = ["s"]\n\n'
        '[profiles."b.two".variables]\nx = 1\n\n[profiles.c]\ntenant = "z"\nclient_id = "e"\n'
    )
