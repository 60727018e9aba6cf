"""Socket.IO namespaces, one per role: /audience (phones), /screen (projectors), /moderator."""
from flask import Flask
from flask_socketio import SocketIO

from . import audience, moderator, screen
from .broadcast import AUDIENCE_NS, MODERATOR_NS, SCREEN_NS
from .handling import clock_ping, unbind, unknown_event

NAMESPACES = {AUDIENCE_NS: audience, SCREEN_NS: screen, MODERATOR_NS: moderator}


def init_app(app: Flask, socketio: SocketIO) -> None:
    """Register every namespace's handlers on ``socketio`` (explicitly, not at import)."""
    moderator_events = frozenset(moderator.HANDLERS)
    for namespace, module in NAMESPACES.items():
        socketio.on_event("connect", module.on_connect, namespace=namespace)
        socketio.on_event("disconnect", _on_disconnect, namespace=namespace)
        socketio.on_event("clock:ping", clock_ping, namespace=namespace)
        for name, handler in module.HANDLERS.items():
            socketio.on_event(name, handler, namespace=namespace)
        socketio.on_event("*", unknown_event(moderator_events), namespace=namespace)


def _on_disconnect(*_args):
    unbind()
