"""The profile form: a new profile, or changes to one, checked as the profiles file would check it.

Company and stage give the tenant; the token and API URLs are derived from it and shown as you type, and can be
overridden for another OAuth2 server. The secret is typed here only to test and (when it goes to the keyring) to
be stored there: the form returns where it lives (`keyring`, `env:VAR` or `prompt`), never the secret as a value
for the file. "Test" fetches a token with what is typed, in a worker, and shows the scopes granted.

The form returns a `ProfileDraft` (or None when cancelled); the caller writes it (see
`controllers/profile_edit.py`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from explorer.core.errors import ConfigError, ExplorerError
from explorer.core.profiles import DEFAULT_AUTH_URL, Profile, Stage, company_of, parse_profiles, stage_of
from explorer.core.tokens import Token
from explorer.ui.widgets.footer import KeysFooter

__all__ = ["ProfileDraft", "ProfileForm", "Tester", "tenant_for"]

# Fetches a token for a profile with a secret (or, given "", the secret the profile already has).
Tester = Callable[[Profile, str], Awaitable[Token]]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STAGES = [("sandbox", Stage.SANDBOX.value), ("staging", Stage.STAGING.value), ("production", Stage.PRODUCTION.value)]
_CLIENT_AUTH = [("in the form body", "post"), ("HTTP Basic header", "basic")]
_SOURCES = [("OS keyring", "keyring"), ("environment variable", "env"), ("asked each session", "prompt")]


def tenant_for(company: str, stage: str) -> str:
    """NewStore's tenant names: `acme-sandbox`, `acme-staging`, and `acme` for production."""
    company = company.strip()
    return company if stage == Stage.PRODUCTION.value or not company else f"{company}-{stage}"


@dataclass(frozen=True)
class ProfileDraft:
    """What the form decided: the profile's table for the file, and the secret typed (kept out of the file)."""

    name: str
    values: dict[str, Any]
    secret: str = ""
    rename_from: str = ""
    profile: Profile | None = field(default=None, compare=False)

    @property
    def secret_source(self) -> str:
        if self.profile is not None:
            return self.profile.secret_source
        return str(self.values.get("client_secret") or "keyring")


class ProfileForm(ModalScreen[ProfileDraft | None]):
    """Create or change a profile. ctrl+s saves, ctrl+t tests, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="profile_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="profile_form.save"),
        Binding("ctrl+t", "test", "Test", id="profile_form.test"),
    ]

    def __init__(
        self,
        *,
        tester: Tester,
        profile: Profile | None = None,
        seed: Profile | None = None,
        secret: str = "",
        taken: frozenset[str] = frozenset(),
        note: str = "",
    ) -> None:
        """
        Args:
            tester: Fetches a token (the "test" button).
            profile: The profile to change (None: a new one).
            seed: For a new profile, one whose server, company and client it starts from.
            secret: A secret to start with (the demo's sandbox client, so "test" works at once).
            taken: Names of the other profiles (a new name must not be one of them).
            note: A line under the title (where the profile is saved).
        """
        super().__init__()
        self._tester = tester
        self._editing = profile
        self._start = profile or seed
        self._secret = secret
        self._taken = taken
        self._note = note

    def compose(self) -> ComposeResult:
        start = self._start
        tenant = start.tenant if start is not None else ""
        source = start.secret_source if start is not None else "keyring"
        kind = "env" if source.startswith("env:") else ("prompt" if source == "prompt" else "keyring")
        sources = list(_SOURCES)
        if self._editing is not None and not _is_reference(source):
            # A secret the user wrote into the file themselves stays theirs unless they choose another place.
            sources.append(("as written in the file", "file"))
            kind = "file"
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = f"Profile {self._editing.name}" if self._editing else "New profile"
            if self._note:
                yield Static(self._note, classes="dialog--prompt", markup=False)
            with VerticalScroll(id="profile-fields"):
                yield from _row("Name", _input(self._editing.name if self._editing else "", id="pf-name"))
                yield from _row("Company", _input(company_of(tenant), placeholder="acme", id="pf-company"))
                yield from _row(
                    "Stage",
                    Select(
                        _STAGES,
                        value=stage_of(tenant).value if tenant else "sandbox",
                        allow_blank=False,
                        id="pf-stage",
                        compact=True,
                    ),
                )
                with Horizontal(classes="pf-row"):
                    yield Label("Tenant", classes="pf-label")
                    yield Static("", id="pf-tenant", markup=False)
                auth_url = start.auth_url if start is not None else DEFAULT_AUTH_URL
                yield from _row("Auth server", _input(auth_url, id="pf-auth-url"))
                token_url = start.token_url_override if start is not None else ""
                yield from _row("Token URL", _input(token_url, placeholder="derived", id="pf-token-url"))
                api_url = start.api_url_override if start is not None else ""
                yield from _row("API URL", _input(api_url, placeholder="derived", id="pf-api-url"))
                yield from _row("Client ID", _input(start.client_id if start is not None else "", id="pf-client-id"))
                scopes = " ".join(start.scopes) if start is not None else ""
                yield from _row(
                    "Scopes", _input(scopes, placeholder="space separated; empty: the client's default", id="pf-scopes")
                )
                auth = start.client_auth if start is not None else "post"
                yield from _row(
                    "Client auth",
                    Select(_CLIENT_AUTH, value=auth, allow_blank=False, id="pf-client-auth", compact=True),
                )
                yield from _row(
                    "Secret in", Select(sources, value=kind, allow_blank=False, id="pf-source", compact=True)
                )
                yield from _row(
                    "Variable",
                    _input(source[4:] if kind == "env" else "", placeholder="NAME of the variable", id="pf-env"),
                    id="pf-env-row",
                )
                hint = "keep the stored one" if self._editing else "for the test; the keyring keeps it"
                yield from _row("Secret", _input(self._secret, password=True, placeholder=hint, id="pf-secret"))
            yield Static("", id="pf-status", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="pf-cancel", classes="dialog--cancel", compact=True)
                yield Button("Test", id="pf-test", compact=True)
                yield Button("Save", variant="primary", id="pf-save", compact=True)
        # Its own keys at the bottom, over the main screen's, which do not apply here.
        yield KeysFooter()

    def on_mount(self) -> None:
        self._update()
        first = "#pf-company" if self._editing else "#pf-name"
        self.query_one(first, Input).focus()

    # -- what the form shows ---------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        if self.is_mounted:
            self._update()

    def _update(self) -> None:
        if not self.query("#pf-status"):
            return  # the first Changed can come before the rest of the form is mounted
        kind = self.query_one("#pf-source", Select).value
        self.query_one("#pf-env-row").display = kind == "env"
        company, stage = self._text("pf-company"), str(self.query_one("#pf-stage", Select).value)
        tenant = tenant_for(company, stage) or "…"
        auth = (self._text("pf-auth-url") or DEFAULT_AUTH_URL).rstrip("/")
        # The derived URLs are the placeholders: shown while the field is empty, replaced by what is typed.
        self.query_one(
            "#pf-token-url", Input
        ).placeholder = f"{auth}/auth/realms/{tenant}/protocol/openid-connect/token"
        self.query_one("#pf-api-url", Input).placeholder = f"https://{tenant}.p.newstore.net"
        self.query_one("#pf-tenant", Static).update(tenant)

    def _show(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#pf-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _text(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    # -- checking -------------------------------------------------------------------------------------

    def draft(self) -> ProfileDraft:
        """What is typed, checked as the profiles file would be. Raises ConfigError saying what to fix."""
        name = self._text("pf-name")
        if not name:
            raise ConfigError("Give the profile a name.", hint="Letters, digits, '-', '_' or '.', like acme-sandbox.")
        if not _NAME.fullmatch(name):
            raise ConfigError(f"{name!r} cannot be a profile name.", hint="Use letters, digits, '-', '_' or '.'.")
        if name in self._taken:
            raise ConfigError(f"There is already a profile named {name!r}.", hint="Choose another name.")
        company = self._text("pf-company")
        if not company:
            raise ConfigError("Type the company (the tenant's first part, like acme).")
        if not self._text("pf-client-id"):
            raise ConfigError("Type the client ID the token is fetched for.")
        kind = str(self.query_one("#pf-source", Select).value)
        source = kind
        if kind == "env":
            variable = self._text("pf-env")
            if not _ENV_NAME.fullmatch(variable):
                raise ConfigError("Type the name of the environment variable that holds the secret (like ACME_SECRET).")
            source = f"env:{variable}"
        auth_url = self._text("pf-auth-url")
        values: dict[str, Any] = {} if kind == "file" else {"client_secret": source}
        values |= {
            "tenant": tenant_for(company, str(self.query_one("#pf-stage", Select).value)),
            "client_id": self._text("pf-client-id"),
            "auth_url": "" if auth_url.rstrip("/") == DEFAULT_AUTH_URL else auth_url,
            "token_url": self._text("pf-token-url"),
            "api_url": self._text("pf-api-url"),
            "scopes": self._text("pf-scopes").split(),
            "client_auth": "basic" if self.query_one("#pf-client-auth", Select).value == "basic" else "",
        }
        table = {k: v for k, v in values.items() if v not in ("", [])}
        if self._editing is not None:
            # The keys the form does not show (variables, timeout, openapi, …) stay as they are in the file.
            table = {**_kept_keys(self._editing), **table}
        try:
            profile = parse_profiles({"profiles": {name: table}}).profiles[name]
        except ConfigError as error:
            raise ConfigError(error.message.removeprefix("profiles: "), hint=error.hint) from None
        rename = self._editing.name if self._editing is not None and self._editing.name != name else ""
        return ProfileDraft(name, values, self.query_one("#pf-secret", Input).value, rename, profile)

    # -- actions ----------------------------------------------------------------------------------------

    @on(Button.Pressed, "#pf-save")
    def action_save(self) -> None:
        try:
            draft = self.draft()
        except ConfigError as error:
            self._show(_words(error), error=True)
            return
        self.dismiss(draft)

    @on(Button.Pressed, "#pf-test")
    def action_test(self) -> None:
        try:
            draft = self.draft()
        except ConfigError as error:
            self._show(_words(error), error=True)
            return
        assert draft.profile is not None
        self._show(f"Fetching a token from {draft.profile.token_url} …")
        self.run_worker(
            self._test(draft.profile, draft.secret), group="profile-test", exclusive=True, exit_on_error=False
        )

    async def _test(self, profile: Profile, secret: str) -> None:
        try:
            token = await self._tester(profile, secret)
        except ExplorerError as error:
            self._show(_words(error), error=True)
            return
        except Exception as error:
            self._show(f"The test failed: {error}", error=True)
            return
        scopes = " ".join(token.scopes) if token.scopes else "none listed"
        self._show(f"✓ Token granted for {token.ttl:.0f} s. Scopes: {scopes}")

    @on(Button.Pressed, "#pf-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _input(value: str, *, placeholder: str = "", password: bool = False, id: str) -> Input:
    return Input(value, placeholder=placeholder, password=password, id=id, compact=True)


def _row(label: str, widget: Input | Select[str], *, id: str | None = None) -> ComposeResult:
    with Horizontal(classes="pf-row", id=id):
        yield Label(label, classes="pf-label")
        yield widget


def _words(error: ExplorerError) -> str:
    return f"{error.message} {error.hint}".strip() if error.hint else error.message


def _is_reference(source: str) -> bool:
    return source in ("keyring", "prompt") or source.startswith(("env:", "keyring:"))


def _kept_keys(profile: Profile) -> dict[str, Any]:
    """The keys of an existing profile the form does not show, so the check sees the whole profile."""
    kept: dict[str, Any] = {"client_secret": profile.secret_source}
    if profile.variables:
        kept["variables"] = dict(profile.variables)
    if profile.description:
        kept["description"] = profile.description
    if profile.openapi:
        kept["openapi"] = profile.openapi
    return kept
