"""The control API: simple token-authenticated JSON over HTTP for Stream Deck buttons
(Bitfocus Companion's generic HTTP module), scripts and automation. Documented in docs/api.md
and docs/openapi.json.

Each action runs the very same moderator action as the console's Socket.IO event
(protocol.handling.execute with that event's registry entry): same validation, same service
call, same audit entry and version bump, same broadcast. Rate-limited per client address with
Flask-Limiter (in-memory storage: one server process).
"""
import json

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..domain.clock import format_clock, utcnow
from ..domain.errors import ForumError
from ..extensions import db_session
from ..paths import ROOT
from ..protocol.handling import Connection, execute
from ..protocol.namespaces import API, API_NS
from ..protocol.presence import presence_view
from ..protocol.registry import ACTIONS as EVENTS
from ..services.audit import state_version
from ..services.events import get_event
from ..services.views import run_view, scene_view

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Where the OpenAPI description lives (served at /api/v1/openapi.json).
OPENAPI_FILE = "docs/openapi.json"

#: HTTP status of each error code (docs/api.md).
STATUS = {"invalid_payload": 400, "invalid_text": 400, "unauthorized": 401, "forbidden": 403,
          "not_found": 404, "unknown_action": 404, "invalid_state": 409, "stale_state": 409,
          "rate_limited": 429, "internal": 500}


def _blackout(body: dict, event) -> dict:
    """``{"on": bool}`` sets the blackout; without ``on`` the call toggles it. Off returns the
    projector to the timer scene."""
    on = body.pop("on", None)
    if on is None:
        on = event.scene != "blackout"
    if not isinstance(on, bool):
        raise ForumError("invalid_payload", "on: must be true or false (or left out to toggle).")
    return {**body, "scene": "blackout" if on else "timer"}


def _as_sent(body: dict, event) -> dict:
    return body


#: How a JSON body becomes the payload of its action, when not as sent.
_BUILD = {"blackout": _blackout}
#: API action -> (the registry entry it runs, how the JSON body becomes its payload): the
#: registry's entries with the ``api`` role, under their API names.
ACTIONS = {api_name: (entry, _BUILD.get(api_name, _as_sent)) for entry in EVENTS.values() if API in entry.roles
           for api_name in entry.api}


def _error(code: str, message: str, status: int | None = None):
    return jsonify(ok=False, code=code, message=message), status or STATUS.get(code, 400)


@bp.before_request
def _authenticate():
    """Every endpoint but the OpenAPI file needs ``Authorization: Bearer <API token>``."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        response = _error("unauthorized", "Send the API token as the header 'Authorization: Bearer <token>'.")
        response[0].headers["WWW-Authenticate"] = 'Bearer realm="forum-live"'
        return response
    if not current_app.config["FORUM_LIVE_API_CREDENTIAL"].matches(token.strip()):
        return _error("forbidden", "The API token is wrong.")
    return None


@bp.errorhandler(429)
def _rate_limited(exc):
    return _error("rate_limited", f"Too many requests ({exc.description}); wait a moment and try again.")


def _body() -> dict:
    """The request's JSON object; an empty body is ``{}``. Raises ForumError(invalid_payload)."""
    if not request.get_data(cache=True):
        return {}
    try:
        body = json.loads(request.get_data(as_text=True))
    except ValueError:
        raise ForumError("invalid_payload", "The body must be a JSON object (or empty).") from None
    if not isinstance(body, dict):
        raise ForumError("invalid_payload", "The body must be a JSON object (or empty).")
    return body


def run_action(name: str):
    """POST /api/v1/<name>: run one control action; the ack as JSON, with its HTTP status."""
    entry, build = ACTIONS[name]
    try:
        body = _body()
        with db_session() as session:
            event = get_event(session, current_app.config["FORUM_LIVE_EVENT_CODE"])
            payload = build(body, event)
    except ForumError as exc:
        return _error(exc.code, exc.message)
    conn = Connection(API_NS, event.id, label="Control API", actor_key=f"api:{request.remote_addr}")
    ack = execute(entry, payload, conn)
    return jsonify(ack), 200 if ack["ok"] else STATUS.get(ack["code"], 400)


for _name in ACTIONS:
    bp.add_url_rule(f"/{_name}", endpoint=_name, view_func=lambda _n=_name: run_action(_n), methods=["POST"])


@bp.get("/state")
def state():
    """GET /api/v1/state: the show at a glance, read-only (for a button's title, a script)."""
    now = utcnow()
    with db_session() as session:
        event = get_event(session, current_app.config["FORUM_LIVE_EVENT_CODE"])
        run = run_view(event, now)
        version = state_version(session, event)
        scene = scene_view(event)
        event_id, code, title = event.id, event.code, event.title
    timer = run["timer"]
    seg = next((s for s in run["segments"] if timer and s["id"] == timer["segment_id"]), None)
    return jsonify(
        ok=True, server_now_ms=run["server_now_ms"], version=version,
        event={"code": code, "title": title}, status=run["status"],
        segment=None if seg is None else {"id": seg["id"], "title": seg["title"], "position": seg["position"],
                                          "count": len(run["segments"])},
        timer=timer, remaining_text=format_clock(timer["remaining_ms"]) if timer else "--:--",
        projected_end_ms=run["projected_end_ms"], scene=scene, presence=presence_view(event_id))


@bp.route("/<path:name>", methods=["GET", "POST"])
def unknown_action(name: str):
    """Any other path under /api/v1: 404 ``unknown_action`` naming the actions there are."""
    return _error("unknown_action", f"There is no action {name[:40]!r}; the actions are "
                                    f"{', '.join(ACTIONS)} (POST) and state (GET).")


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of this API (no token needed)."""
    return Response((ROOT / OPENAPI_FILE).read_bytes(), mimetype="application/json")


def init_app(app: Flask) -> None:
    """Register the API and its rate limit on ``app`` (a Limiter of its own per app)."""
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://", headers_enabled=True,
                      default_limits=[])
    limiter.limit(lambda: current_app.config["FORUM_LIVE_API_RATE_LIMIT"])(bp)
    app.extensions["forum_live.limiter"] = limiter
    app.register_blueprint(bp)
