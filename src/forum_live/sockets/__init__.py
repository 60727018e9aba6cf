"""Socket.IO namespaces, one per role: /audience (phones), /screen (projectors and stage views),
/moderator, /rapporteur (the rapporteur's page: takeaways).

The events come from one place, protocol/registry.py: ``init_app`` binds each entry to the
namespaces of its roles (explicitly here, nothing is registered at import), plus ``connect``,
``disconnect``, ``clock:ping`` and a catch-all for unknown events on every namespace.
"""
from flask import Flask
from flask_socketio import SocketIO
from socketio.packet import Packet

from .. import protocol
from ..domain import json_text
from ..protocol import shared
from ..protocol.namespaces import MODERATOR, NAMESPACE_OF
from ..protocol.registry import ACTIONS, CLOCK_PING
from . import autoadvance, dispatch
from .binding import clock_ping, socket_handler, unbind, unknown_event
from .broadcast import publish, publish_presence
from .connect import CONNECT


class JsonPacket(Packet):
    """Socket.IO packets whose payloads are JSON only: the server never sends binary
    attachments, so it skips python-socketio's walk of every payload looking for ``bytes``
    (``Packet.data_is_binary``; issue 16: a tenth of a phone's connect went into walking its
    snapshot). What a client sends is decoded as before (binary packets included)."""

    uses_binary_events = False
    #: ``dumps`` splices the JSON text of the shared parts of the connect snapshot, encoded once
    #: per change of the event (domain/json_text.py); plain JSON otherwise.
    json = json_text


def handlers(namespace: str) -> dict:
    """The event name -> Socket.IO handler map of ``namespace`` (from the registry)."""
    return {name: socket_handler(entry) for name, entry in ACTIONS.items()
            if any(NAMESPACE_OF[role] == namespace for role in entry.roles)}


def init_app(app: Flask, socketio: SocketIO) -> None:
    """Register every namespace's handlers on ``socketio`` (explicitly, not at import), the
    broadcast as the protocol layer's publisher, and start the background tasks."""
    protocol.init_app(app, publish)
    moderator_events = frozenset(name for name, entry in ACTIONS.items() if MODERATOR in entry.roles)
    for namespace, on_connect in CONNECT.items():
        socketio.on_event("connect", on_connect, namespace=namespace)  # in Flask-SocketIO's request context
        # Every other event without one (sockets/dispatch.py).
        dispatch.on(app, socketio, "disconnect", namespace, _on_disconnect)
        dispatch.on(app, socketio, CLOCK_PING, namespace, clock_ping)
        for name, handler in handlers(namespace).items():
            dispatch.on(app, socketio, name, namespace, handler)
        dispatch.on(app, socketio, "*", namespace, unknown_event(moderator_events))
    autoadvance.init_app(app)
    shared.start_heartbeat(app)  # presence across processes (Redis only)


def _on_disconnect(*_args):
    conn = unbind()
    if conn is not None:
        publish_presence(conn.event_id)
