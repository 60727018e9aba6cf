"""The default event is dated 2022: run today it is a rehearsal, and every time the console,
phones and projector show lines up with the actual start."""
import time

MIN = 60_000


def test_a_run_of_the_2022_event_today_is_a_rehearsal_with_every_time_shifted(connect):
    mod, phone = connect("moderator"), connect("audience")
    before = phone.last("state")["run"]
    assert before["announced_start_ms"] is None      # 10:30 in 2022 is long past: "Starting soon"
    # A start now would be a rehearsal: 10 minutes over a slot starting now (not thousands of
    # hours over the 2022 booking); the schedule's own times stay until the start.
    assert before["rehearsal"] is False
    assert before["segments"][0]["planned_start_ms"] == mod.last("state")["event"]["scheduled_start_ms"]
    assert before["over_booked_ms"] == 10 * MIN
    assert mod.call("timer:start") == {"ok": True}
    run = mod.last("run")
    start = run["segments"][0]["started_ms"]
    assert run["rehearsal"] is True
    assert abs(start - time.time() * 1000) < 60_000
    starts = [s["planned_start_ms"] for s in run["segments"]]
    assert starts[0] == start and starts[1] == start + run["segments"][0]["planned_ms"]
    assert run["planned_end_ms"] == start + sum(s["planned_ms"] for s in run["segments"])
    # The booked slot moved with them: the plan still overruns it by the same 10 minutes.
    assert run["planned_end_ms"] - run["booked_end_ms"] == run["planned_over_booked_ms"] == 10 * MIN
    assert phone.last("run")["rehearsal"] is True
