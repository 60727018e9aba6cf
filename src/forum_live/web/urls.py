"""URLs as phones see them (the LAN address, not localhost)."""
from flask import abort, current_app, request

from ..domain.errors import ForumError
from ..extensions import db_session
from ..identity import view_key_ok
from ..protocol.links import join_url, public_base
from ..services.events import get_event

__all__ = ["join_url", "keyed_view_event", "public_base"]


#: How a 403 names each keyed page.
_PAGE_NAMES = {"projector": "projector page", "stage": "stage view", "rapporteur": "rapporteur page"}


def keyed_view_event(view: str):
    """The event of a page behind a view key (the server's event, or ``?event=CODE``) whose
    ``?key=`` is that view's key (projector, stage or rapporteur): 404 for an unknown event, 403
    with a message for a wrong key. Returns ``(event, key)``."""
    code = request.args.get("event") or current_app.config["FORUM_LIVE_EVENT_CODE"]
    with db_session() as session:
        try:
            event = get_event(session, code)
        except ForumError as exc:
            abort(404, description=exc.message)
    key = request.args.get("key")
    if not view_key_ok(current_app.config["SECRET_KEY"], event.code, view, key):
        abort(403, description=f"The {_PAGE_NAMES[view]} needs its key: "
                               "open its link from the moderator console (or as printed by the server).")
    return event, key
