"""Cross-site request forgery protection for the pages' own POSTs (the console's uploads).

A per-session random token (kept in the signed session cookie) is put in the page
(``<meta name="csrf-token">``) and must come back in the ``X-CSRF-Token`` header or a
``csrf_token`` form field; a request whose ``Origin`` names another site is refused too. The
control API (bearer token, no cookie) and the Socket.IO events (authenticated at connect) need
neither. The session cookie is also SameSite=Lax.
"""
import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, request, session

_KEY = "csrf"


def csrf_token() -> str:
    """This browser session's token (made on first use)."""
    if not isinstance(session.get(_KEY), str):
        session[_KEY] = secrets.token_urlsafe(32)
    return session[_KEY]


def check_csrf() -> None:
    """Abort 403 unless the request carries this session's token and no foreign ``Origin``."""
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        abort(403, description="This request came from another site; it was refused.")
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
    expected = session.get(_KEY)
    if not isinstance(expected, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(403, description="The form's security token is missing or old: reload the console and try again.")
