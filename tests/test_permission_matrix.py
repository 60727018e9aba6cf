"""The permission matrix: every socket event and every HTTP endpoint, from every role.

Roles: audience (a phone), projector (/screen with its key), stage (/screen with the stage
key), rapporteur (/rapporteur with the rapporteur key: takeaways only), moderator (console),
api (the HTTP control API), organiser (/admin, and every console); plus no credentials, a forged
token, a stale (rotated) token and another event's moderator. Event x role x action: every role
of another event, aiming at this event's rows: tests/sockets/test_socket_several_events.py.
The expected answers are written out below (role x event -> allowed), not read from the
registry or the handlers, so an event registered for the wrong role fails. Denied calls get a
clear error and change nothing. A new event or route that is not in these tables fails the
test, so every addition gets a decision.
"""
import re

import pytest

from forum_live import create_app
from forum_live.domain.clock import utcnow
from forum_live.identity import room_key, view_key
from forum_live.protocol.registry import ACTIONS, event_names
from forum_live.services.organising import create_event, source_data
from forum_live.web.api import ACTIONS as API_ACTIONS
from support.actors import Actor
from support.server import TOKEN as MODERATOR_TOKEN

ROLES = {  # role -> (namespace, auth)
    "audience": ("/audience", lambda app: {"event": "ILO22"}),
    "projector": ("/screen", lambda app: {"event": "ILO22", "key": view_key(app.config["SECRET_KEY"], "ILO22",
                                                                             "projector")}),
    "stage": ("/screen", lambda app: {"event": "ILO22", "stage": view_key(app.config["SECRET_KEY"], "ILO22",
                                                                           "stage")}),
    "rapporteur": ("/rapporteur", lambda app: {"event": "ILO22", "key": view_key(app.config["SECRET_KEY"], "ILO22",
                                                                                  "rapporteur")}),
    "moderator": ("/moderator", lambda app: {"token": MODERATOR_TOKEN}),
}
COLUMNS = ("audience", "projector", "stage", "rapporteur", "moderator", "api")
# event                     aud proj stage rapp mod api     (1: allowed, 0: refused)
MATRIX = {
    "clock:ping":           (1,  1,   1,    1,   1,  0),
    "question:submit":      (1,  0,   0,    0,   0,  0),
    "question:upvote":      (1,  0,   0,    0,   0,  0),
    "question:withdraw":    (1,  0,   0,    0,   0,  0),
    "question:similar":     (1,  0,   0,    0,   0,  0),
    "poll:vote":            (1,  0,   0,    0,   0,  0),
    "poll:withdraw":        (1,  0,   0,    0,   0,  0),
    "timer:start":          (0,  0,   0,    0,   1,  1),
    "timer:pause":          (0,  0,   0,    0,   1,  1),
    "timer:next":           (0,  0,   0,    0,   1,  1),
    "timer:previous":       (0,  0,   0,    0,   1,  1),
    "timer:goto":           (0,  0,   0,    0,   1,  0),
    "timer:adjust":         (0,  0,   0,    0,   1,  1),
    "segment:skip":         (0,  0,   0,    0,   1,  0),
    "segment:auto":         (0,  0,   0,    0,   1,  0),
    "plan:preview":         (0,  0,   0,    0,   1,  0),
    "plan:apply":           (0,  0,   0,    0,   1,  0),
    "plan:undo":            (0,  0,   0,    0,   1,  0),
    "run:reset":            (0,  0,   0,    0,   1,  0),
    "run:import":           (0,  0,   0,    0,   1,  0),
    "speaker:set":          (0,  0,   0,    0,   1,  0),
    "editor:load":          (0,  0,   0,    0,   1,  0),
    "event:edit":           (0,  0,   0,    0,   1,  0),
    "panelist:add":         (0,  0,   0,    0,   1,  0),
    "panelist:update":      (0,  0,   0,    0,   1,  0),
    "panelist:remove":      (0,  0,   0,    0,   1,  0),
    "panelist:move":        (0,  0,   0,    0,   1,  0),
    "segment:add":          (0,  0,   0,    0,   1,  0),
    "segment:update":       (0,  0,   0,    0,   1,  0),
    "segment:remove":       (0,  0,   0,    0,   1,  0),
    "segment:move":         (0,  0,   0,    0,   1,  0),
    "key-question:add":     (0,  0,   0,    0,   1,  0),
    "key-question:update":  (0,  0,   0,    0,   1,  0),
    "key-question:remove":  (0,  0,   0,    0,   1,  0),
    "prompt:next":          (0,  0,   0,    0,   1,  0),
    "prompt:previous":      (0,  0,   0,    0,   1,  0),
    "prompt:show":          (0,  0,   0,    0,   1,  0),
    "scene:set":            (0,  0,   0,    0,   1,  1),
    "stage:message":        (0,  0,   0,    0,   1,  0),
    "stage:clear":          (0,  0,   0,    0,   1,  0),
    "stage:flash":          (0,  0,   0,    0,   1,  0),
    "stage:blackout":       (0,  0,   0,    0,   1,  0),
    "question:moderate":    (0,  0,   0,    0,   1,  0),
    "question:highlight":   (0,  0,   0,    0,   1,  0),
    "question:edit":        (0,  0,   0,    0,   1,  0),
    "question:merge":       (0,  0,   0,    0,   1,  0),
    "question:candidates":  (0,  0,   0,    0,   1,  0),
    "question:queue":       (0,  0,   0,    0,   1,  0),
    "question:next":        (0,  0,   0,    0,   1,  0),
    "questions:settings":   (0,  0,   0,    0,   1,  0),
    "questions:follow-up":  (0,  0,   0,    0,   1,  0),
    "poll:create":          (0,  0,   0,    0,   1,  0),
    "poll:update":          (0,  0,   0,    0,   1,  0),
    "poll:delete":          (0,  0,   0,    0,   1,  0),
    "poll:open":            (0,  0,   0,    0,   1,  0),
    "poll:close":           (0,  0,   0,    0,   1,  0),
    "poll:reveal":          (0,  0,   0,    0,   1,  0),
    "poll:reset":           (0,  0,   0,    0,   1,  0),
    "poll:answer":          (0,  0,   0,    0,   1,  0),
    "poll:show":            (0,  0,   0,    0,   1,  0),
    "summary:publish":      (0,  0,   0,    0,   1,  0),
    "takeaway:add":         (0,  0,   0,    1,   1,  0),
    "takeaway:edit":        (0,  0,   0,    1,   1,  0),
    "takeaway:delete":      (0,  0,   0,    1,   1,  0),
}
ALLOWED = {role: {event for event, row in MATRIX.items() if row[COLUMNS.index(role)]} for role in COLUMNS}
#: Events only the moderator (and who the registry lets share them) may send: anyone else is told
#: ``forbidden`` (other unknown events are ``invalid_payload``).
MODERATOR_EVENTS = ALLOWED["moderator"] - {"clock:ping"}


def test_every_registered_event_is_in_the_matrix():
    assert set(MATRIX) == event_names()
    assert all(len(row) == len(COLUMNS) for row in MATRIX.values())


@pytest.mark.parametrize("event", sorted(ACTIONS))
def test_the_registry_gives_each_event_the_roles_of_the_matrix(event):
    expected = {role for role in COLUMNS if MATRIX[event][COLUMNS.index(role)]}
    assert set(ACTIONS[event].roles) == expected - {"projector", "stage"}
    assert not expected & {"projector", "stage"}  # the screens send no action


def test_the_control_api_runs_exactly_the_api_column():
    assert {entry.name for entry, _build in API_ACTIONS.values()} == ALLOWED["api"]


def _stable(state):
    run = {k: v for k, v in state["run"].items() if k not in ("server_now_ms", "projected_end_ms", "over_booked_ms")}
    run["timer"] = {k: v for k, v in (run.get("timer") or {}).items() if k not in ("remaining_ms", "elapsed_ms", "phase",
                                                                                   "phase_label")}
    run["segments"] = [{k: v for k, v in s.items() if k != "elapsed_ms"} for s in run["segments"]]
    return {"run": run, "questions": state["questions"], "polls": state["polls"], "scene": state["scene"],
            "takeaways": state["takeaways"]}


@pytest.mark.parametrize("event", sorted(MATRIX))
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_socket_event_from_every_role(app, role, event):
    namespace, auth = ROLES[role]
    actor = Actor(app, namespace, auth(app))
    assert actor.sio.is_connected(namespace)
    before = _stable(Actor(app, "/moderator", {"token": MODERATOR_TOKEN}).last("state"))
    ack = actor.call(event, {})
    assert isinstance(ack, dict) and "ok" in ack, ack
    if event in ALLOWED[role]:
        assert ack.get("code") not in ("forbidden",), ack  # allowed: it may still refuse an empty payload
        assert "Unknown event" not in ack.get("message", ""), ack
    else:
        assert ack["ok"] is False and ack["code"] in ("forbidden", "invalid_payload"), ack
        if event in MODERATOR_EVENTS:
            assert ack["code"] == "forbidden", ack
        assert isinstance(ack["message"], str) and ack["message"]
        assert _stable(Actor(app, "/moderator", {"token": MODERATOR_TOKEN}).last("state")) == before


@pytest.mark.parametrize("namespace,auth", [
    ("/moderator", {}), ("/moderator", {"token": "forged"}), ("/moderator", {"token": ""}),
    ("/screen", {"event": "ILO22"}), ("/screen", {"event": "ILO22", "key": "forged"}),
    ("/screen", {"event": "ILO22", "stage": "forged"}), ("/audience", {"event": "NOPE"}),
    ("/rapporteur", {}), ("/rapporteur", {"event": "ILO22"}), ("/rapporteur", {"event": "ILO22", "key": "forged"}),
    ("/rapporteur", {"event": "ILO22", "token": MODERATOR_TOKEN}),
    # Another role's key is no key (each is derived from the server's secret, per view).
    ("/rapporteur", lambda app: {"event": "ILO22", "key": view_key(app.config["SECRET_KEY"], "ILO22", "projector")}),
    ("/rapporteur", lambda app: {"event": "ILO22", "key": view_key(app.config["SECRET_KEY"], "ILO22", "stage")}),
    ("/screen", lambda app: {"event": "ILO22", "key": view_key(app.config["SECRET_KEY"], "ILO22", "rapporteur")}),
    ("/screen", lambda app: {"event": "ILO22", "stage": view_key(app.config["SECRET_KEY"], "ILO22", "rapporteur")}),
    ("/moderator", lambda app: {"token": view_key(app.config["SECRET_KEY"], "ILO22", "rapporteur")}),
])
def test_connections_without_valid_credentials_are_refused(app, namespace, auth):
    auth = auth(app) if callable(auth) else auth
    client = app.extensions["socketio"].test_client(app, namespace=namespace, auth=auth)
    assert not client.is_connected(namespace)


def test_a_stale_moderator_token_is_refused_after_rotation(tmp_path):
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "s",
              "DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FORUM_LIVE_ASYNC_MODE": "threading"}
    old = create_app(config).config["FORUM_LIVE_MODERATOR_CREDENTIAL"].plain
    app = create_app({**config, "FORUM_LIVE_NEW_TOKENS": True})
    client = app.extensions["socketio"].test_client(app, namespace="/moderator", auth={"token": old})
    assert not client.is_connected("/moderator")
    assert app.test_client().get(f"/moderate?token={old}").status_code == 403


# HTTP: endpoint -> who may use it. "public": anyone; otherwise the credential it needs.
ENDPOINTS = {
    "static": "public", "audience.join": "public", "audience.join_code": "public",
    "audience.event_page": "public", "audience.qr_code": "public", "audience.health": "public",
    "api.openapi": "public", "language.catalog": "public",
    "screen.projector": "projector", "stage.stage_view": "stage", "rapporteur.page": "rapporteur",
    "moderator.console": "moderator", "editor.editor_page": "moderator", "exports.poll_results_csv": "moderator",
    "exports.poll_ballots_csv": "moderator",
    "report.report_page": "moderator", "report.report_xlsx": "moderator", "report.report_csv": "moderator",
    "report.report_json": "moderator", "rundown.preview": "moderator", "rundown.rundown_xlsx": "moderator",
    "rundown.rundown_csv": "moderator", "rundown.event_toml": "moderator",
    "summary.summary_page": "public", "summary.summary_qr_code": "public",
    "api.start": "api", "api.pause": "api", "api.next": "api", "api.previous": "api", "api.adjust": "api",
    "api.blackout": "api", "api.scene": "api", "api.state": "api", "api.unknown_action": "api",
    # The organiser's page (/admin): the organiser only (who may also open every console).
    "admin.index": "organiser", "admin.create": "organiser", "admin.event_page": "organiser",
    "admin.new_token": "organiser", "admin.archive": "organiser", "admin.delete": "organiser",
    "admin.move_room": "organiser",
    # A room's projector and stage view (read-only, behind the room's key).
    "room.screen": "room", "room.stage": "room", "room.now": "room",
}
#: Who else may use what a credential opens: the organiser runs every event's console.
ALSO = {"moderator": {"organiser"}}
SAMPLE = {"static": "/static/css/base.css", "audience.join": "/", "audience.join_code": "/join?code=ILO22",
          "audience.event_page": "/e/ILO22", "audience.qr_code": "/e/ILO22/qr.svg", "audience.health": "/healthz",
          "api.openapi": "/api/v1/openapi.json", "language.catalog": "/i18n/fr.json",
          "screen.projector": "/screen", "stage.stage_view": "/stage",
          "rapporteur.page": "/rapporteur",
          "moderator.console": "/moderate?event=ILO22", "exports.poll_results_csv": "/moderate/polls/1/results.csv",
          "exports.poll_ballots_csv": "/moderate/polls/1/ballots.csv", "report.report_csv": "/moderate/report/questions.csv",
          "summary.summary_page": "/e/ILO22/summary", "summary.summary_qr_code": "/e/ILO22/summary/qr.svg",
          "api.unknown_action": "/api/v1/fly", "admin.event_page": "/admin/events/ILO22",
          "admin.new_token": "/admin/events/ILO22/token", "admin.archive": "/admin/events/ILO22/archive",
          "admin.delete": "/admin/events/ILO22/delete", "admin.move_room": "/admin/events/ILO22/room",
          "room.screen": "/room/Hall%20B/screen",
          "room.stage": "/room/Hall%20B/stage", "room.now": "/room/Hall%20B/screen/now.json",
          "api.state": "/api/v1/state"}
CREDENTIALS = ["none", "forged", "audience", "projector", "stage", "rapporteur", "moderator", "api", "organiser", "room",
               "other event's moderator"]


def test_every_route_is_in_the_matrix(app):
    assert {r.endpoint for r in app.url_map.iter_rules()} == set(ENDPOINTS)


def _request(app, endpoint, credential):
    client = app.test_client()
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    path = SAMPLE.get(endpoint, rule.rule)
    headers, sep = {}, "&" if "?" in path else "?"
    secret = app.config["SECRET_KEY"]
    if credential == "forged":
        headers["Authorization"] = "Bearer forged"
        path += f"{sep}key=forged&token=forged"
    elif credential == "audience":
        client.get("/e/ILO22")  # a phone's device cookie
    elif credential in ("projector", "stage", "rapporteur"):
        path += f"{sep}key={view_key(secret, 'ILO22', credential)}"
    elif credential == "moderator":
        client.get(f"/moderate?token={MODERATOR_TOKEN}")
        # The console page's CSRF token, which its uploads send (web/csrf.py).
        page = client.get("/moderate").get_data(as_text=True)
        headers["X-CSRF-Token"] = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    elif credential == "room":
        path += f"{sep}key={room_key(secret, 'Hall B', 'stage' if path.endswith('/stage') else 'screen')}"
    elif credential == "organiser":
        client.get(f"/admin?token={app.config['FORUM_LIVE_ORGANISER_CREDENTIAL'].plain}")
        page = client.get("/admin").get_data(as_text=True)
        headers["X-CSRF-Token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    elif credential == "other event's moderator":
        # A moderator signed in with another event's own token (made on /admin): not this event's.
        with app.extensions["forum_live.sessions"]() as s:
            _event, token = create_event(s, source_data(s, "blank", timezone="UTC"), utcnow(), code="OTHER9")
            s.commit()
        client.get(f"/moderate?token={token}")
    elif credential == "api":
        headers["Authorization"] = f"Bearer {app.config['FORUM_LIVE_API_CREDENTIAL'].plain}"
    method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
    with client.open(path, method=method, headers=headers, json={} if method == "POST" else None) as response:
        return response.status_code


@pytest.mark.parametrize("credential", CREDENTIALS)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_http_endpoint_from_every_role(app, endpoint, credential):
    needed = ENDPOINTS[endpoint]
    status = _request(app, endpoint, credential)
    allowed = needed == "public" or needed == credential or credential in ALSO.get(needed, ())
    if allowed:
        assert status not in (401, 403), (endpoint, credential, status)
    else:
        assert status in (401, 403), (endpoint, credential, status)
