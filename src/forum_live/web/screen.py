"""The projector screen: read-only, shows what the moderator chose."""
from flask import Blueprint, abort, current_app, render_template, request, url_for

from ..domain.errors import ForumError
from ..extensions import db_session
from ..services.events import get_event
from .urls import join_url

bp = Blueprint("screen", __name__)


@bp.get("/screen")
def projector():
    """The projector page of the server's event (or ``?event=CODE``). ``?preview=1``: the same
    page as the console's scaled-down preview (not counted as a projector, no full-screen or
    cursor handling)."""
    code = request.args.get("event") or current_app.config["FORUM_LIVE_EVENT_CODE"]
    with db_session() as session:
        try:
            event = get_event(session, code)
        except ForumError as exc:
            abort(404, description=exc.message)
    return render_template("screen/projector.html", event=event, join_url=join_url(event.code),
                           qr_url=url_for("audience.qr_code", code=event.code),
                           view="preview" if request.args.get("preview") == "1" else "projector")
