"""Profiles made in the app: the form for a new profile or a change to one, and deleting one.

The profiles file is edited in place by `core.profiles_file` (the user's comments, order and layout kept,
written atomically, never a secret) on a thread; a secret typed in the form goes to the OS keyring on a thread
too (when the profile keeps it there), and to the session's memory so the profile works at once. In the demo the
built-in profiles live in memory; profiles made there go to a temporary profiles file, and their secrets stay in
memory (the demo never writes to the user's keyring).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.app.demo import demo_scratch_dir
from explorer.app.session import Session
from explorer.core.errors import ConfigError, ExplorerError, SecretError
from explorer.core.profiles import Profile, ProfilesConfig, load_profiles
from explorer.core.tokens import Token
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand

if TYPE_CHECKING:
    from explorer.ui.dialogs.profile_form import ProfileDraft

# Shows a set of profiles and opens the wanted one (ProfileController.show_profiles).
ShowProfiles = Callable[..., Awaitable[None]]


class ProfileEditor(Controller):
    """New, edit and delete for profiles, through the form and the profiles file."""

    def __init__(self, screen: Screen[Any], session: Session, *, demo: bool, show: ShowProfiles) -> None:
        super().__init__(screen)
        self.session = session
        self.demo = demo
        self._show = show
        self._demo_file: Path | None = None
        # The demo's own profiles (in memory): shown beside the ones made in the form, never edited.
        self._builtin: dict[str, Profile] | None = None

    @property
    def path(self) -> Path | None:
        """The profiles file the form writes to (in the demo, a temporary one made on the first save)."""
        return self._demo_file if self.demo else self.session.profiles.path

    def _builtins(self) -> dict[str, Profile]:
        if not self.demo:
            return {}
        if self._builtin is None:
            # Before the first save every profile shown is the demo's own.
            return dict(self.session.profiles.profiles)
        return self._builtin

    # -- new and edit -------------------------------------------------------------------------------------

    def new(self) -> None:
        """Open the form for a new profile, starting from the active one's server and company."""
        from explorer.ui.dialogs.profile_form import ProfileForm

        active = self.session.shown_profile
        secret = ""
        seed = active
        if self.demo and active is not None:
            # The sandbox's demo client, secret included: "test" works at once against the sandbox.
            secret = self.session.known_secret(active.name)
        elif active is not None:
            seed = Profile(
                name="",
                tenant=active.tenant,
                client_id="",
                auth_url=active.auth_url,
                token_url_override=active.token_url_override,
                api_url_override=active.api_url_override,
            )
        form = ProfileForm(
            tester=self._test,
            seed=seed,
            secret=secret,
            taken=frozenset(self.session.profiles.profiles),
            note=self._where(),
        )
        self.app.push_screen(form, self._saved)

    def edit(self, name: str | None = None) -> None:
        """Open the form on a profile (the active one when none is named)."""
        from explorer.ui.dialogs.profile_form import ProfileForm

        profile = self._profile(name)
        if profile is None:
            return
        if profile.name in self._builtins():
            self.notify(
                f"{profile.name} is built into the demo. Press n in the profile list to make your own.",
                title="A demo profile",
                severity="warning",
            )
            return
        taken = frozenset(self.session.profiles.profiles) - {profile.name}
        form = ProfileForm(tester=self._test, profile=profile, taken=taken, note=self._where())
        self.app.push_screen(form, self._saved)

    def _where(self) -> str:
        if self.demo:
            return "Demo: saved to a temporary profiles file; the secret stays in memory."
        return f"Saved to {self.path}; the secret never goes to the file." if self.path else ""

    def _profile(self, name: str | None) -> Profile | None:
        profiles = self.session.profiles.profiles
        chosen = name or (self.session.shown_profile.name if self.session.shown_profile else None)
        if chosen is None or chosen not in profiles:
            self.notify("Choose a profile in the list first.", title="No profile", severity="warning")
            return None
        return profiles[chosen]

    async def _test(self, profile: Profile, secret: str) -> Token:
        """Fetch a token for the form's profile, with the secret typed (or the one it already has)."""
        from explorer.core.oauth import fetch_token
        from explorer.core.secrets import resolve_secret

        if not secret:
            secret = self.session.known_secret(profile.name)
        if not secret and profile.secret_source != "prompt":
            secret = await asyncio.to_thread(resolve_secret, profile)
        if not secret:
            raise SecretError("Type the client secret to test.", hint="It is not kept unless the keyring keeps it.")
        return await fetch_token(self.session.client, profile, secret, clock=self.session.clock)

    def _saved(self, draft: ProfileDraft | None) -> None:
        if draft is not None:
            self.run(self._save(draft), name="Saving the profile", group="profile-edit", exclusive=True)

    async def _save(self, draft: ProfileDraft) -> None:
        try:
            config, keyring_error = await asyncio.to_thread(self._write, draft)
        except ExplorerError as error:
            self.notify_error(error)
            return
        secrets = self.session.secrets()
        if draft.rename_from:
            secrets.pop(draft.rename_from, None)
        if draft.secret:
            secrets[draft.name] = draft.secret
        await self._show(config, secrets, wanted=draft.name)
        stored = " Its secret is in the OS keyring." if self._stores_secret(draft) and keyring_error is None else ""
        self.notify(f"Profile {draft.name} saved to {self.path}.{stored}", title="Profile saved")
        if keyring_error is not None:
            # The profile is saved and works this session (the secret is in memory); the keyring said no.
            self.notify_error(keyring_error, severity="warning")

    def _stores_secret(self, draft: ProfileDraft) -> bool:
        return not self.demo and bool(draft.secret) and draft.secret_source == "keyring"

    def _write(self, draft: ProfileDraft) -> tuple[ProfilesConfig, ExplorerError | None]:
        # On a thread: the file and the keyring block.
        from explorer.core.profiles_file import save_profile
        from explorer.core.secrets import store_secret

        path = self._file()
        save_profile(path, draft.name, draft.values, rename_from=draft.rename_from)
        keyring_error: ExplorerError | None = None
        if self._stores_secret(draft):
            assert draft.profile is not None
            try:
                store_secret(draft.profile, draft.secret)
            except SecretError as error:
                keyring_error = error
        return self._load(path), keyring_error

    def _file(self) -> Path:
        if self.demo:
            if self._demo_file is None:
                self._builtin = dict(self.session.profiles.profiles)
                self._demo_file = demo_scratch_dir() / "profiles.toml"
            return self._demo_file
        if self.session.profiles.path is None:
            raise ConfigError("There is no profiles file to write to.", hint="Start explorer with --config FILE.")
        return self.session.profiles.path

    def _load(self, path: Path) -> ProfilesConfig:
        loaded = load_profiles(path, missing_ok=True)
        if not self.demo:
            return loaded
        builtins = self._builtins()
        profiles = {**builtins, **{n: p for n, p in loaded.profiles.items() if n not in builtins}}
        return ProfilesConfig(path=None, profiles=profiles, default_profile=self.session.profiles.default_profile)

    # -- delete -------------------------------------------------------------------------------------------

    def delete(self, name: str | None = None) -> None:
        """Ask, then remove the profile from the file (and its secret from the keyring)."""
        from explorer.ui.dialogs.confirm import ConfirmDialog

        profile = self._profile(name)
        if profile is None:
            return
        if profile.name in self._builtins():
            self.notify(f"{profile.name} is built into the demo.", title="A demo profile", severity="warning")
            return
        keyring = not self.demo and profile.secret_source == "keyring"
        also = " and its secret from the OS keyring" if keyring else ""
        question = ConfirmDialog(
            "Delete profile?",
            f"Remove {profile.name} ({profile.tenant}, client {profile.client_id}) from {self.path}{also}?",
            confirm_label="Delete",
            cancel_label="Keep it",
            danger=True,
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(self._delete(profile, keyring), name="Deleting the profile", group="profile-edit")

        self.app.push_screen(question, answered)

    async def _delete(self, profile: Profile, keyring: bool) -> None:
        try:
            config = await asyncio.to_thread(self._remove, profile, keyring)
        except ExplorerError as error:
            self.notify_error(error)
            return
        secrets = self.session.secrets()
        secrets.pop(profile.name, None)
        active = self.session.shown_profile
        wanted = active.name if active is not None and active.name != profile.name else None
        await self._show(config, secrets, wanted=wanted)
        self.notify(f"Profile {profile.name} deleted.", title="Profile deleted")

    def _remove(self, profile: Profile, keyring: bool) -> ProfilesConfig:
        from explorer.core.profiles_file import delete_profile
        from explorer.core.secrets import delete_secret

        path = self._file()
        delete_profile(path, profile.name)
        if keyring:
            delete_secret(profile)
        return self._load(path)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("profile: new", "Create a profile with the form (n in the profile list)", self.new)
        active = self.session.shown_profile
        if active is not None and active.name not in self._builtins():
            yield PaletteCommand(f"profile: edit {active.name}", "Change it in the form (e)", partial(self.edit, None))
            yield PaletteCommand(f"profile: delete {active.name}", "Remove it, asking first (d)", partial(self.delete))
