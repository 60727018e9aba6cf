"""Connection awareness: who is connected to an event, counted for the moderator consoles.

Counted from the app's registry of live connections. Several processes (a Redis message queue
configured): each process writes its own connections to Redis whenever it counts them, and the
count is the union of the live processes' (protocol/shared.py ``shared_presence``); a phone with
tabs on two processes still counts once. A /screen client says what it is with ``auth.view``: ``projector``
(default), ``stage`` (a confidence monitor) or ``preview`` (the console's own scaled-down copy,
which is not a projector and is not counted as one).

Each count of phones also keeps the event's peak connected for the report (``note_peak``): it is
sampled whenever presence is counted (every connect and disconnect, at most once per tally
interval per event, and always after the last change), so a peak that lasts less than one tally
interval (250 ms by default) may be missed.
"""
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from ..domain.clock import utcnow
from ..extensions import db_session
from ..services.participation import record_peak
from .namespaces import AUDIENCE_NS, MODERATOR_NS, RAPPORTEUR_NS, SCREEN_NS
from .shared import address_counts, shared_presence

SCREEN_VIEWS = ("projector", "stage", "preview")


def connections() -> dict:
    """The app's registry of live connections: ``{(namespace, sid): Connection}``."""
    return current_app.extensions.setdefault("forum_live.connections", {})


def connections_per_address() -> dict:
    """How many live connections each client address holds: ``{ip: count}``, kept by
    sockets.binding's bind and unbind beside the registry (so the per-address cap reads one
    number instead of counting the registry); an address with none is absent."""
    return address_counts(current_app)


def local_presence(event_id: int) -> dict:
    """This process's connections to the event, to be merged with other processes'::

        {"devices": [str], "projector": int, "stage": int, "preview": int,
         "consoles": {actor_key: label}, "rapporteurs": int}
    """
    phones, views, consoles, rapporteurs = set(), dict.fromkeys(SCREEN_VIEWS, 0), {}, 0
    for (namespace, _sid), conn in list(connections().items()):
        if conn.event_id != event_id:
            continue
        if namespace == AUDIENCE_NS:
            phones.add(conn.device_id)
        elif namespace == SCREEN_NS:
            views[conn.view if conn.view in views else "projector"] += 1
        elif namespace == MODERATOR_NS:
            consoles[conn.actor_key] = conn.label  # the latest connection's label (after a rename)
        elif namespace == RAPPORTEUR_NS:
            rapporteurs += 1
    return {"devices": sorted(phones), **views, "consoles": consoles, "rapporteurs": rapporteurs}


def merge_presence(parts: list[dict]) -> dict:
    """The ``presence`` part (moderators only) from one or more ``local_presence`` dicts::

        {"phones": int,          # distinct audience devices (a phone with two tabs counts once)
         "projectors": int, "stage_views": int, "previews": int,
         "consoles": [{"label": str, "key": str}],   # one per connected console, by label
         "rapporteurs": int}     # rapporteur pages connected (every tab counts)
    """
    phones, consoles = set(), {}
    for part in parts:
        phones.update(part["devices"])
        consoles.update(part["consoles"])
    return {
        "phones": len(phones), "projectors": sum(p["projector"] for p in parts),
        "stage_views": sum(p["stage"] for p in parts), "previews": sum(p["preview"] for p in parts),
        "consoles": sorted(({"label": label, "key": key} for key, label in consoles.items()),
                           key=lambda c: (len(c["label"] or ""), c["label"] or "")),
        "rapporteurs": sum(p["rapporteurs"] for p in parts),
    }


def presence_view(event_id: int) -> dict:
    """The ``presence`` part of the event (merge_presence's shape): this process's connections,
    with every other live process's when a Redis message queue is configured. A phone count
    above the event's stored peak raises it (note_peak)."""
    app = current_app._get_current_object()
    view = shared_presence(app, event_id, local_presence(event_id), merge_presence)
    note_peak(app, event_id, view["phones"])
    return view


def note_peak(app: Flask, event_id: int, phones: int) -> None:
    """Store ``phones`` (connected now, every live process counted) as the event's peak
    connected if it beats the peak this process last saw stored (services.participation.
    record_peak decides against the database, so several processes keep the highest). Costs a
    database statement only when this process sees a new maximum; a database error is logged
    and the count goes on (the peak is a report figure, not a reason to drop a connection)."""
    peaks = app.extensions.setdefault("forum_live.peaks", {})
    if phones <= peaks.get(event_id, 0):
        return
    try:
        with db_session(app) as session:
            peaks[event_id] = max(phones, record_peak(session, event_id, phones, utcnow()))
            session.commit()
    except SQLAlchemyError:
        app.logger.warning("presence: cannot store the peak connected", exc_info=True)
