"""A room's projector and stage view (/room/<room>/screen, /room/<room>/stage): they follow the
room (its name may hold "/": ``Hall 1/2``), showing whichever of its events is live, else the
next one (its title card with its start time and join code), and switch by themselves when the
next moderator starts.

The page frames the chosen event's own projector (or stage view) page, with that event's key,
and asks ``/room/<room>/now.json`` every few seconds which event that is (one small read per room
screen; any process answers the same, from the database). Behind the room's key
(forum_live.identity.room_key), listed on the organiser's page.
"""
from flask import Blueprint, abort, current_app, render_template, request, url_for

from ..extensions import db_session
from ..identity import room_key_ok, view_key
from ..services.organising import room_event

bp = Blueprint("room", __name__)

#: How often a room page asks which event to show (ms).
POLL_MS = 3000
_VIEWS = {"screen": ("screen.projector", "projector"), "stage": ("stage.stage_view", "stage")}


def _check(room: str, view: str) -> str:
    key = request.args.get("key")
    if len(room) > 100 or not room_key_ok(current_app.config["SECRET_KEY"], room, view, key):
        abort(403, description="This room link needs its key: open it from the organiser's page (/admin).")
    return key


def _now(room: str, view: str) -> dict:
    """``{"event": code | None, "title": str, "url": the framed page's path | None}``."""
    with db_session() as session:
        event = room_event(session, room)
        if event is None:
            return {"event": None, "title": "", "url": None}
        endpoint, key_view = _VIEWS[view]
        key = view_key(current_app.config["SECRET_KEY"], event.code, key_view)
        return {"event": event.code, "title": event.title, "url": url_for(endpoint, key=key, event=event.code)}


def _page(room: str, view: str):
    key = _check(room, view)
    response = current_app.make_response(render_template(
        "screen/room.html", room=room, view=view, now=_now(room, view), poll_ms=POLL_MS,
        now_url=url_for("room.now", room=room, view=view, key=key)))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/room/<path:room>/screen")
def screen(room: str):
    """The room's projector: the projector page of the room's event of the moment."""
    return _page(room, "screen")


@bp.get("/room/<path:room>/stage")
def stage(room: str):
    """The room's stage view: the stage view of the room's event of the moment."""
    return _page(room, "stage")


@bp.get("/room/<path:room>/<view>/now.json")
def now(room: str, view: str):
    """Which event the room's ``view`` shows now (see ``_now``); 404 for another view, 403
    without the room's key."""
    if view not in _VIEWS:
        abort(404, description="A room has a screen and a stage view.")
    _check(room, view)
    response = current_app.make_response(_now(room, view))
    response.headers["Cache-Control"] = "no-store"
    return response
