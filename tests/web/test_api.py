"""The control API (docs/api.md, docs/openapi.json): token, actions, state, errors, rate limit."""
import json
import re

import pytest
from openapi_spec_validator import validate

from forum_live import ROOT, create_app
from support.server import TOKEN as MODERATOR_TOKEN

API_TOKEN = "api-test-token"
BEARER = {"Authorization": f"Bearer {API_TOKEN}"}

# endpoint, method, body that works on a fresh show (after `setup`), what it changes
ENDPOINTS = [
    ("/api/v1/start", "POST", None, []),
    ("/api/v1/pause", "POST", None, ["start"]),
    ("/api/v1/next", "POST", None, ["start"]),
    ("/api/v1/previous", "POST", None, ["start", "next"]),
    ("/api/v1/adjust", "POST", {"delta_ms": 60_000}, ["start"]),
    ("/api/v1/blackout", "POST", {}, []),
    ("/api/v1/scene", "POST", {"scene": "holding"}, []),
    ("/api/v1/state", "GET", None, []),
]
IDS = [e[0].rsplit("/", 1)[1] for e in ENDPOINTS]


def _config(tmp_path, **extra):
    return {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}", "SECRET_KEY": "test-secret",
            "FORUM_LIVE_MODERATOR_TOKEN": MODERATOR_TOKEN, "FORUM_LIVE_API_TOKEN": API_TOKEN,
            "FORUM_LIVE_ASYNC_MODE": "threading", "FORUM_LIVE_TALLY_INTERVAL_MS": 0, **extra}


@pytest.fixture
def api_app(tmp_path):
    return create_app(_config(tmp_path))


@pytest.fixture
def api(api_app):
    return api_app.test_client()


def _call(api, path, method, body=None, headers=BEARER):
    if method == "GET":
        return api.get(path, headers=headers)
    return api.post(path, headers=headers, json=body) if body is not None else api.post(path, headers=headers)


def _console(app):
    client = app.extensions["socketio"].test_client(app, namespace="/moderator", auth={"token": MODERATOR_TOKEN})
    client.get_received("/moderator")
    return client


@pytest.mark.parametrize(("path", "method", "body", "setup"), ENDPOINTS, ids=IDS)
def test_right_token_does_it_and_every_console_is_told(api_app, api, path, method, body, setup):
    for step in setup:
        assert api.post(f"/api/v1/{step}", headers=BEARER).status_code == 200
    console = _console(api_app)
    response = _call(api, path, method, body)
    assert response.status_code == 200, response.json
    assert response.json["ok"] is True
    received = {m["name"]: m["args"][0] for m in console.get_received("/moderator")}
    if method == "GET":
        assert received == {}
        assert response.json["version"] == len(setup)
        return
    # Broadcast as the console's own button would, and audited as the Control API.
    assert {"audit"} < set(received)
    entry = received["audit"]["entries"][0]
    assert entry["actor"] == "Control API" and entry["source"] == "api"
    assert received["audit"]["version"] == len(setup) + 1


@pytest.mark.parametrize(("path", "method", "body", "setup"), ENDPOINTS, ids=IDS)
@pytest.mark.parametrize(("headers", "status", "code"), [
    ({}, 401, "unauthorized"),
    ({"Authorization": "Bearer wrong-token"}, 403, "forbidden"),
    ({"Authorization": f"Basic {API_TOKEN}"}, 401, "unauthorized"),
    ({"Authorization": f"Bearer {MODERATOR_TOKEN}"}, 403, "forbidden"),  # the console's token is not the API's
], ids=["no-token", "wrong-token", "not-bearer", "moderator-token"])
def test_no_or_wrong_token_is_refused_and_changes_nothing(api_app, api, path, method, body, setup, headers, status, code):
    before = api.get("/api/v1/state", headers=BEARER).json
    response = _call(api, path, method, body, headers=headers)
    assert (response.status_code, response.json["ok"], response.json["code"]) == (status, False, code)
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    after = api.get("/api/v1/state", headers=BEARER).json
    assert (after["version"], after["status"], after["scene"]) == (before["version"], before["status"], before["scene"])


@pytest.mark.parametrize("path", ["/api/v1/explode", "/api/v1/timer/start", "/api/v1/Start", "/api/v1/state/x"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unknown_action_is_404_naming_the_real_ones(api, path, method):
    response = _call(api, path, method)
    assert response.status_code == 404
    assert response.json["code"] == "unknown_action"
    assert "start, pause, next, previous, adjust, blackout, scene" in response.json["message"]


def test_an_unknown_action_without_a_token_is_refused_first(api):
    assert api.post("/api/v1/explode").status_code == 401


@pytest.mark.parametrize(("path", "body", "status", "code"), [
    ("/api/v1/adjust", None, 400, "invalid_payload"),
    ("/api/v1/adjust", {"delta_ms": "60000"}, 400, "invalid_payload"),
    ("/api/v1/adjust", {"delta_ms": 60_000, "extra": 1}, 400, "invalid_payload"),
    ("/api/v1/scene", {"scene": "karaoke"}, 400, "invalid_payload"),
    ("/api/v1/scene", {"scene": "poll"}, 409, "invalid_state"),
    ("/api/v1/blackout", {"on": "yes"}, 400, "invalid_payload"),
    ("/api/v1/pause", None, 409, "invalid_state"),
    ("/api/v1/previous", None, 409, "invalid_state"),
    ("/api/v1/start", {"version": 5}, 409, "stale_state"),
    ("/api/v1/start", [1, 2], 400, "invalid_payload"),
])
def test_bad_requests_get_a_clear_error_and_change_nothing(api, path, body, status, code):
    response = _call(api, path, "POST", body)
    assert (response.status_code, response.json["code"]) == (status, code), response.json
    assert response.json["message"]
    assert api.get("/api/v1/state", headers=BEARER).json["version"] == 0


def test_a_body_that_is_not_json_is_refused(api):
    response = api.post("/api/v1/start", headers={**BEARER, "Content-Type": "application/json"}, data="{nope")
    assert (response.status_code, response.json["code"]) == (400, "invalid_payload")


def test_blackout_toggles_and_can_be_set_explicitly(api):
    scene = lambda: api.get("/api/v1/state", headers=BEARER).json["scene"]["name"]  # noqa: E731
    api.post("/api/v1/blackout", headers=BEARER)
    assert scene() == "blackout"
    api.post("/api/v1/blackout", headers=BEARER)
    assert scene() == "timer"
    api.post("/api/v1/blackout", headers=BEARER, json={"on": True})
    api.post("/api/v1/blackout", headers=BEARER, json={"on": True})
    assert scene() == "blackout"
    api.post("/api/v1/blackout", headers=BEARER, json={"on": False})
    assert scene() == "timer"


def test_state_reads_the_show_for_a_button(api):
    api.post("/api/v1/start", headers=BEARER)
    state = api.get("/api/v1/state", headers=BEARER).json
    assert state["status"] == "live" and state["timer"]["state"] == "running"
    assert state["segment"] == {"id": state["timer"]["segment_id"], "title": "Opening and introductions",
                                "position": 0, "count": 9}
    assert re.fullmatch(r"0[78]:\d\d", state["remaining_text"])
    assert state["presence"]["projectors"] == 0


def test_an_api_change_made_on_an_old_version_loses_to_a_console(api_app, api):
    console = _console(api_app)
    console.emit("scene:set", {"scene": "join", "version": 0}, namespace="/moderator", callback=True)
    response = api.post("/api/v1/scene", headers=BEARER, json={"scene": "holding", "version": 0})
    assert (response.status_code, response.json["code"]) == (409, "stale_state")
    assert "Console 1" in response.json["message"]


@pytest.mark.parametrize(("path", "method", "body", "setup"), ENDPOINTS, ids=IDS)
def test_the_rate_limit_answers_429_with_retry_after(tmp_path, path, method, body, setup):
    app = create_app(_config(tmp_path, FORUM_LIVE_API_RATE_LIMIT="3 per minute"))
    api = app.test_client()
    statuses = [_call(api, path, method, body).status_code for _ in range(3)]
    assert 429 not in statuses
    response = _call(api, path, method, body)
    assert response.status_code == 429
    assert response.json["code"] == "rate_limited" and response.json["ok"] is False
    assert int(response.headers["Retry-After"]) > 0
    # Wrong tokens count too (no guessing at full speed), and other addresses have their own budget.
    assert _call(api, path, method, body, headers={}).status_code == 429
    other = api.get("/api/v1/state", headers=BEARER, environ_base={"REMOTE_ADDR": "192.0.2.55"})
    assert other.status_code == 200


def test_the_rate_limit_does_not_touch_the_pages(tmp_path):
    app = create_app(_config(tmp_path, FORUM_LIVE_API_RATE_LIMIT="1 per minute"))
    client = app.test_client()
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))


# ---- the OpenAPI file against the app's routes ---------------------------------------------

def _openapi():
    return json.loads((ROOT / "docs" / "openapi.json").read_text("utf-8"))


def _flask_path(openapi_path: str) -> str:
    return re.sub(r"\{(\w+)\}", r"<\1>", openapi_path)


def test_the_openapi_file_is_valid_openapi():
    validate(_openapi())


def test_the_openapi_file_and_the_apps_api_routes_match(api_app):
    documented = {(_flask_path(path), method.upper())
                  for path, ops in _openapi()["paths"].items() for method in ops}
    routed = {(rule.rule, method) for rule in api_app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and rule.endpoint != "api.unknown_action"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed


def test_every_documented_action_body_is_what_the_app_accepts(api):
    for path, ops in _openapi()["paths"].items():
        example = ops.get("post", {}).get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")
        if example is not None and path != "/api/v1/adjust":
            response = api.post(path, headers=BEARER, json=example)
            assert response.status_code in (200, 409), (path, response.json)
            assert response.json["code"] != "invalid_payload" if not response.json["ok"] else True


def test_the_openapi_file_is_served_without_a_token(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json["info"]["title"] == "forum-live control API"


def test_the_api_token_is_generated_once_and_kept_only_hashed(tmp_path):
    config = _config(tmp_path)
    del config["FORUM_LIVE_API_TOKEN"]
    first = create_app(config).config["FORUM_LIVE_API_CREDENTIAL"]
    again = create_app(config).config["FORUM_LIVE_API_CREDENTIAL"]
    assert first.plain and len(first.plain) >= 20 and first.plain != MODERATOR_TOKEN
    assert again.plain is None and again.matches(first.plain)  # shown once, then only its digest
    stored = tmp_path / "instance" / "api_token.sha256"
    assert stored.stat().st_mode & 0o077 == 0 and first.plain not in stored.read_text()
    assert not (tmp_path / "instance" / "api_token").exists()


def test_next_with_from_segment_id_moves_on_once(api):
    _call(api, "/api/v1/start", "POST")
    state = _call(api, "/api/v1/state", "GET").get_json()
    first = state["segment"]["id"]
    assert _call(api, "/api/v1/next", "POST", {"from_segment_id": first}).status_code == 200
    again = _call(api, "/api/v1/next", "POST", {"from_segment_id": first})
    assert again.status_code == 409
    assert again.get_json()["code"] == "invalid_state" and again.get_json()["message"].startswith("Already moved on")
    assert _call(api, "/api/v1/state", "GET").get_json()["segment"]["position"] == 1
