"""Connection awareness: who is connected to an event, counted for the moderator consoles.

Counted from the app's registry of live connections. Several processes (a Redis message queue
configured): each process writes its own connections to Redis whenever it counts them, and the
count is the union of the live processes' (protocol/shared.py ``shared_presence``); a phone with
tabs on two processes still counts once. A /screen client says what it is with ``auth.view``: ``projector``
(default), ``stage`` (a confidence monitor) or ``preview`` (the console's own scaled-down copy,
which is not a projector and is not counted as one).

Each count of phones also keeps the event's peak connected for the report (``note_peak``) and
writes the phones that joined since the last count (``queue_join``, ``write_joins``: one insert of
every join of a stampede's tally interval, not one transaction per connect, issue 16): it is
sampled whenever presence is counted (every connect and disconnect, at most once per tally
interval per event, and always after the last change), so a peak that lasts less than one tally
interval (250 ms by default) may be missed.
"""
import threading
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from ..domain.clock import utcnow
from ..extensions import db_session
from ..services.participation import record_joins, record_peak
from .namespaces import AUDIENCE_NS, MODERATOR_NS, RAPPORTEUR_NS, SCREEN_NS
from .shared import address_counts, shared_presence

SCREEN_VIEWS = ("projector", "stage", "preview")
_JOINS_LOCK = threading.Lock()


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
    write_joins(app, event_id)
    note_peak(app, event_id, view["phones"])
    return view


def queue_join(app: Flask, event_id: int, device_id: str, now: datetime) -> None:
    """Note that phone ``device_id`` connected to ``event_id`` at ``now``, for ``write_joins``
    (the next presence count, which every connect asks for). A device this process has written
    before costs nothing (another process's record makes the insert do nothing)."""
    if (event_id, device_id) in app.extensions.setdefault("forum_live.recorded_joins", set()):
        return
    with _JOINS_LOCK:
        app.extensions.setdefault("forum_live.pending_joins", {}).setdefault(event_id, {}).setdefault(device_id, now)


def write_joins(app: Flask, event_id: int) -> None:
    """Write the joins ``queue_join`` noted for ``event_id`` (services.participation.record_joins),
    in one transaction. A database error is logged and the joins stay queued for the next count."""
    with _JOINS_LOCK:
        joins = app.extensions.setdefault("forum_live.pending_joins", {}).pop(event_id, None)
    if not joins:
        return
    try:
        with db_session(app) as session:
            record_joins(session, event_id, joins)
            session.commit()
    except SQLAlchemyError:
        app.logger.warning("presence: cannot store %d joins (kept for the next count)", len(joins), exc_info=True)
        with _JOINS_LOCK:
            pending = app.extensions["forum_live.pending_joins"].setdefault(event_id, {})
            for device_id, now in joins.items():
                pending.setdefault(device_id, now)
        return
    app.extensions["forum_live.recorded_joins"].update((event_id, device_id) for device_id in joins)


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
