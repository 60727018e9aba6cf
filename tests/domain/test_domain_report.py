"""The report's rules, its formats and its chart geometry: tables, no fixtures."""
import pytest

from forum_live.domain import charts, formats
from forum_live.domain import report as rules

MIN = 60_000


def seg(planned=10 * MIN, adjust=0, started=None, left=None, elapsed=0, skipped=False, planned_start=0):
    return {"planned_start_ms": planned_start, "planned_ms": planned, "adjust_ms": adjust, "started_ms": started,
            "left_ms": left, "elapsed_ms": elapsed, "skipped": skipped}


@pytest.mark.parametrize(("s", "expected"), [
    (seg(), {"allotted_ms": 10 * MIN, "start_delay_ms": None, "ran_ms": None, "paused_ms": None,
             "overrun_ms": None, "status": "not run"}),
    (seg(skipped=True, left=5), {"allotted_ms": 10 * MIN, "start_delay_ms": None, "ran_ms": None, "paused_ms": None,
                                 "overrun_ms": None, "status": "skipped"}),
    # started a minute late, ran 10:30 with a 2-minute pause: 30 s over
    (seg(started=MIN, left=MIN + 12 * MIN + 30_000, elapsed=10 * MIN + 30_000),
     {"allotted_ms": 10 * MIN, "start_delay_ms": MIN, "ran_ms": 10 * MIN + 30_000, "paused_ms": 2 * MIN,
      "overrun_ms": 30_000, "status": "ran"}),
    # cut by rebalancing to 8:35, ran 8:00: 35 s under; early start is negative
    (seg(adjust=-85_000, planned_start=MIN, started=0, left=8 * MIN, elapsed=8 * MIN),
     {"allotted_ms": 515_000, "start_delay_ms": -MIN, "ran_ms": 8 * MIN, "paused_ms": 0, "overrun_ms": -35_000,
      "status": "ran"}),
    (seg(started=0, elapsed=3 * MIN), {"allotted_ms": 10 * MIN, "start_delay_ms": 0, "ran_ms": 3 * MIN,
                                       "paused_ms": None, "overrun_ms": -7 * MIN, "status": "on air"}),
])
def test_segment_timing(s, expected):
    assert rules.segment_timing(s) == expected


def test_timing_totals_of_a_show_that_ended_a_minute_past_the_slot():
    segments = [seg(started=0, left=9 * MIN, elapsed=9 * MIN), seg(started=9 * MIN, left=21 * MIN, elapsed=10 * MIN),
                seg(planned=5 * MIN, skipped=True, left=21 * MIN)]
    totals = rules.timing_totals(segments, booked_start_ms=0, booked_end_ms=20 * MIN, ended_ms=21 * MIN, now_ms=99 * MIN)
    assert totals == {"planned_ms": 25 * MIN, "allotted_ms": 20 * MIN, "ran_ms": 19 * MIN, "paused_ms": 2 * MIN,
                      "started_ms": 0, "ended_ms": 21 * MIN, "on_air_ms": 21 * MIN, "booked_ms": 20 * MIN,
                      "over_booked_ms": MIN}


@pytest.mark.parametrize(("booked_end", "started", "ended", "now", "on_air", "over"), [
    (None, 0, 10, 50, 10, None),      # no booked end: no overrun
    (100, None, None, 50, None, None),  # not started: nothing measured
    (100, 0, None, 130, 130, 30),       # on air: measured to now
])
def test_timing_totals_edges(booked_end, started, ended, now, on_air, over):
    segments = [seg(started=started, elapsed=0)]
    totals = rules.timing_totals(segments, 0, booked_end, ended, now)
    assert (totals["on_air_ms"], totals["over_booked_ms"]) == (on_air, over)


def q(i, status="approved", votes=0, created=0, **kw):
    return {"id": i, "status": status, "votes": votes, "created_ms": created, **kw}


@pytest.mark.parametrize(("items", "expected"), [
    ([], []),
    ([q(1, votes=0)], []),                                            # no upvote: not "top"
    ([q(1, votes=2, created=5), q(2, votes=2, created=1), q(3, votes=3)], [3, 2, 1]),  # ties: older first
    ([q(1, "pending", 9), q(2, "rejected", 9), q(3, "answered", 1)], [3]),  # shown questions only
])
def test_top_by_votes(items, expected):
    assert [x["id"] for x in rules.top_by_votes(items)] == expected


def test_top_by_votes_keeps_ten():
    assert len(rules.top_by_votes([q(i, votes=i + 1) for i in range(15)])) == 10


@pytest.mark.parametrize(("status", "follow"), [
    ("approved", True), ("pending", True), ("archived", True), ("answered", False), ("rejected", False),
    ("merged", False), ("withdrawn", False)])
def test_follow_up_statuses(status, follow):
    assert bool(rules.follow_up([q(1, status)])) is follow


def test_status_counts_lists_every_status():
    counts = rules.status_counts(["pending", "answered", "answered", "approved"])
    assert counts == {"pending": 1, "approved": 1, "answered": 2, "archived": 0, "rejected": 0, "merged": 0,
                      "withdrawn": 0, "submitted": 4, "shown": 3}


def test_group_counts_leave_out_merged_and_withdrawn_and_put_none_last():
    items = [q(1, "answered", panelist_id=7), q(2, "merged", panelist_id=7), q(3, "withdrawn", panelist_id=8),
             q(4, panelist_id=None)]
    assert rules.group_counts(items, "panelist_id", [8, 7]) == [
        {"key": 8, "asked": 0, "answered": 0}, {"key": 7, "asked": 1, "answered": 1},
        {"key": None, "asked": 1, "answered": 0}]
    assert rules.group_counts([q(1, panelist_id=7)], "panelist_id", [7]) == [{"key": 7, "asked": 1, "answered": 0}]


def test_participation_counts_devices_once_across_activities():
    p = rules.participation(["a", "a", "b"], ["a", "c", "c", "c"], [])
    assert p == {"devices": 3, "asking_devices": 2, "questions": 3, "questions_per_asking_device": 1.5,
                 "max_questions_per_device": 2, "voting_devices": 2, "upvotes": 4, "upvotes_per_voting_device": 2.0,
                 "max_upvotes_per_device": 3, "polling_devices": 0, "ballots": 0, "ballots_per_polling_device": None,
                 "max_ballots_per_device": 0}


def test_takeaways_grouped_in_order_oldest_first_empty_groups_left_out():
    items = [{"id": 1, "created_ms": 5, "key_question_id": 2}, {"id": 2, "created_ms": 1, "key_question_id": 2},
             {"id": 3, "created_ms": 0, "key_question_id": None}]
    groups = rules.group_takeaways(items, "key_question_id", [1, 2])
    assert [(g["key"], [t["id"] for t in g["items"]]) for g in groups] == [(2, [2, 1]), (None, [3])]


@pytest.mark.parametrize(("ms", "text"), [
    (None, ""), (0, "0:00"), (499, "0:00"), (59_500, "1:00"), (630_000, "10:30"), (3_600_000, "1:00:00"),
    (-560_000, "\u22129:20"), (-400, "0:00")])
def test_duration(ms, text):
    assert formats.duration(ms) == text


@pytest.mark.parametrize(("ms", "text"), [
    (None, ""), (400, "on time"), (60_000, "1:00 over"), (-560_000, "9:20 under")])
def test_over_under(ms, text):
    assert formats.over_under(ms) == text


def test_local_times_are_in_the_events_zone():
    ms = 1_663_039_800_000  # 2022-09-13 03:30 UTC
    assert formats.local(ms, "Asia/Bangkok") == "10:30:00"
    assert formats.long_date(ms, "Asia/Bangkok") == "Tuesday 13 September 2022"
    assert formats.local(None, "Asia/Bangkok") == ""


def test_bars_are_proportional_and_the_reference_line_is_placed_on_the_same_scale():
    c = charts.hbars([{"label": "a", "value": 2, "text": "2"}, {"label": "b", "value": 1, "text": "1"},
                      {"label": "c", "value": 0, "text": "0"}], reference=1)
    widths = [r["w"] for r in c["rows"]]
    assert widths[0] == c["plot_w"] and widths[1] == c["plot_w"] / 2 and widths[2] == 0
    assert c["reference_x"] == c["x0"] + c["plot_w"] / 2


def test_the_timeline_spans_the_plan_the_show_and_the_booked_end():
    rows = [{"label": "a", "planned_start_ms": 0, "planned_ms": 10 * MIN, "started_ms": MIN, "ended_ms": 12 * MIN},
            {"label": "b", "planned_start_ms": 10 * MIN, "planned_ms": 10 * MIN, "started_ms": None, "ended_ms": None}]
    c = charts.timeline(rows, booked_start_ms=0, booked_end_ms=15 * MIN)
    a, b = c["rows"]
    assert a["px"] == c["x0"] and b["px"] + b["pw"] == pytest.approx(c["x0"] + c["plot_w"], abs=0.2)
    assert "ax" in a and "ax" not in b and a["ax"] > a["px"]
    assert c["booked_x"] == pytest.approx(c["x0"] + c["plot_w"] * 0.75, abs=0.2)
    assert [t["minutes"] for t in c["ticks"]] == [0, 10, 20]
