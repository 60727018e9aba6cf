"""Every poll kind on a real database: tallies through vote changes and withdrawals, the
one-ballot rule under a concurrent first ballot, auto-close, reset, authoring, open-text
moderation and the word-cloud profanity filter."""
import random
import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum_live.domain import polls as rules
from forum_live.domain.errors import ForumError
from forum_live.persistence import upsert as upsert_module
from forum_live.persistence.models import Ballot
from forum_live.services import polls as ps
from forum_live.services import views

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ballots(session) -> int:
    return session.scalar(select(func.count()).select_from(Ballot))


def make(session, event, kind, options=(), **kw):
    poll = ps.create_poll(session, event, kind, f"A {kind} poll?", list(options), **kw)
    ps.open_poll(session, event, poll.id, at(0))
    return poll


# Steps: (device, value) casts or changes a ballot; (device, None) withdraws it.
SCENARIOS = {
    "single: a change moves the vote, a withdrawal removes it": (
        "single", {"options": ["A", "B", "C"]},
        [("d1", 0), ("d2", 0), ("d3", 1), ("d1", 2), ("d2", None), ("d4", 2)],
        lambda r: ([o["count"] for o in r["options"]], [o["percent"] for o in r["options"]], r["total"]),
        ([0, 1, 2], [0, 33, 67], 3)),
    "multiple: choices change as a set; shares of respondents": (
        "multiple", {"options": ["A", "B", "C", "D"], "max_choices": 3},
        [("d1", [0, 1]), ("d2", [1, 2, 3]), ("d3", [0]), ("d1", [3]), ("d3", None), ("d4", [1, 3])],
        lambda r: ([o["count"] for o in r["options"]], [o["percent"] for o in r["options"]], r["total"], r["choices"]),
        ([0, 2, 1, 3], [0, 67, 33, 100], 3, 6)),
    "rating 1-10: mean and distribution follow changes": (
        "rating", {"scale_max": 10},
        [("d1", 10), ("d2", 1), ("d3", 7), ("d2", 4), ("d3", None), ("d4", 7)],
        lambda r: (r["mean"], [d["count"] for d in r["distribution"]], r["total"]),
        (7.0, [0, 0, 0, 1, 0, 0, 1, 0, 0, 1], 3)),
    "wordcloud: folded counting follows changes; the key stays": (
        "wordcloud", {},
        [("d1", "Solidarity"), ("d2", "solidarité"), ("d3", "Hope"), ("d3", "SOLIDARITY "), ("d2", None),
         ("d4", "hope")],
        lambda r: [(w["key"], w["text"], w["count"]) for w in r["words"]],
        [("solidarity", "Solidarity", 2), ("hope", "hope", 1)]),
    "text: one answer per device, the latest wording": (
        "text", {},
        [("d1", "Fund skills"), ("d2", "Peer learning"), ("d1", "Fund skills networks"), ("d2", None)],
        lambda r: (r["total"], [a["text"] for a in r["answers"]]),
        (1, ["Fund skills networks"])),
}


@pytest.mark.parametrize(("kind", "definition", "steps", "read", "expected"), SCENARIOS.values(), ids=SCENARIOS.keys())
def test_tally_through_changes_and_withdrawals(session, event, kind, definition, steps, read, expected):
    poll = make(session, event, kind, **definition)
    ids = [o.id for o in poll.options]
    for n, (device, value) in enumerate(steps):
        if value is None:
            assert ps.withdraw_ballot(session, event, device, poll.id, at(n)) is True
            continue
        if kind == "single":
            value = ids[value]
        elif kind == "multiple":
            value = [ids[i] for i in value]
        ps.cast_ballot(session, event, device, poll.id, value, at(n))
    session.commit()
    assert read(ps.poll_results(session, poll)) == expected
    assert ballots(session) == len({d for d, _ in steps}) - sum(1 for _, v in steps if v is None)


@pytest.fixture
def rating_poll(sessions, event):
    """An open rating poll, committed, for tests that use several sessions."""
    with sessions() as setup:
        poll = make(setup, setup.merge(event), "rating")
        setup.commit()
        return poll.id


def test_two_concurrent_first_ballots_from_one_device_count_once(sessions, event, rating_poll):
    """The first transaction has inserted but not committed; the second, from the same device,
    waits on the unique constraint, then updates the first's row instead of adding one."""
    done = {}

    def second():
        with sessions() as s:
            ps.cast_ballot(s, s.merge(event), "same-device", rating_poll, 5, at(2))
            s.commit()
            done["ok"] = True

    with sessions() as first:
        ps.cast_ballot(first, first.merge(event), "same-device", rating_poll, 2, at(1))
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.3)
        assert thread.is_alive()  # blocked behind the first transaction's row
        first.commit()
    thread.join(10)
    assert done == {"ok": True}
    with sessions() as check:
        assert [tuple(r) for r in check.execute(select(Ballot.device_id, Ballot.value))] == [("same-device", "5")]


@pytest.mark.parametrize("upsert", [True, False], ids=["on-conflict-update", "savepoint-fallback"])
def test_a_first_ballot_racing_a_committed_one_updates_it(sessions, event, rating_poll, monkeypatch, upsert):
    """Both requests were sent as first ballots; the later one finds the row and updates it
    (also on a database without ON CONFLICT, where the insert fails in a savepoint)."""
    if not upsert:
        monkeypatch.setattr(upsert_module, "ON_CONFLICT_INSERT", {})
    with sessions() as first, sessions() as second:
        ps.cast_ballot(first, first.merge(event), "same-device", rating_poll, 2, at(1))
        first.commit()
        ps.cast_ballot(second, second.merge(event), "same-device", rating_poll, 4, at(2))
        ps.cast_ballot(second, second.merge(event), "other-device", rating_poll, 1, at(2))
        second.commit()
    with sessions() as check:
        rows = check.execute(select(Ballot.device_id, Ballot.value).order_by(Ballot.device_id))
        assert [tuple(r) for r in rows] == [("other-device", "1"), ("same-device", "4")]


def test_a_second_ballot_never_touches_another_devices_ballot(session, event):
    poll = make(session, event, "single", ["A", "B"])
    a, b = (o.id for o in poll.options)
    ps.cast_ballot(session, event, "d1", poll.id, a, at(1))
    ps.cast_ballot(session, event, "d2", poll.id, a, at(1))
    ps.cast_ballot(session, event, "d2", poll.id, b, at(2))
    ps.withdraw_ballot(session, event, "d2", poll.id, at(3))
    assert session.execute(select(Ballot.device_id, Ballot.value)).all() == [("d1", str(a))]


def test_withdrawing_without_a_ballot_is_harmless(session, event):
    poll = make(session, event, "rating")
    assert ps.withdraw_ballot(session, event, "d1", poll.id, at(1)) is False


def test_auto_close_stops_ballots_at_the_deadline_and_is_stored(session, event):
    poll = make(session, event, "rating", duration_s=30)
    assert poll.closes_at == at(30)
    ps.cast_ballot(session, event, "d1", poll.id, 3, at(29.999))
    for verb, args in (("cast_ballot", ("d2", poll.id, 4, at(30))), ("withdraw_ballot", ("d1", poll.id, at(31)))):
        with pytest.raises(ForumError) as err:
            getattr(ps, verb)(session, event, *args)
        assert err.value.code == "invalid_state"
    assert views.polls_view(session, event, views.AUDIENCE, at(30))[-1]["status"] == "closed"
    assert ps.close_due_polls(session, event, at(29)) == []
    assert ps.close_due_polls(session, event, at(31)) == [poll]
    assert (poll.status, poll.closes_at) == ("closed", None)
    assert ballots(session) == 1


def test_the_open_poll_view_carries_the_deadline_in_epoch_ms(session, event):
    make(session, event, "rating", duration_s=45)
    view = views.polls_view(session, event, views.AUDIENCE, at(10))[-1]
    assert view["closes_ms"] == int(at(45).timestamp() * 1000) and view["duration_s"] == 45


def test_reopening_an_auto_closed_poll_gives_a_new_deadline(session, event):
    poll = make(session, event, "rating", duration_s=10)
    ps.open_poll(session, event, poll.id, at(60))  # auto-closed at 10 s, nothing stored yet
    assert (poll.status, poll.closes_at) == ("open", at(70))


def test_reset_needs_confirmation_then_deletes_every_ballot(session, event):
    poll = make(session, event, "rating", live_results=True)
    for i in range(3):
        ps.cast_ballot(session, event, f"d{i}", poll.id, 4, at(i))
    ps.reveal_poll(session, event, poll.id)
    with pytest.raises(ForumError) as err:
        ps.reset_poll(session, event, poll.id, confirm=False)
    assert err.value.code == "invalid_payload" and ballots(session) == 3
    assert sorted(ps.reset_poll(session, event, poll.id, confirm=True)) == ["d0", "d1", "d2"]
    assert (ballots(session), poll.status, poll.revealed, event.scene) == (0, "draft", False, "timer")


def test_hidden_results_still_show_the_public_ballot_count(session, event):
    poll = make(session, event, "single", ["A", "B"])
    ps.cast_ballot(session, event, "d1", poll.id, poll.options[0].id, at(1))
    public = views.polls_view(session, event, views.SCREEN, at(2))[-1]
    assert (public["results"], public["ballots"]) == (None, 1)


def test_live_results_are_public_while_open(session, event):
    poll = make(session, event, "single", ["A", "B"], live_results=True)
    ps.cast_ballot(session, event, "d1", poll.id, poll.options[1].id, at(1))
    public = views.polls_view(session, event, views.AUDIENCE, at(2))[-1]
    assert public["results"]["options"][1]["count"] == 1 and public["revealed"] is False


def test_open_text_answers_are_shown_only_once_approved(session, event):
    poll = make(session, event, "text", live_results=True)
    ps.cast_ballot(session, event, "d1", poll.id, "Fund skills networks", at(1))
    b2 = ps.cast_ballot(session, event, "d2", poll.id, "Something rude", at(2))
    b3 = ps.cast_ballot(session, event, "d3", poll.id, "Peer learning", at(3))

    def public():
        return [a["text"] for a in views.polls_view(session, event, views.AUDIENCE, at(9))[-1]["results"]["answers"]]
    assert public() == []
    ps.moderate_answer(session, event, b3.id, "approve")
    ps.moderate_answer(session, event, b2.id, "reject")
    assert public() == ["Peer learning"]
    moderator = views.polls_view(session, event, views.MODERATOR, at(9))[-1]["results"]["answers"]
    assert [(a["text"], a["status"]) for a in moderator] == [
        ("Peer learning", "approved"), ("Something rude", "rejected"), ("Fund skills networks", "pending")]
    # Changing an approved answer sends it back to the queue.
    ps.cast_ballot(session, event, "d3", poll.id, "Peer learning, funded", at(10))
    assert public() == []
    assert views.mine_view(session, event, "d3")["answer_status"] == {str(poll.id): "pending"}


def test_moderating_an_answer_of_another_kind_is_not_found(session, event):
    poll = make(session, event, "rating")
    ballot = ps.cast_ballot(session, event, "d1", poll.id, 3, at(1))
    with pytest.raises(ForumError) as err:
        ps.moderate_answer(session, event, ballot.id, "approve")
    assert err.value.code == "not_found"


@pytest.mark.parametrize("word", ["shit", "Bullshit", "FÜCK"])
def test_a_profane_word_is_refused_and_nothing_is_stored(session, event, word):
    poll = make(session, event, "wordcloud")
    with pytest.raises(ForumError) as err:
        ps.cast_ballot(session, event, "d1", poll.id, word, at(1))
    assert err.value.code == "invalid_text" and ballots(session) == 0


@pytest.mark.parametrize("word", ["Scunthorpe", "assessment", "con", "Dignidade", "ความยืดหยุ่น"])
def test_innocent_words_pass_the_profanity_filter(session, event, word):
    poll = make(session, event, "wordcloud")
    ps.cast_ballot(session, event, "d1", poll.id, word, at(1))
    assert ballots(session) == 1


def test_a_poll_created_in_the_console_is_a_draft_at_the_end(session, event):
    poll = ps.create_poll(session, event, "multiple", " Pick up to two ", ["A", "B", "C"], max_choices=2,
                          duration_s=60)
    assert (poll.status, poll.title, poll.key, poll.position) == ("draft", "Pick up to two", "poll-4", 3)
    assert [o.label for o in poll.options] == ["A", "B", "C"] and event.polls[-1] is poll


def test_editing_a_poll_with_ballots_may_reword_but_not_restructure(session, event):
    poll = make(session, event, "single", ["Yuoth", "Skills"])
    first = poll.options[0].id
    ps.cast_ballot(session, event, "d1", poll.id, first, at(1))
    ps.update_poll(session, event, poll.id, title="Fixed title", options=["Youth", "Skills"], live_results=True,
                   duration_s=120)
    assert (poll.title, [o.label for o in poll.options], poll.options[0].id) == ("Fixed title", ["Youth", "Skills"], first)
    assert (poll.live_results, poll.duration_s) == (True, 120)
    for change in ({"options": ["Youth", "Skills", "Care"]}, {"kind": "multiple"}, {"kind": "rating"}):
        with pytest.raises(ForumError) as err:
            ps.update_poll(session, event, poll.id, **change)
        assert err.value.code == "invalid_state"
    ps.reset_poll(session, event, poll.id, confirm=True)
    ps.update_poll(session, event, poll.id, kind="rating", scale_max=10)
    assert (poll.kind, poll.options, poll.scale_max) == ("rating", [], 10)


def test_only_a_draft_without_ballots_can_be_deleted(session, event):
    poll = make(session, event, "rating")
    with pytest.raises(ForumError):
        ps.delete_poll(session, event, poll.id)
    ps.reset_poll(session, event, poll.id, confirm=True)
    ps.delete_poll(session, event, poll.id)
    assert [p.kind for p in event.polls] == ["single", "rating", "wordcloud"]


WORDS = ["Solidarity", "solidarity", "SOLIDARITY", "Hope", "hope", "Decent work", "decent work", "trust", "Trust"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("kind", ["single", "multiple", "rating", "wordcloud"])
def test_results_counted_in_the_database_equal_the_tally_of_every_ballot(session, event, kind, backend):
    """poll_results groups ballots in SQL; its results (counts, percentages, word order and
    spellings, ties) are those of domain.polls.tally over every ballot in the order first cast."""
    definition = {"single": {"options": ["A", "B", "C"]}, "multiple": {"options": ["A", "B", "C", "D"],
                                                                       "max_choices": 3},
                  "rating": {"scale_max": 5}, "wordcloud": {}}[kind]
    poll = make(session, event, kind, **definition)
    ids = [o.id for o in poll.options]
    rng = random.Random(f"{kind}-16")
    for n in range(120):
        device = f"d{rng.randrange(40)}"
        if rng.random() < 0.1:
            ps.withdraw_ballot(session, event, device, poll.id, at(n))
            continue
        value = {"single": lambda: rng.choice(ids), "multiple": lambda: rng.sample(ids, rng.randint(1, 3)),
                 "rating": lambda: rng.randint(1, 5), "wordcloud": lambda: rng.choice(WORDS)}[kind]()
        ps.cast_ballot(session, event, device, poll.id, value, at(n))
    session.commit()
    every = session.scalars(select(Ballot.value).where(Ballot.poll_id == poll.id).order_by(Ballot.id)).all()
    expected = rules.tally(kind, list(every), [(o.id, o.label) for o in poll.options], poll.scale_max)
    assert expected["total"] > 20
    assert ps.poll_results(session, poll) == expected


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_word_cloud_ties_counted_in_the_database_keep_first_appearance(session, event, backend):
    """Equal counts keep the order words were first cast in, and a spelling tie shows the
    spelling cast first (not the alphabetical one, which a GROUP BY may return first)."""
    poll = make(session, event, "wordcloud")
    for n, word in enumerate(["trust", "Care", "care", "Trust", "jobs", "Zeal", "zeal", "ABLE", "able"]):
        ps.cast_ballot(session, event, f"d{n}", poll.id, word, at(n))
    session.commit()
    assert [(w["key"], w["text"], w["count"]) for w in ps.poll_results(session, poll)["words"]] == [
        ("trust", "trust", 2), ("care", "Care", 2), ("zeal", "Zeal", 2), ("able", "ABLE", 2), ("jobs", "jobs", 1)]


def test_a_ballots_read_of_its_poll_is_the_polls_own_facts_and_knows_its_event(session, event):
    """services.polls.ballot_poll (one statement of rows, no ORM load) gives what cast_ballot
    checks: the kind, status, deadline, bounds and the option ids in their order."""
    single = make(session, event, "single", ["A", "B", "C"])
    read = ps.ballot_poll(session, event, single.id)
    assert (read.kind, read.status, read.option_ids) == ("single", "open", tuple(o.id for o in single.options))
    rating = make(session, event, "rating", scale_max=7)  # opening it closes the other
    assert ps.ballot_poll(session, event, single.id).status == "closed"
    scale = ps.ballot_poll(session, event, rating.id)
    assert (scale.option_ids, scale.scale_max) == ((), 7)
    with pytest.raises(ForumError) as refused:
        ps.ballot_poll(session, event, 999_999)
    assert refused.value.code == "not_found"
    other = SimpleNamespace(id=event.id + 1000)  # another event's id: its polls are not this one's
    with pytest.raises(ForumError) as refused:
        ps.ballot_poll(session, other, single.id)
    assert refused.value.code == "not_found"
