"""The broadcast, injected: the sockets layer registers it at start, the actions call it.

Keeps this layer (and the control API, which runs the same actions) free of any import of the
sockets layer.
"""
from collections.abc import Callable

from flask import Flask, current_app

from ..persistence.models import Event

#: ``publish(session, event, parts, devices, coalesce, moderators_only, patches)``: sends committed parts.
Publisher = Callable[..., None]


def set_publisher(app: Flask, publisher: Publisher) -> None:
    """Register the app's broadcast: ``publisher(session, event, parts, devices, coalesce,
    moderators_only, patches)`` sends the committed ``parts`` (sockets.broadcast.publish)."""
    app.extensions["forum_live.publisher"] = publisher


def publish(session, event: Event, parts: set[str], devices: set[str] = frozenset(),
            coalesce: set[str] = frozenset(), moderators_only: set[str] = frozenset(),
            patches: dict[str, dict] | None = None) -> None:
    """Send the committed ``parts`` of ``event`` with the current app's publisher (see
    ``set_publisher``), and each ``{device_id: mine patch}`` of ``patches``; raises KeyError if
    none was registered."""
    current_app.extensions["forum_live.publisher"](session, event, parts, devices, coalesce, moderators_only,
                                                   patches or {})
