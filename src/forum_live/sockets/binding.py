"""Binding Socket.IO connections and events to the protocol layer.

A connect handler (in Flask-SocketIO's request context) ``bind``s the socket to a protocol
Connection; each registry entry becomes a Socket.IO handler (``socket_handler``, run by
sockets/dispatch.py without a request context) that reads the one payload, finds the connection
and runs ``protocol.handling.execute``; ``clock_ping`` and the catch-all for unknown events
complete it.
"""
import functools

from flask import current_app, request
from flask_socketio import ConnectionRefusedError

from ..domain.clock import to_ms, utcnow
from ..domain.errors import ForumError
from ..phone_text import phone_ack, phone_message
from ..protocol.handling import execute, payload_of, validate
from ..protocol.outcome import Connection
from ..protocol.presence import connections, connections_per_address
from ..protocol.registry import Action
from ..protocol.schemas import Empty
from ..protocol.shared import claim_address_slot, release_address_slot
from .dispatch import current_socket


def bind(conn: Connection) -> None:
    """Bind ``conn`` to the current socket (call in a connect handler).

    Flood control: raises ConnectionRefusedError (with a message the page shows) when this
    address already holds ``FORUM_LIVE_MAX_CONNECTIONS_PER_IP`` connections: in this process,
    or in every live process together when a Redis message queue is configured
    (protocol.shared.claim_address_slot; docs/deploy.md "What is per process").
    """
    registry, per_address = connections(), connections_per_address()
    ip = conn.ip or request.remote_addr
    cap = current_app.config["FORUM_LIVE_MAX_CONNECTIONS_PER_IP"]
    if ip and not claim_address_slot(current_app._get_current_object(), ip, cap):
        message = phone_message("Too many connections from your address; close other tabs and try again.", conn.locale)
        raise ConnectionRefusedError(message, {"code": "rate_limited", "message": message})
    if conn.ip is None:
        conn.ip = ip
    rebound = _forget((conn.namespace, request.sid))  # a socket bound twice counts once
    registry[(conn.namespace, request.sid)] = conn
    if conn.ip:
        per_address[conn.ip] = per_address.get(conn.ip, 0) + 1
        if rebound is not None:  # _forget wrote the count without this connection: write it again
            release_address_slot(current_app._get_current_object(), conn.ip)


def unbind() -> Connection | None:
    """Forget the current socket (call in a disconnect handler, sockets/dispatch.py); returns what it was."""
    return _forget(current_socket())


def _forget(key: tuple) -> Connection | None:
    """Take ``key``'s connection out of the registry and its address's count."""
    conn = connections().pop(key, None)
    if conn is not None and conn.ip:
        per_address = connections_per_address()
        left = per_address.get(conn.ip, 0) - 1
        if left > 0:
            per_address[conn.ip] = left
        else:
            per_address.pop(conn.ip, None)
        release_address_slot(current_app._get_current_object(), conn.ip)
    return conn


def connect_handler(fn):
    """Wrap a namespace's connect handler so that a client *event* named "connect" (which
    python-socketio routes to the same handler) is refused instead of re-running the sign-in."""
    @functools.wraps(fn)
    def handler(auth=None):
        if (getattr(request, "namespace", None), getattr(request, "sid", None)) in connections():
            return ForumError("invalid_payload", "Unknown event 'connect'.").as_ack()
        return fn(auth)
    return handler


def current_connection() -> Connection:
    """Return the Connection of the socket whose event is being handled (sockets/dispatch.py);
    raises ForumError(forbidden) if it is not bound."""
    conn = connections().get(current_socket())
    if conn is None:
        raise ForumError("forbidden", "This connection is not signed in to an event.")
    return conn


def socket_handler(entry: Action):
    """The Socket.IO handler of registry ``entry``: one JSON object in, the ack out (see
    protocol.handling.execute). It keeps ``entry``, ``fn``, ``schema`` and ``read`` as attributes.
    A phone's ack comes in the phone's language (forum_live.phone_text)."""
    def handler(*args):
        try:
            payload = payload_of(args)
            conn = current_connection()
        except ForumError as exc:
            return exc.as_ack()
        return phone_ack(execute(entry, payload, conn), conn.locale)
    handler.__name__ = handler.__qualname__ = entry.fn.__name__
    handler.__doc__ = entry.fn.__doc__
    handler.entry, handler.fn, handler.schema, handler.read = entry, entry.fn, entry.schema, entry.read
    return handler


def clock_ping(*args) -> dict:
    """Any client -> server: ``clock:ping`` for clock sync; acks the server time in epoch ms.

    The payload is ``{}`` (or none) like any event without fields: anything else is refused
    with ``invalid_payload``. No database work, so it answers fast and from any namespace.
    """
    try:
        validate(Empty, payload_of(args))
    except ForumError as exc:
        return exc.as_ack()
    return {"ok": True, "server_ms": to_ms(utcnow())}


def unknown_event(moderator_events: frozenset[str]):
    """Return a catch-all handler: unknown event names get an error ack, and moderator actions
    sent on another namespace get ``forbidden``."""
    def catch_all(name, *_args):
        if name in moderator_events:
            return ForumError("forbidden", "Only the moderator can do that.").as_ack()
        return ForumError("invalid_payload", f"Unknown event {str(name)[:40]!r}.").as_ack()
    return catch_all
