"""The application layer without a UI: what waits for start-up, which profile is shown, when a token is renewed,
and the prepare → confirm-on-production → send pipeline (the one production rule)."""

from __future__ import annotations

import pytest

from explorer.app.sending import replay_confirmation, send_confirmation
from explorer.app.session import Session
from explorer.core.errors import ExplorerError, TemplateError
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import ProfilesConfig, parse_profiles
from explorer.core.tokens import TokenCache
from explorer.sandbox import SandboxServer
from tests.conftest import FakeClock


def _profiles(base: str = "http://127.0.0.1:9") -> ProfilesConfig:
    def profile(tenant: str) -> dict[str, str]:
        return {
            "tenant": tenant,
            "client_id": "explorer-demo",
            "client_secret": "demo-secret",
            "auth_url": base,
            "api_url": f"{base}/api/{tenant}",
        }

    return parse_profiles({"profiles": {"sandbox": profile("demo-sandbox"), "prod": profile("demo")}})


def _session(profiles: ProfilesConfig | None = None, clock: FakeClock | None = None) -> Session:
    clock = clock or FakeClock()
    return Session(profiles or _profiles(), cache=TokenCache(None, clock=clock), clock=clock)


def test_actions_wait_for_the_start_and_run_in_order_once_it_is_done() -> None:
    session = _session()
    ran: list[str] = []
    assert session.when_ready(lambda: ran.append("send"))
    assert session.when_ready(lambda: ran.append("fetch"))
    assert ran == []
    for action in session.mark_ready():
        action()
    assert ran == ["send", "fetch"]
    # Once started, nothing waits: the caller runs the action itself.
    assert not session.when_ready(lambda: ran.append("late"))
    assert session.mark_ready() == []


def test_the_previewed_profile_is_shown_until_one_is_active() -> None:
    session = _session()
    assert session.preview("prod") is session.profiles.profiles["prod"]
    assert session.shown_profile is session.profiles.profiles["prod"]
    assert session.shown_token() is None
    session.mark_ready()
    assert session.shown_profile is None, "the preview ends with the start"
    session.activate("sandbox")
    assert session.shown_profile is not None and session.shown_profile.name == "sandbox"


def test_offered_profiles_are_taken_once_and_an_unknown_wish_is_explained() -> None:
    session = _session()
    other = _profiles("http://127.0.0.1:8")
    session.offer(other, {"prod": "s3cret"})
    assert session.take_offered() == (other, {"prod": "s3cret"})
    assert session.take_offered() is None
    name, problem = session.use_profiles(other, {"prod": "s3cret"}, wanted="staging")
    assert session.profiles is other and name is None
    assert problem == "There is no profile named 'staging'. Known: sandbox, prod."
    assert session.use_profiles(other, wanted="prod") == ("prod", None)


def test_production_asks_before_what_may_change_data_and_nowhere_else() -> None:
    profiles = _profiles().profiles
    prod, sandbox = profiles["prod"], profiles["sandbox"]
    post, get = RequestSpec(method="post", url="x"), RequestSpec(method="GET", url="x")
    asked = send_confirmation(prod, post)
    assert asked is not None and asked.confirm_label == "Send POST" and "PRODUCTION" in asked.question
    assert send_confirmation(prod, get) is None
    assert send_confirmation(sandbox, post) is None
    replay = replay_confirmation(prod, [get, post, RequestSpec(method="DELETE", url="y")])
    assert replay is not None and "Replay 3 request(s)" in replay.question and "DELETE, POST" in replay.question
    assert replay_confirmation(prod, [get]) is None


def test_a_send_is_planned_before_anything_goes_out() -> None:
    session = _session()
    spec = RequestSpec(method="DELETE", url="{{api_url}}/v0/stores/{{id}}")
    assert session.plan_send(spec, {"id": "1"}) is None, "no active profile"
    session.activate("sandbox")
    with pytest.raises(TemplateError):
        session.plan_send(spec, {})
    plan = session.plan_send(spec, {"id": "1"})
    assert plan is not None and plan.confirmation is None and plan.variables == {"id": "1"}
    session.activate("prod")
    plan = session.plan_send(spec, {"id": "1"})
    assert plan is not None and plan.confirmation is not None and plan.engine is session.active_engine


async def test_the_app_and_explorer_run_rank_captured_values_alike(sandbox: SandboxServer) -> None:
    """A value captured this session wins over the profile's variable of the same name, in a send from the app
    and in a run of the collection: one rule (`variables_for`)."""
    from dataclasses import replace

    import httpx

    from explorer.core.engine import Engine
    from explorer.core.runner import run_requests
    from tests.integration.test_auth_flow import demo_profile

    profile = demo_profile(sandbox)
    profile = replace(profile, name="sandbox", variables={**profile.variables, "store_id": "from-the-profile"})
    config = ProfilesConfig(None, {"sandbox": profile}, default_profile="sandbox")
    session = _session(config)
    session.activate("sandbox")
    session.captured["store_id"] = "store-002"
    spec = RequestSpec(name="store", url="{{api_url}}/v0/stores/{{store_id}}")
    plan = session.plan_send(spec, {"store_id": "from-the-collection"})
    assert plan is not None
    in_app = plan.engine.prepare(plan.spec, plan.variables, plan.captured).full_url()
    async with httpx.AsyncClient() as client:
        engine = Engine(profile, client)
        collection = Collection(name="c", requests=[spec], variables={"store_id": "from-the-collection"})
        [result] = await run_requests(engine, collection, collection.requests, captured={"store_id": "store-002"})
    assert result.response is not None
    assert in_app == result.response.request.url
    assert in_app.endswith("/v0/stores/store-002")


def test_a_replay_is_planned_for_a_folder_or_refused() -> None:
    session = _session()
    collection = Collection(
        name="c",
        requests=[RequestSpec(name="a", folder="F", url="x"), RequestSpec(name="b", method="PUT", url="y")],
    )
    session.activate("prod")
    plan = session.plan_replay(collection, "F")
    assert plan is not None and [r.name for r in plan.requests] == ["a"] and plan.confirmation is None
    whole = session.plan_replay(collection, None)
    assert whole is not None and whole.confirmation is not None
    with pytest.raises(ExplorerError):
        session.plan_replay(collection, "nope")


async def test_a_fetched_token_is_renewed_shortly_before_it_expires(clock: FakeClock) -> None:
    server = SandboxServer(port=0, token_ttl=300, rate_limit=None, clock=clock).start()
    session = _session(_profiles(server.base_url), clock)
    try:
        await session.open()
        engine = session.activate("sandbox")
        assert session.engine_to_renew() is None, "nothing fetched in this session yet"
        await engine.token()
        assert session.engine_to_renew() is None, "a fresh token"
        clock.advance(290)
        assert session.engine_to_renew() is engine
        session.renew_tokens = False
        assert session.engine_to_renew() is None, "auto-refresh off"
    finally:
        await session.close()
        server.stop()
