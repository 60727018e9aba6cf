"""The whole 90-minute default run of show, simulated on a fake clock in seconds of test time.

A late opening, a two-minute pause for a dead microphone, "now speaking" interjections, two
rebalancings (one undone), four panelist slots that auto-advance at their deadlines, a Q&A that
runs a minute over and a closing that ends the show by itself. Checked: planned vs actual
start and length of every segment, the projected end along the way, the rebalancing outcomes
and the airtime totals. Every number below is worked out by hand in the comments.
"""
from datetime import UTC, datetime, timedelta

from forum_live.domain.clock import to_ms
from forum_live.services import airtime, prompts, rebalance
from forum_live.services import run_of_show as ros
from forum_live.services.views import run_view

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)  # 10:30 in Bangkok; the slot is booked to 11:50
S, MIN = 1000, 60_000


def t(minutes: int, seconds: float = 0) -> datetime:
    """The instant minutes:seconds after the scheduled start."""
    return T0 + timedelta(minutes=minutes, seconds=seconds)


class Show:
    """The fake clock: time only moves when the test says so; the auto-advance check runs every
    7 s of fake time (as a background task would, late by up to 7 s)."""

    def __init__(self, session, event):
        self.session, self.event, self.now = session, event, t(-5)
        self.checks = 0

    def until(self, instant: datetime) -> None:
        while self.now + timedelta(seconds=7) <= instant:
            self.now += timedelta(seconds=7)
            ros.advance_due_segments(self.event, self.now)
            self.checks += 1
        self.now = instant
        ros.advance_due_segments(self.event, self.now)
        self.session.commit()

    def run(self) -> dict:
        return run_view(self.event, self.now)

    def projected(self) -> tuple[int, int]:
        """(projected end in seconds after the scheduled start, overrun of the booked slot in s)."""
        r = self.run()
        return (r["projected_end_ms"] - to_ms(T0)) // S, r["over_booked_ms"] // S


def test_the_default_run_of_show_from_start_to_end(session, event):
    show = Show(session, event)
    segs, p = event.segments, [x.id for x in event.panelists]

    # Before the show: the plan is 90 minutes in an 80-minute slot.
    assert show.projected() == (90 * 60, 10 * 60)

    # 10:30:00 the show starts on time; at 0:30 the moderator takes the 10 minutes from the Q&A.
    show.until(t(0))
    ros.start_show(event, show.now)
    show.until(t(0, 30))
    preview = rebalance.preview_rebalance(event, "qa", show.now)
    assert [(c["segment_id"], c["after_ms"]) for c in preview["changes"]] == [(segs[7].id, 5 * MIN)]
    rebalance.apply_rebalance(session, event, "qa", show.now)
    assert show.projected() == (80 * 60, 0)

    # The opening runs a minute long: Next at 9:00. 9 + 40 (slots) + 10 (slot on air) + 12 + 5 + 5 = 81.
    show.until(t(9))
    ros.next_segment(event, show.now)
    assert show.projected() == (81 * 60, 60)

    # Slot 1 (da Costa): paused 12:00-14:00 for a dead microphone; at 13:00, paused, the end is
    # 13 + 7 left + 62 to come = 82 and moves one second per second.
    show.until(t(12))
    ros.pause_segment(event, show.now)
    show.until(t(13))
    assert show.projected() == (82 * 60, 2 * 60)
    show.until(t(14))
    ros.start_show(event, show.now)
    # Chowdhury interjects from 16:00 to 17:00 (the slot's clock: 5:00 to 6:00).
    show.until(t(16))
    airtime.set_speaker(session, event, p[1], show.now)
    prompts.step_prompt(event, 1)
    show.until(t(17))
    airtime.set_speaker(session, event, p[0], show.now)
    # Next at 21:30: the slot ran 10:30. 21.5 + 10 + 30 + 12 + 5 + 5 = 83.5 -> 3:30 over.
    show.until(t(21, 30))
    ros.next_segment(event, show.now)
    assert show.projected() == (83 * 60 + 30, 210)

    # Q&A alone cannot cover it any more (5 min, minimum 2): 30 s would stay uncovered.
    qa = rebalance.preview_rebalance(event, "qa", show.now)
    assert (qa["covered_ms"], qa["uncovered_ms"]) == (180 * S, 30 * S)
    # Spread 210 s over 10+10+10+12+5+5 = 52 min, largest remainders: 41, 40, 40, 49, 20, 20.
    spread = rebalance.preview_rebalance(event, "spread", show.now)
    assert {c["segment_id"]: -c["delta_ms"] // S for c in spread["changes"]} == {
        segs[3].id: 41, segs[4].id: 40, segs[5].id: 40, segs[6].id: 49, segs[7].id: 20, segs[8].id: 20}
    assert (spread["uncovered_ms"], spread["over_booked_ms"]) == (0, 0)
    rebalance.apply_rebalance(session, event, "spread", show.now)
    assert show.projected() == (80 * 60, 0)
    show.until(t(21, 40))
    rebalance.undo_rebalance(session, event, show.now)                 # undone...
    assert show.projected() == (83 * 60 + 30, 210)
    assert [s.adjust_ms for s in segs[3:7]] == [0, 0, 0, 0] and segs[7].adjust_ms == -10 * MIN
    rebalance.apply_rebalance(session, event, "spread", show.now)      # ...and applied again
    assert show.projected() == (80 * 60, 0)

    # Slots 2-5 auto-advance: each starts exactly at the previous one's deadline, however late the
    # 7-second check comes: 31:30, 31:30 + 9:19 = 40:49, + 9:20 = 50:09, + 9:20 = 59:29.
    for seg in segs[2:6]:
        ros.set_auto_advance(event, seg.id, True)
    show.until(t(59, 35))
    assert event.current_segment_id == segs[6].id

    # The discussion (12:00 - 0:49 = 11:11): the floor goes round the panel by "now speaking".
    start = t(59, 29)
    for offset, who in [(30, p[0]), (210, p[1]), (300, p[2]), (420, p[3]), (540, p[4]), (660, None)]:
        show.until(start + timedelta(seconds=offset))
        airtime.set_speaker(session, event, who, show.now)
    prompts.step_prompt(event, 1)
    show.until(start + timedelta(minutes=11, seconds=11))
    ros.next_segment(event, show.now)                                  # Next at 70:40

    # The Q&A (5:00 - 0:20 = 4:40) runs a minute over: Tejavivaddhana answers, then da Costa.
    show.until(t(70, 40))
    airtime.set_speaker(session, event, p[4], show.now)
    show.until(t(72, 40))
    airtime.set_speaker(session, event, p[0], show.now)
    show.until(t(76, 20))
    ros.next_segment(event, show.now)
    assert show.projected() == (81 * 60, 60)                           # 76:20 + 4:40 closing

    # The closing auto-advances: the show ends at its deadline, 81:00, seen by a check at 81:04.
    ros.set_auto_advance(event, segs[8].id, True)
    show.until(t(85))
    run = show.run()
    assert (run["status"], event.ended_at) == ("ended", t(81))
    assert (run["projected_end_ms"], run["over_booked_ms"]) == (to_ms(t(81)), 60 * S)

    # Planned vs actual, per segment: (planned start, planned length, actual start, ran) in seconds.
    table = [((s["planned_start_ms"] - to_ms(T0)) // S, s["planned_ms"] // S,
              (s["started_ms"] - to_ms(T0)) // S, s["elapsed_ms"] // S) for s in run["segments"]]
    assert table == [
        (0, 480, 0, 540),                   # opening: a minute long
        (480, 600, 540, 630),               # da Costa: 30 s over, plus a 2-minute pause
        (1080, 600, 1290, 600),             # Chowdhury: to the second (auto-advance)
        (1680, 600, 1890, 559),             # Liu: 9:19 after the spread
        (2280, 600, 2449, 560),             # Mehrotra: 9:20
        (2880, 600, 3009, 560),             # Tejavivaddhana: 9:20
        (3480, 720, 3569, 671),             # going ahead: 11:11
        (4200, 900, 4240, 340),             # Q&A: 4:40 planned after both cuts, ran 5:40
        (5100, 300, 4580, 280),             # closing: 4:40, ended by auto-advance
    ]
    assert [s["adjust_ms"] // S for s in run["segments"]] == [0, 0, 0, -41, -40, -40, -49, -620, -20]

    # Airtime: da Costa 9:30 + 3:00 + 3:40; Chowdhury 1:00 + 10:00 + 1:30; Liu 9:19 + 2:00;
    # Mehrotra 9:20 + 2:00; Tejavivaddhana 9:20 + 2:00 + 2:00. Fair share: 3879 s / 5.
    totals = [x["ms"] // S for x in run["airtime"]["totals"]]
    assert totals == [970, 750, 679, 680, 800]
    assert run["airtime"]["fair_share_ms"] == 775_800
    assert run["plan_change"]["strategy"] == "spread"
    assert show.checks > 600  # the fake clock really ticked through the whole show
