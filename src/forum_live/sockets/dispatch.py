"""Socket.IO events handled without a Flask request context each.

Flask-SocketIO runs every handler inside ``app.request_context(environ)``: a werkzeug
``Request``, a URL match (which fails on /socket.io/), the cookie session opened, signals sent,
all torn down after. Measured in issue 16's upvote storm that was ~0.2 ms of every event, as much
as the upvote's own statements. forum-live's event handlers need none of it: a connection's
identity (event, device, role, address, language) is taken once, in its connect handler (which
still runs in Flask-SocketIO's request context: headers, cookies and the rooms joined), and kept in
its protocol Connection (sockets/binding.py). So every other event (each registry action,
``clock:ping``, the catch-all for unknown events, ``disconnect``) is registered straight on
python-socketio's server with ``on``: its handler runs in an app context, with the socket's
``(namespace, sid)`` in ``current_socket()`` and its WSGI environ in
``protocol.links.socket_environ`` (what the join URL falls back on when
FORUM_LIVE_PUBLIC_URL is not set). An exception that escapes a handler is logged and acked
``internal``; the server keeps running.
"""
from collections.abc import Callable
from contextvars import ContextVar

from flask import Flask
from flask_socketio import SocketIO

from ..domain.errors import ForumError
from ..protocol.links import socket_environ

#: ``(namespace, sid)`` of the socket whose event is being handled (None outside one).
_SOCKET: ContextVar[tuple[str, str] | None] = ContextVar("forum_live_socket", default=None)


def current_socket() -> tuple[str, str]:
    """``(namespace, sid)`` of the event being handled; raises ForumError(forbidden) outside one."""
    key = _SOCKET.get()
    if key is None:
        raise ForumError("forbidden", "This connection is not signed in to an event.")
    return key


def on(app: Flask, socketio: SocketIO, name: str, namespace: str, handler: Callable) -> None:
    """Register ``handler(*args) -> ack`` for event ``name`` on ``namespace`` (``"*"``: every event
    without its own handler; it is then called ``handler(event_name, *args)``)."""
    server = socketio.server

    def run(sid: str, args: tuple):
        with app.app_context():
            key = _SOCKET.set((namespace, sid))
            environ = socket_environ.set(server.get_environ(sid, namespace=namespace))
            try:
                return handler(*args)
            except Exception:
                app.logger.exception("Socket.IO event %r on %s failed", name, namespace)
                return ForumError("internal", "The server could not do that; nothing was changed. "
                                              "Please try again.").as_ack()
            finally:
                socket_environ.reset(environ)
                _SOCKET.reset(key)

    if name == "*":
        def dispatch_any(event: str, sid: str, *args):
            return run(sid, (event, *args))
        server.on("*", dispatch_any, namespace=namespace)
    else:
        def dispatch(sid: str, *args):
            return run(sid, args)
        server.on(name, dispatch, namespace=namespace)
