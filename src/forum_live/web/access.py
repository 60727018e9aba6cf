"""Who a browser is: the moderator's session cookie (set by /moderate?token=…)."""
from flask import current_app, session


def is_moderator_session() -> bool:
    """True if this browser signed in with the current moderator token (a new token signs
    every console out)."""
    return session.get("moderator") == current_app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"].fingerprint
