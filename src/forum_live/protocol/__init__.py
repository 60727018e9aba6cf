"""The protocol layer, between the services and the two edges (sockets/ and web/).

- ``registry``: every client -> server event, declared once (roles, schema, action, ack, audit
  sentence); ``messages``: every server -> client event and its payload model;
- ``handling``: how an action runs (``execute``: validate, one transaction, audit, commit,
  broadcast, ack), used alike by the Socket.IO namespaces and the HTTP control API;
- ``actions/``: the action functions; ``schemas``: their payloads; ``presence``: the live
  connections; ``ratelimit``: the phones' rate limits; ``links``: URLs as phones see them.

It imports neither sockets/ nor web/: the broadcast is injected (``init_app``).
"""
from flask import Flask

from .publisher import Publisher, set_publisher
from .ratelimit import rate_limits


def init_app(app: Flask, publisher: Publisher) -> None:
    """Register ``publisher`` (the broadcast of committed parts) and parse the rate limits (a bad
    one stops the start, not a phone). Poll auto-close is the timer task's (sockets/autoadvance.py)."""
    set_publisher(app, publisher)
    rate_limits(app)
