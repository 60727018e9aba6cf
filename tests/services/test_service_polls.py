"""Polls on a real database: open, close, reveal, one ballot per device, results."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum_live.domain.errors import ForumError
from forum_live.persistence.models import Ballot
from forum_live.services import polls as ps

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)
SINGLE, RATING, WORDCLOUD = 0, 1, 2   # positions of the default event's polls


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def poll_id(event, position):
    return event.polls[position].id


def test_open_poll_closes_any_other_open_poll(session, event):
    ps.open_poll(session, event, poll_id(event, SINGLE))
    ps.open_poll(session, event, poll_id(event, RATING))
    assert [p.status for p in event.polls] == ["closed", "open", "draft"]


def test_a_closed_poll_can_be_opened_again(session, event):
    pid = poll_id(event, SINGLE)
    ps.open_poll(session, event, pid)
    ps.close_poll(session, event, pid)
    assert ps.open_poll(session, event, pid).status == "open"


@pytest.mark.parametrize(("steps", "operation"), [
    (["open_poll"], "open_poll"),
    ([], "close_poll"),
    (["open_poll", "close_poll"], "close_poll"),
], ids=["open an open poll", "close a draft", "close a closed poll"])
def test_poll_lifecycle_refusals_are_invalid_state(session, event, steps, operation):
    pid = poll_id(event, SINGLE)
    for step in steps:
        getattr(ps, step)(session, event, pid)
    with pytest.raises(ForumError) as err:
        getattr(ps, operation)(session, event, pid)
    assert err.value.code == "invalid_state"


def test_unknown_poll_is_not_found(session, event):
    with pytest.raises(ForumError) as err:
        ps.open_poll(session, event, 10_000)
    assert err.value.code == "not_found"


def test_changing_a_ballot_leaves_other_devices_ballots_alone(session, event):
    pid = poll_id(event, SINGLE)
    youth, skills = (o.id for o in event.polls[SINGLE].options[0:5:4])
    ps.open_poll(session, event, pid)
    ps.cast_ballot(session, event, "dev-a", pid, youth, at(1))
    ps.cast_ballot(session, event, "dev-b", pid, youth, at(1))
    ps.cast_ballot(session, event, "dev-a", pid, skills, at(2))
    rows = session.execute(select(Ballot.device_id, Ballot.value, Ballot.cast_at).order_by(Ballot.device_id)).all()
    assert [tuple(r) for r in rows] == [("dev-a", str(skills), at(2)), ("dev-b", str(youth), at(1))]
    counts = {o["id"]: o["count"] for o in ps.poll_results(session, event.polls[SINGLE])["options"]}
    assert (counts[youth], counts[skills]) == (1, 1)


@pytest.mark.parametrize(("position", "values", "expected"), [
    (RATING, [4, 5, 4], {"total": 3, "mean": 4.33}),
    (WORDCLOUD, ["Solidarity", "solidarity ", "Hope"], {"total": 3, "words": [
        {"key": "solidarity", "text": "Solidarity", "count": 2}, {"key": "hope", "text": "Hope", "count": 1}]}),
])
def test_results_count_one_ballot_per_device(session, event, position, values, expected):
    pid = poll_id(event, position)
    ps.open_poll(session, event, pid)
    for i, value in enumerate(values):
        ps.cast_ballot(session, event, f"dev-{i}", pid, value, at(1))
    results = ps.poll_results(session, event.polls[position])
    assert {k: results[k] for k in expected} == expected


@pytest.mark.parametrize("steps", [[], ["open_poll", "close_poll"]], ids=["draft", "closed"])
def test_ballot_in_a_poll_not_open_is_refused(session, event, steps):
    pid = poll_id(event, RATING)
    for step in steps:
        getattr(ps, step)(session, event, pid)
    with pytest.raises(ForumError) as err:
        ps.cast_ballot(session, event, "dev-a", pid, 3, at(1))
    assert err.value.code == "invalid_state"
    assert session.scalars(select(Ballot)).all() == []


@pytest.mark.parametrize(("position", "value", "code"), [
    (SINGLE, 10_000, "invalid_payload"), (RATING, 6, "invalid_payload"), (WORDCLOUD, "", "invalid_text")])
def test_ballot_the_poll_kind_does_not_take_is_refused(session, event, position, value, code):
    pid = poll_id(event, position)
    ps.open_poll(session, event, pid)
    with pytest.raises(ForumError) as err:
        ps.cast_ballot(session, event, "dev-a", pid, value, at(1))
    assert err.value.code == code


def test_reveal_shows_results_on_the_projector_and_hiding_goes_back_to_the_timer(session, event):
    pid = poll_id(event, SINGLE)
    ps.open_poll(session, event, pid)
    ps.reveal_poll(session, event, pid)
    assert (event.polls[SINGLE].revealed, event.scene, event.scene_poll_id) == (True, "poll", pid)
    ps.reveal_poll(session, event, pid, revealed=False)
    assert (event.polls[SINGLE].revealed, event.scene) == (False, "timer")


def test_reveal_a_draft_poll_is_invalid_state(session, event):
    with pytest.raises(ForumError) as err:
        ps.reveal_poll(session, event, poll_id(event, SINGLE))
    assert err.value.code == "invalid_state"
    assert (event.polls[SINGLE].revealed, event.scene) == (False, "timer")


def test_reveal_after_closing_keeps_the_results(session, event):
    pid = poll_id(event, RATING)
    ps.open_poll(session, event, pid)
    ps.cast_ballot(session, event, "dev-a", pid, 2, at(1))
    ps.close_poll(session, event, pid)
    ps.reveal_poll(session, event, pid)
    assert ps.poll_results(session, event.polls[RATING])["mean"] == 2


@pytest.mark.parametrize(("live_results", "audience_sees_results"), [(False, False), (True, True)])
def test_reopening_a_revealed_poll_hides_its_results_unless_live(session, event, live_results, audience_sees_results):
    from forum_live.services.views import polls_view
    pid = poll_id(event, SINGLE)
    ps.update_poll(session, event, pid, live_results=live_results)
    ps.open_poll(session, event, pid, at(0))
    ps.close_poll(session, event, pid, at(1))
    ps.reveal_poll(session, event, pid)
    ps.open_poll(session, event, pid, at(2))
    assert event.polls[SINGLE].revealed is False
    shown = next(p for p in polls_view(session, event, "audience", at(2)) if p["id"] == pid)
    assert (shown["results"] is not None) is audience_sees_results
