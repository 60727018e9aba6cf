"""The event editor (``/moderate/edit``), for the event's moderator: behind the moderator
session, like the console. The page edits through the console's socket actions
(protocol/actions/editor.py): versioned, audited and broadcast like every console command."""
from flask import Blueprint, current_app, render_template

from ..extensions import db_session
from ..services.events import get_event
from .access import is_moderator_session

bp = Blueprint("editor", __name__)


@bp.get("/moderate/edit")
def editor_page():
    """The editor page; 403 with instructions without the moderator session."""
    if not is_moderator_session():
        return render_template("moderator/denied.html"), 403
    with db_session() as s:
        event = get_event(s, current_app.config["FORUM_LIVE_EVENT_CODE"])
    return render_template("moderator/editor.html", event=event)
