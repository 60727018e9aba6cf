"""Who a browser is: the moderator's and the organiser's session cookies.

``session["moderator"]``: the server's moderator token's fingerprint (set by /moderate?token=…
with that token): the moderator of the event loaded at start (unless the organiser gave it a
token of its own). ``session["consoles"]``: ``{event code:
fingerprint}`` for events made on /admin, each with its own moderator token. ``session["organiser"]``:
the organiser token's fingerprint (/admin?token=…): the organiser may run any event's console.
A new token signs out every browser that signed in with the old one (the fingerprint no longer matches).
"""
import hashlib
import hmac

from flask import current_app, session

from .identity import moderator_token_ok
from .persistence.models import Event


def is_moderator_session() -> bool:
    """True if this browser signed in with the server's current moderator token."""
    return session.get("moderator") == current_app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"].fingerprint


def is_organiser_session() -> bool:
    """True if this browser signed in on /admin with the current organiser token."""
    return session.get("organiser") == current_app.config["FORUM_LIVE_ORGANISER_CREDENTIAL"].fingerprint


def event_fingerprint(event: Event) -> str | None:
    """The fingerprint a console session keeps for ``event``'s own moderator token (the first
    16 hex digits of its SHA-256), or None for an event run with the server's moderator token."""
    return event.moderator_digest[:16] if event.moderator_digest else None


def signed_in() -> bool:
    """True if this browser signed in to any console (the server's token, an event's own, or the
    organiser's)."""
    return is_moderator_session() or is_organiser_session() or bool(session.get("consoles"))


def is_moderator_for(event: Event) -> bool:
    """True if this browser may run ``event``'s console: the organiser, or a moderator signed in
    with that event's own token, or with the server's token for the server's event (the one
    loaded at start) if it has no token of its own. Another event without a token of its own
    (stored by an earlier start with another ``--event``) is the organiser's until they give it
    a moderator link on /admin."""
    if is_organiser_session():
        return True
    own = event_fingerprint(event)
    if own is None:
        return is_moderator_session() and event.code == current_app.config["FORUM_LIVE_EVENT_CODE"]
    consoles = session.get("consoles")
    return isinstance(consoles, dict) and consoles.get(event.code) == own


def console_token_ok(event: Event, token: object) -> bool:
    """True if ``token`` is ``event``'s moderator token: its own (hex SHA-256 in
    ``event.moderator_digest``), else, for the server's event only, the server's (the rule of
    ``is_moderator_for``, for a console that gives its token in the Socket.IO auth)."""
    if event.moderator_digest is None:
        return (event.code == current_app.config["FORUM_LIVE_EVENT_CODE"]
                and moderator_token_ok(current_app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"], token))
    digest = token_digest(token)
    return digest is not None and hmac.compare_digest(digest, event.moderator_digest)


def token_digest(token: object) -> str | None:
    """The hex SHA-256 of an event's moderator token as ``event.moderator_digest`` stores it;
    None for anything that cannot be a token (not a string, empty, over 512 characters)."""
    if not isinstance(token, str) or not token or len(token) > 512:
        return None
    return hashlib.sha256(token.encode()).hexdigest()
