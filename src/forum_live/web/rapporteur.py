"""The rapporteur's page (/rapporteur?key=…): note the takeaways as they are said, behind the
event's rapporteur key (it can write takeaways and read the run of show and the questions)."""
from flask import Blueprint, current_app, render_template

from ..identity import view_key
from .urls import keyed_view_event, public_base

bp = Blueprint("rapporteur", __name__)


def rapporteur_url(code: str) -> str:
    """The rapporteur page's URL with its key (printed at start, linked from the console)."""
    key = view_key(current_app.config["SECRET_KEY"], code, "rapporteur")
    default = code == current_app.config["FORUM_LIVE_EVENT_CODE"]
    return f"{public_base()}/rapporteur?key={key}" + ("" if default else f"&event={code}")


@bp.get("/rapporteur")
def page():
    """The rapporteur page of the server's event (or ``?event=CODE``); 403 without the right ``key``."""
    event, key = keyed_view_event("rapporteur")
    response = current_app.make_response(render_template("rapporteur/rapporteur.html", event=event,
                                                         rapporteur_key=key))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
