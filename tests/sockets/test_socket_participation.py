"""Phones connecting are recorded for the report's participation (issue 14, item 2): each device
joins once per event however often it reconnects, and the peak connected keeps the most phones
connected at once; the report shows what the database holds."""
from datetime import UTC, datetime

from sqlalchemy import text

from forum_live.extensions import db_session
from forum_live.persistence.models import Event
from forum_live.services.report import build_report


def _stored(app) -> tuple[int, int]:
    """(rows in device_join, event.peak_connected), read with SQL."""
    with app.app_context(), db_session() as s:
        return (s.execute(text("SELECT COUNT(*) FROM device_join")).scalar(),
                s.execute(text("SELECT peak_connected FROM event")).scalar())


def test_joins_count_each_device_once_and_the_peak_keeps_the_most_connected(app, connect):
    first = connect("audience")
    token = first.last("state")["device_token"]
    again = connect("audience", device=token)            # the same phone, a second tab
    others = [connect("audience") for _ in range(2)]     # two more phones
    connect("screen")                                    # a projector is not a phone
    assert _stored(app) == (3, 3)                        # 3 devices; the two tabs are one phone
    for phone in (again, *others):
        phone.sio.disconnect(namespace="/audience")
    first.sio.disconnect(namespace="/audience")
    back = connect("audience", device=token)             # the first phone comes back: no new join
    assert _stored(app) == (3, 3)                        # one connected now; the peak stays 3
    back.sio.disconnect(namespace="/audience")
    with app.app_context(), db_session() as s:
        event = s.query(Event).one()
        participation = build_report(s, event, datetime.now(UTC))["participation"]
    assert (participation["joined"], participation["peak_connected"]) == _stored(app)
    assert participation["peak_connected_ms"] is not None
