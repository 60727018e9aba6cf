"""Wall-clock times of a run of show across a DST night (Europe/Lisbon) and across midnight:
the plan is in real time (UTC instants back to back), the labels in the event's zone."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from forum_live.domain.agenda import plan
from forum_live.domain.timer import SlotClock
from forum_live.eventfile import parse_event

EVENT = """
[event]
code = "DST22"
title = "A night panel"
timezone = "{zone}"
start = {start}
booked_end = {end}
[moderator]
name = "M"
[[segments]]
kind = "opening"
title = "Opening"
minutes = 30
[[segments]]
kind = "panelist"
title = "Talk"
minutes = 30
[[segments]]
kind = "qa"
title = "Questions"
minutes = 30
"""


def _local_plan(zone, start, end):
    spec = parse_event(EVENT.format(zone=zone, start=start, end=end))
    p = plan([SlotClock(planned_ms=30 * 60_000)] * 3, None, spec.start_at - timedelta(hours=1),
             spec.start_at, spec.booked_end_at)
    tz = ZoneInfo(zone)
    labels = [i.astimezone(tz).strftime("%H:%M %Z") for i in (*p.planned_starts, p.planned_end)]
    return labels, p


@pytest.mark.parametrize(("zone", "start", "end", "labels", "booked_min"), [
    # Lisbon, 30 Oct 2022: at 02:00 WEST the clocks go back to 01:00 WET, so 01:xx happens twice
    # and the show's end reads 01:00. From 00:30 WEST (23:30 UTC) to 02:30 WET (02:30 UTC) is
    # 3 real hours, not the 2 the wall clock suggests.
    ("Europe/Lisbon", "2022-10-29T00:30:00", "2022-10-29T02:00:00",
     ["00:30 WEST", "01:00 WEST", "01:30 WEST", "02:00 WEST"], 90),
    ("Europe/Lisbon", "2022-10-30T00:30:00", "2022-10-30T02:30:00",
     ["00:30 WEST", "01:00 WEST", "01:30 WEST", "01:00 WET"], 180),
    # Lisbon, 26 Mar 2023: at 01:00 WET the clocks jump to 02:00 WEST.
    ("Europe/Lisbon", "2023-03-26T00:15:00", "2023-03-26T02:45:00",
     ["00:15 WET", "00:45 WET", "02:15 WEST", "02:45 WEST"], 90),
    # Bangkok, across midnight: 23:30 to 01:00 the next day.
    ("Asia/Bangkok", "2022-09-13T23:30:00", "2022-09-14T01:00:00",
     ["23:30 +07", "00:00 +07", "00:30 +07", "01:00 +07"], 90),
], ids=["Lisbon, an ordinary night", "Lisbon, clocks go back", "Lisbon, clocks go forward", "Bangkok, midnight"])
def test_planned_starts_are_real_time_and_labelled_in_the_event_zone(zone, start, end, labels, booked_min):
    got, p = _local_plan(zone, start, end)
    assert got == labels
    assert [(b - a) for a, b in zip(p.planned_starts, p.planned_starts[1:])] == [timedelta(minutes=30)] * 2
    assert (p.booked_end - p.planned_starts[0]) == timedelta(minutes=booked_min)
    assert p.planned_over_booked_ms == (90 - booked_min) * 60_000
