"""Socket.IO namespaces, one per role: /audience (phones), /screen (projectors), /moderator,
/rapporteur (the rapporteur's page: takeaways).

Handlers live in one module per feature (timer, questions, polls, scenes, takeaways); each
module lists the events it handles per namespace in ``AUDIENCE`` / ``MODERATOR`` /
``RAPPORTEUR`` dicts.
"""
from flask import Flask
from flask_socketio import SocketIO

from . import autoadvance, polls, questions, scenes, stage, summary, takeaways, timer
from .broadcast import AUDIENCE_NS, MODERATOR_NS, RAPPORTEUR_NS, SCREEN_NS, publish_presence
from .connect import CONNECT
from .handling import clock_ping, unbind, unknown_event
from .ratelimit import rate_limits

FEATURES = (timer, questions, polls, scenes, stage, summary, takeaways)


def handlers(namespace: str) -> dict:
    """The event name -> handler map of ``namespace``, gathered from the feature modules."""
    key = {AUDIENCE_NS: "AUDIENCE", MODERATOR_NS: "MODERATOR", SCREEN_NS: "SCREEN",
           RAPPORTEUR_NS: "RAPPORTEUR"}[namespace]
    out = {}
    for module in FEATURES:
        out.update(getattr(module, key, {}))
    return out


def init_app(app: Flask, socketio: SocketIO) -> None:
    """Register every namespace's handlers on ``socketio`` (explicitly, not at import)."""
    rate_limits(app)  # parse the configured limits now: a bad one stops the start, not a phone
    moderator_events = frozenset(handlers(MODERATOR_NS))
    for namespace, on_connect in CONNECT.items():
        socketio.on_event("connect", on_connect, namespace=namespace)
        socketio.on_event("disconnect", _on_disconnect, namespace=namespace)
        socketio.on_event("clock:ping", clock_ping, namespace=namespace)
        for name, handler in handlers(namespace).items():
            socketio.on_event(name, handler, namespace=namespace)
        socketio.on_event("*", unknown_event(moderator_events), namespace=namespace)
    for module in FEATURES:  # a feature's start-up work (e.g. resuming poll auto-close)
        if hasattr(module, "init_app"):
            module.init_app(app, socketio)
    autoadvance.init_app(app)


def _on_disconnect(*_args):
    conn = unbind()
    if conn is not None:
        publish_presence(conn.event_id)
