"""Participation facts (services.participation): a phone's join is counted once per event, on
SQLite and PostgreSQL, whichever session (process) records it; the peak connected only rises."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from forum_live.persistence.models import DeviceJoin, Event
from forum_live.services import participation

T0 = datetime(2022, 9, 13, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Both databases: the insert that does nothing on a second join is dialect-specific."""
    return request.param


def _stored(session, sql, **params):
    return session.execute(text(sql), params).all()


def test_a_phone_is_counted_once_per_event_however_often_and_wherever_it_joins(sessions, event):
    first, second = sessions(), sessions()  # two processes' sessions on one database
    try:
        for n, (session, device) in enumerate([(first, "phone-a"), (second, "phone-a"), (first, "phone-b"),
                                               (second, "phone-b"), (second, "phone-c"), (first, "phone-a")]):
            participation.record_join(session, event.id, device, T0 + timedelta(seconds=n))
            session.commit()
        rows = _stored(first, "SELECT device_id FROM device_join WHERE event_id = :e ORDER BY device_id", e=event.id)
        assert [r[0] for r in rows] == ["phone-a", "phone-b", "phone-c"]
        assert participation.joined_devices(second, event.id) == 3
        seen = first.scalar(select(DeviceJoin.first_seen_at).where(DeviceJoin.device_id == "phone-a"))
        assert seen == T0  # the first join's instant; later ones change nothing
    finally:
        first.close()
        second.close()


def test_the_peak_connected_keeps_the_highest_count_and_when_it_was_first_reached(sessions, event):
    first, second = sessions(), sessions()
    try:
        reported = []
        for n, (session, connected) in enumerate([(first, 3), (second, 7), (first, 5), (second, 7), (first, 0)]):
            reported.append(participation.record_peak(session, event.id, connected, T0 + timedelta(minutes=n)))
            session.commit()
        assert reported == [3, 7, 7, 7, 7]
        peak, at = first.execute(select(Event.peak_connected, Event.peak_connected_at).where(Event.id == event.id)).one()
        assert peak == 7 and at == T0 + timedelta(minutes=1)  # an equal count does not move it
    finally:
        first.close()
        second.close()
