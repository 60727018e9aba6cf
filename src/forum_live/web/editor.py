"""The event editor (``/moderate/edit``), for the event's moderator: behind the moderator
session, like the console (``?event=CODE`` for another event than the server's). The page edits
through the console's socket actions (protocol/actions/editor.py): versioned, audited and
broadcast like every console command."""
from flask import Blueprint, render_template

from ..extensions import db_session
from .access import moderator_event, signed_in

bp = Blueprint("editor", __name__)


@bp.get("/moderate/edit")
def editor_page():
    """The editor page of the server's event (or ``?event=CODE``, web.access.moderator_event);
    403 with instructions without a console session, 403 for an event this session may not run."""
    if not signed_in():
        return render_template("moderator/denied.html"), 403
    with db_session() as s:
        event = moderator_event(s)
    return render_template("moderator/editor.html", event=event)
