"""URLs as phones see them (the LAN address, not localhost): FORUM_LIVE_PUBLIC_URL when set,
else the host the current request or Socket.IO connection came in on. One copy for the pages
(web/) and the broadcasts (sockets/)."""
from flask import current_app, request


def public_base() -> str:
    """Base URL phones use to reach this server, no trailing /: FORUM_LIVE_PUBLIC_URL when set,
    else the current request's host URL (needs a request or Socket.IO event context)."""
    return (current_app.config.get("FORUM_LIVE_PUBLIC_URL") or request.host_url).rstrip("/")


def join_url(code: str) -> str:
    """The audience URL of event ``code``: ``<public_base>/e/<code>``."""
    return f"{public_base()}/e/{code}"
