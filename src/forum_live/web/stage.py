"""The stage view (/stage?key=…): the speakers' confidence monitor, read-only, behind its key."""
from flask import Blueprint, abort, current_app, render_template, request

from ..domain.errors import ForumError
from ..extensions import db_session
from ..identity import stage_key, stage_key_ok
from ..services.events import get_event
from .urls import public_base

bp = Blueprint("stage", __name__)


def stage_url(code: str) -> str:
    """The stage view's URL with its read-only key (for the console to show)."""
    key = stage_key(current_app.config["SECRET_KEY"], code)
    default = code == current_app.config["FORUM_LIVE_EVENT_CODE"]
    return f"{public_base()}/stage?key={key}" + ("" if default else f"&event={code}")


@bp.get("/stage")
def stage_view():
    """The stage view of the server's event (or ``?event=CODE``); 403 without the right ``key``."""
    code = request.args.get("event") or current_app.config["FORUM_LIVE_EVENT_CODE"]
    with db_session() as session:
        try:
            event = get_event(session, code)
        except ForumError as exc:
            abort(404, description=exc.message)
    key = request.args.get("key")
    if not stage_key_ok(current_app.config["SECRET_KEY"], event.code, key):
        abort(403, description="The stage view needs its key: open the stage link shown on the moderator console.")
    response = current_app.make_response(render_template("stage/stage.html", event=event, stage_key=key))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
