"""Next / Previous carry the segment they were pressed for (from_segment_id): a quick second
press, or a press just after auto-advance, is refused instead of skipping a segment."""
from datetime import timedelta

import pytest

from forum_live.sockets.autoadvance import AutoAdvancer
from support.wire import instant


def _on_air(mod):
    """The segment on air as this console sees it (the last run broadcast, else its snapshot)."""
    runs = mod.received("run")
    if runs:
        mod.seen_run = runs[-1]
    return getattr(mod, "seen_run", None)["current_segment_id"]


def test_a_double_press_of_next_moves_on_once(connect):
    mod = connect("moderator")
    segs = mod.last("state")["run"]["segments"]
    assert mod.call("timer:next", {"from_segment_id": None}) == {"ok": True}     # starts the show
    assert _on_air(mod) == segs[0]["id"]
    assert mod.call("timer:next", {"from_segment_id": segs[0]["id"]}) == {"ok": True}
    # The second click of a double click was aimed at the same segment: refused, nothing moves.
    refused = mod.call("timer:next", {"from_segment_id": segs[0]["id"]})
    assert refused["ok"] is False and refused["code"] == "invalid_state"
    assert refused["message"].startswith("Already moved on:") and segs[1]["title"] in refused["message"]
    assert _on_air(mod) == segs[1]["id"]
    # A console that saw the show before it started.
    assert mod.call("timer:next", {"from_segment_id": None})["code"] == "invalid_state"
    assert _on_air(mod) == segs[1]["id"]


def test_a_double_press_of_previous_goes_back_once(connect):
    mod = connect("moderator")
    segs = mod.last("state")["run"]["segments"]
    mod.call("timer:start")
    mod.call("timer:goto", {"segment_id": segs[3]["id"]})
    assert mod.call("timer:previous", {"from_segment_id": segs[3]["id"]}) == {"ok": True}
    assert mod.call("timer:previous", {"from_segment_id": segs[3]["id"]})["code"] == "invalid_state"
    assert _on_air(mod) == segs[2]["id"]


def test_without_from_segment_id_each_press_steps(connect):
    mod = connect("moderator")
    segs = mod.last("state")["run"]["segments"]
    mod.call("timer:start")
    assert mod.call("timer:next") == {"ok": True}
    assert mod.call("timer:next", {}) == {"ok": True}
    assert _on_air(mod) == segs[2]["id"]


def test_after_the_end_previous_from_none_reopens_the_last_segment_once(connect):
    mod = connect("moderator")
    segs = mod.last("state")["run"]["segments"]
    mod.call("timer:start")
    mod.call("timer:goto", {"segment_id": segs[-1]["id"]})
    assert mod.call("timer:next", {"from_segment_id": segs[-1]["id"]}) == {"ok": True}
    assert mod.last("run")["status"] == "ended"
    refused = mod.call("timer:next", {"from_segment_id": segs[-1]["id"]})
    assert refused["code"] == "invalid_state" and "ended" in refused["message"]
    assert mod.call("timer:previous", {"from_segment_id": None}) == {"ok": True}
    assert mod.call("timer:previous", {"from_segment_id": None})["code"] == "invalid_state"
    assert _on_air(mod) == segs[-1]["id"]


@pytest.mark.parametrize("value", ["12", 1.5, True, [1]])
def test_a_bad_from_segment_id_is_refused(connect, value):
    mod = connect("moderator")
    mod.call("timer:start")
    assert mod.call("timer:next", {"from_segment_id": value})["code"] == "invalid_payload"
    assert _on_air(mod) == mod.last("state")["run"]["segments"][0]["id"]


def test_next_pressed_as_auto_advance_moved_on_is_refused(app, connect):
    mod = connect("moderator")
    segs = mod.last("state")["run"]["segments"]
    mod.call("segment:auto", {"segment_id": segs[0]["id"], "on": True})
    mod.call("timer:start")
    deadline = instant(mod.last("run")["timer"]["deadline_ms"])
    AutoAdvancer(app, clock=lambda: deadline + timedelta(milliseconds=50)).run_once()
    assert _on_air(mod) == segs[1]["id"]
    # The moderator pressed Next on the opening at its deadline: it is not applied twice.
    refused = mod.call("timer:next", {"from_segment_id": segs[0]["id"]})
    assert refused["code"] == "invalid_state" and segs[1]["title"] in refused["message"]
    assert _on_air(mod) == segs[1]["id"]

