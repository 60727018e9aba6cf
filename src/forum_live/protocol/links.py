"""URLs as phones see them (the LAN address, not localhost): FORUM_LIVE_PUBLIC_URL when set,
else the host the current request or Socket.IO connection came in on. One copy for the pages
(web/) and the broadcasts (sockets/)."""
from contextvars import ContextVar

from flask import current_app, has_request_context, request
from werkzeug.wrappers import Request

#: The WSGI environ of the Socket.IO connection whose event is being handled: socket events run
#: without a Flask request context (sockets/dispatch.py), so it stands for the request here.
socket_environ: ContextVar[dict | None] = ContextVar("forum_live_socket_environ", default=None)


def public_base() -> str:
    """Base URL phones use to reach this server, no trailing /: FORUM_LIVE_PUBLIC_URL when set,
    else the host URL of the current request, or of the Socket.IO connection whose event is
    being handled (``socket_environ``); raises RuntimeError outside both."""
    base = current_app.config.get("FORUM_LIVE_PUBLIC_URL")
    if not base:
        environ = None if has_request_context() else socket_environ.get()
        base = request.host_url if environ is None else Request(environ).host_url
    return base.rstrip("/")


def join_url(code: str) -> str:
    """The audience URL of event ``code``: ``<public_base>/e/<code>``."""
    return f"{public_base()}/e/{code}"
