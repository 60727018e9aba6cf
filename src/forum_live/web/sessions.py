"""Flask's signed-cookie session, with its signing serializer made once per key instead of once
per request.

Flask's ``SecureCookieSessionInterface.get_signing_serializer`` builds a new itsdangerous
``URLSafeTimedSerializer`` for every request it opens a session for, and Flask-SocketIO opens
one for every Socket.IO event (its ``_handle_event`` pushes a request context); making the
serializer (itsdangerous checks its serializer by dumping an empty object) was half of that
context's cost (issue 16: ~0.1 ms of every upvote). The serializer is immutable, so one per
(secret key, fallback keys) is kept; a key rotated in ``app.config`` gets a new one. Cookies,
salt, signatures and expiry are exactly Flask's.
"""
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """``SecureCookieSessionInterface`` whose signing serializer is kept per key (see module)."""

    def __init__(self):
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer for ``app``'s current ``secret_key`` and ``SECRET_KEY_FALLBACKS``
        (None without a secret key), made on first use of those keys."""
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        found = self._serializers.get(key)
        if found is None:
            if len(self._serializers) >= 8:  # keys rotated: forget the old ones
                self._serializers.clear()
            found = self._serializers[key] = super().get_signing_serializer(app)
        return found


def init_app(app: Flask) -> None:
    """Give ``app`` the cached-serializer session interface."""
    app.session_interface = CachedSerializerSessionInterface()
