"""The console's pages: which event a request is for, and the links they make (the session
rules are forum_live.consoles')."""
from flask import abort, current_app, g, request

from ..consoles import (
    event_fingerprint,
    is_moderator_for,
    is_moderator_session,
    is_organiser_session,
    signed_in,
)
from ..domain.errors import ForumError
from ..services.events import get_event

__all__ = ["console_url_defaults", "event_fingerprint", "is_moderator_for", "is_moderator_session",
           "is_organiser_session", "moderator_event", "signed_in"]


#: The blueprints of the console's own pages and downloads: their links made while a console
#: of another event than the server's is served carry that event (``?event=CODE``).
CONSOLE_BLUEPRINTS = ("moderator", "editor", "report", "rundown", "exports")


def moderator_event(db):
    """The event a console page, report or download is for: ``?event=CODE``, else the server's
    event; for a browser that may run it only (``is_moderator_for``).

    Aborts 403 without a moderator or organiser session, and 403 too for an event this session
    may not run, whether or not an event has that code (the answer reveals nothing about other
    events). Links built while answering carry the event (``console_url_defaults``).
    """
    code = request.args.get("event") or current_app.config["FORUM_LIVE_EVENT_CODE"]
    event = None
    try:
        event = get_event(db, code)
    except ForumError:
        pass
    if event is None or not is_moderator_for(event):
        if not signed_in():
            abort(403, description="Sign in to the moderator console first (open its link with the token).")
        abort(403, description=f"This moderator session is not for the event {code.strip().upper()[:12]}: "
                               "open that event's own moderator link.")
    if event.code != current_app.config["FORUM_LIVE_EVENT_CODE"]:
        g.console_event = event.code
    return event


def console_url_defaults(endpoint: str, values: dict) -> None:
    """Flask URL defaults: while a console of another event than the server's is served, its
    links (to the report, exports, import) carry ``event=CODE``."""
    code = g.get("console_event")
    if code and endpoint and endpoint.split(".", 1)[0] in CONSOLE_BLUEPRINTS and "event" not in values:
        values["event"] = code
