"""The projector screen: read-only, shows what the moderator chose."""
from flask import Blueprint, current_app, render_template, request, url_for

from ..identity import view_key
from .language import use_language
from .urls import join_url, keyed_view_event, public_base

bp = Blueprint("screen", __name__)


@bp.get("/screen")
def projector():
    """The projector page of the server's event (or ``?event=CODE``), in the event's screen
    language; 403 without the right ``key``. ``?preview=1``: the same page as the console's
    scaled-down preview (not counted as a projector, no full-screen or cursor handling)."""
    event, key = keyed_view_event("projector")
    use_language(event.screen_language)
    response = current_app.make_response(render_template(
        "screen/projector.html", event=event, join_url=join_url(event.code),
        qr_url=url_for("audience.qr_code", code=event.code), view_key=key,
        summary_qr_url=url_for("summary.summary_qr_code", code=event.code),
        view="preview" if request.args.get("preview") == "1" else "projector"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def screen_url(code: str, preview: bool = False) -> str:
    """The projector page's URL with its read-only key (printed at start, linked from the console)."""
    key = view_key(current_app.config["SECRET_KEY"], code, "projector")
    default = code == current_app.config["FORUM_LIVE_EVENT_CODE"]
    return (f"{public_base()}/screen?key={key}" + ("" if default else f"&event={code}")
            + ("&preview=1" if preview else ""))
