"""The stage view (/stage?key=…): the speakers' confidence monitor, read-only, behind its key."""
from flask import Blueprint, current_app, render_template

from ..identity import stage_key
from .language import use_language
from .urls import keyed_view_event, public_base

bp = Blueprint("stage", __name__)


def stage_url(code: str) -> str:
    """The stage view's URL with its read-only key (for the console to show)."""
    key = stage_key(current_app.config["SECRET_KEY"], code)
    default = code == current_app.config["FORUM_LIVE_EVENT_CODE"]
    return f"{public_base()}/stage?key={key}" + ("" if default else f"&event={code}")


@bp.get("/stage")
def stage_view():
    """The stage view of the server's event (or ``?event=CODE``), in the event's screen language;
    403 without the right ``key``."""
    event, key = keyed_view_event("stage")
    use_language(event.screen_language)
    response = current_app.make_response(render_template("stage/stage.html", event=event, stage_key=key))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
