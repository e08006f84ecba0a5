from __future__ import annotations

import pytest

from explorer.core.errors import RequestError, TemplateError
from explorer.core.http import merge_query, prepare, render, variables_for
from explorer.core.model import RequestSpec
from explorer.core.profiles import parse_profiles
from explorer.core.tokens import redact_header

PROFILE = parse_profiles(
    {
        "profiles": {
            "p": {
                "tenant": "acme-staging",
                "client_id": "c",
                "api_url": "http://127.0.0.1:1/api/acme",
                "variables": {"store_id": "store-009", "limit": "5"},
            }
        }
    }
).get("p")


def test_builtins_profile_and_collection_variables_in_that_order() -> None:
    variables = variables_for(PROFILE, {"store_id": "store-001", "order": "o-1", "tenant": "ignored"})
    assert variables["store_id"] == "store-009"  # the profile wins over the collection
    assert variables["order"] == "o-1"
    assert variables["tenant"] == "acme-staging"  # built-ins win over everything
    assert variables["stage"] == "staging"
    assert variables["api_url"] == "http://127.0.0.1:1/api/acme"
    assert variables["profile"] == "p"


def test_captured_values_win_over_everything() -> None:
    captured = {"store_id": "store-042", "order": "o-9"}
    variables = variables_for(PROFILE, {"store_id": "store-001", "order": "o-1"}, captured)
    assert variables["store_id"] == "store-042"  # over the profile's
    assert variables["order"] == "o-9"  # over the collection's
    assert variables["limit"] == "5" and variables["tenant"] == "acme-staging"


def test_renders_every_part_of_a_request() -> None:
    spec = RequestSpec(
        name="x",
        method="post",
        url="{{api_url}}/v0/stores/{{ store_id }}",
        params={"limit": "{{limit}}"},
        headers={"X-Tenant": "{{tenant}}"},
        body='{"store": "{{store_id}}"}',
    )
    prepared = prepare(spec, variables_for(PROFILE))
    assert prepared.method == "POST"
    assert prepared.url == "http://127.0.0.1:1/api/acme/v0/stores/store-009"
    assert prepared.params == (("limit", "5"),)
    assert ("X-Tenant", "acme-staging") in prepared.headers
    assert ("Content-Type", "application/json") in prepared.headers
    assert prepared.body == b'{"store": "store-009"}'
    assert prepared.full_url().endswith("/store-009?limit=5")
    assert not prepared.own_authorization


def test_unknown_variables_fail_before_sending_and_are_all_named() -> None:
    spec = RequestSpec(name="Get", url="{{api_url}}/orders/{{order_id}}", headers={"X": "{{nope}}"})
    with pytest.raises(TemplateError) as info:
        prepare(spec, variables_for(PROFILE))
    assert info.value.names == ["nope", "order_id"]
    assert "{{nope}}, {{order_id}}" in str(info.value) and "'Get'" in str(info.value)
    with pytest.raises(TemplateError):
        render("{{a}}", {})


def test_a_literal_authorization_header_is_reported() -> None:
    spec = RequestSpec(url="https://x/y", headers={"authorization": "Bearer abc"})
    assert prepare(spec, {}).own_authorization


def test_urls_need_a_scheme() -> None:
    with pytest.raises(RequestError, match="scheme"):
        prepare(RequestSpec(url="example.com/x"), {})
    with pytest.raises(RequestError, match="no URL"):
        prepare(RequestSpec(url="  "), {})


def test_redaction_of_credentials_in_headers() -> None:
    assert redact_header("Authorization", "Bearer " + "a" * 100).startswith("Bearer aaaaaa…")
    assert "a" * 20 not in redact_header("Authorization", "Bearer " + "a" * 100)
    assert redact_header("Cookie", "session=abc") == "••••••••"
    # Basic carries the client secret itself: nothing of it is shown.
    assert redact_header("Authorization", "Basic ZXhwbG9yZXI6c2VjcmV0") == "Basic ••••••••"
    assert redact_header("Accept", "application/json") == "application/json"


def test_dynamic_variables_are_fresh_each_time() -> None:
    spec = RequestSpec(url="https://x/{{$uuid}}", headers={"Idempotency-Key": "{{ $uuid }}"}, body="{{$timestamp}}")
    first, second = prepare(spec, {}), prepare(spec, {})
    assert first.url != second.url
    assert len(first.url.rsplit("/", 1)[1]) == 36
    assert first.body.decode().isdigit()
    with pytest.raises(TemplateError, match=r"\{\{\$nope\}\}"):
        prepare(RequestSpec(url="https://x/{{$nope}}"), {})


def test_params_add_to_a_query_typed_in_the_url() -> None:
    spec = RequestSpec(url="https://x/export?size_mb=5&count=1", params={"count": "10", "offset": "0"})
    assert prepare(spec, {}).full_url() == "https://x/export?size_mb=5&count=10&offset=0"


def test_the_params_table_replaces_a_name_where_the_url_has_it_and_keeps_the_rest_as_typed() -> None:
    merged = merge_query("https://x/a?q=a+b&z=2&z=3#top", [("z", "9"), ("n", "a b&c")])
    assert merged == "https://x/a?q=a+b&z=9&n=a%20b%26c#top"
    assert merge_query("https://x/a", []) == "https://x/a"
    # The composer's preview keeps unknown variables readable.
    assert merge_query("https://x/{{id}}", [("v", "{{v}}")], safe="{}$") == "https://x/{{id}}?v={{v}}"
