"""The per-role read side: what each role may see, and the wire shapes of docs/protocol.md."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum_live.domain import polls as poll_rules
from forum_live.domain.clock import to_ms
from forum_live.persistence.models import Ballot, Question, Vote
from forum_live.services import polls as ps
from forum_live.services import questions as qs
from forum_live.services import run_of_show as ros
from forum_live.services import views

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)
MIN = 60_000
JOIN = "http://192.0.2.10:5000/e/ILO22"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def busy(session, event):
    """The default event with a question in each status (device dev-a asked them all; dev-b
    upvoted the answered one), the single poll revealed, the rating poll open, the word cloud a
    draft; dev-a voted in both open polls."""
    ids = {}
    for n, (status, actions) in enumerate([("pending", []), ("approved", ["approve"]),
                                           ("answered", ["approve", "answer"]), ("rejected", ["reject"])]):
        q, _ = qs.submit_question(session, event, "dev-a", f"c-{n:04d}", f"Question {status}?", None, None, at(n))
        for action in actions:
            if action == "answer":  # upvoted while open: an answered question takes no votes
                qs.set_upvote(session, event, "dev-b", q.id, True, at(9))
            qs.moderate_question(session, event, q.id, action, at(10))
        ids[status] = q.id
    single, rating = event.polls[0], event.polls[1]
    ps.open_poll(session, event, single.id)
    ps.cast_ballot(session, event, "dev-a", single.id, single.options[2].id, at(12))
    ps.cast_ballot(session, event, "dev-b", single.id, single.options[0].id, at(12))
    ps.close_poll(session, event, single.id)
    ps.reveal_poll(session, event, single.id)
    ps.open_poll(session, event, rating.id)
    ps.cast_ballot(session, event, "dev-a", rating.id, 4, at(13))
    session.commit()
    return event, ids


# role -> (question statuses seen in the top order: open before answered, then votes, then age;
# poll kinds seen, kinds with results)
ROLES = {
    views.MODERATOR: (["pending", "approved", "rejected", "answered"],
                      ["single", "rating", "wordcloud"], ["single", "rating", "wordcloud"]),
    views.SCREEN: (["approved", "answered"], ["single", "rating"], ["single"]),
    views.AUDIENCE: (["approved", "answered"], ["single", "rating"], ["single"]),
}


@pytest.mark.parametrize(("role", "statuses"), [(r, v[0]) for r, v in ROLES.items()])
def test_questions_each_role_sees(session, busy, role, statuses):
    event, _ = busy
    view = views.questions_view(session, event, role)
    assert [q["status"] for q in view["items"]] == statuses
    assert view["dismissed_count"] == 1          # public: transparent moderation


@pytest.mark.parametrize(("role", "kinds", "with_results"), [(r, v[1], v[2]) for r, v in ROLES.items()])
def test_polls_each_role_sees_and_results_only_once_revealed(session, busy, role, kinds, with_results):
    event, _ = busy
    view = views.polls_view(session, event, role)
    assert [p["kind"] for p in view] == kinds
    assert [p["kind"] for p in view if p["results"] is not None] == with_results


def test_question_item_shape(session, busy):
    event, ids = busy
    item = views.questions_view(session, event, views.AUDIENCE)["items"][-1]  # answered: after the open ones
    assert item == {"id": ids["answered"], "text": "Question answered?", "name": None, "panelist_id": None,
                    "theme": None, "status": "answered", "votes": 1, "created_ms": to_ms(at(2)),
                    "answered_ms": to_ms(at(10)), "answered_by": None, "edited": False, "merged_count": 0}


def test_moderator_item_adds_flag_queue_edits_and_merged_texts(session, busy):
    event, ids = busy
    qs.edit_question(session, event, ids["approved"], "Question approved, corrected?", at(20))
    qs.queue_question(session, event, ids["approved"], 0)
    view = views.questions_view(session, event, views.MODERATOR)
    item = next(q for q in view["items"] if q["id"] == ids["approved"])
    assert {k: item[k] for k in ("text", "original_text", "edit_count", "edited", "queue_position", "flag",
                                 "merged", "merged_into_id")} == {
        "text": "Question approved, corrected?", "original_text": "Question approved?", "edit_count": 1,
        "edited": True, "queue_position": 1, "flag": None, "merged": [], "merged_into_id": None}
    assert (view["queue"], view["ms_per_question"], view["premoderation"]) == ([ids["approved"]], 180_000, True)
    public = views.questions_view(session, event, views.AUDIENCE)
    assert "queue" not in public and "original_text" not in public["items"][0]
    assert next(q for q in public["items"] if q["id"] == ids["approved"])["edited"] is True


def test_revealed_single_poll_shape(session, busy):
    event, _ = busy
    poll = views.polls_view(session, event, views.AUDIENCE)[0]
    options = event.polls[0].options
    assert (poll["status"], poll["revealed"], len(poll["options"])) == ("closed", True, 5)
    assert poll["results"]["total"] == 2
    assert [(o["id"], o["count"], o["percent"]) for o in poll["results"]["options"]] == [
        (options[0].id, 1, 50), (options[1].id, 0, 0), (options[2].id, 1, 50),
        (options[3].id, 0, 0), (options[4].id, 0, 0)]


def test_mine_is_the_devices_own_questions_votes_and_ballots(session, busy):
    event, ids = busy
    mine = views.mine_view(session, event, "dev-a")
    assert [q["status"] for q in mine["questions"]] == ["pending", "approved", "answered", "rejected"]
    assert mine["questions"][0] == {"id": ids["pending"], "client_id": "c-0000", "text": "Question pending?",
                                    "status": "pending", "created_ms": to_ms(at(0)), "merged_into_id": None}
    assert mine["votes"] == []
    assert mine["ballots"] == {str(event.polls[0].id): event.polls[0].options[2].id, str(event.polls[1].id): 4}


def test_mine_of_another_device_holds_none_of_dev_a(session, busy):
    event, ids = busy
    mine = views.mine_view(session, event, "dev-b")
    assert (mine["questions"], mine["votes"]) == ([], [ids["answered"]])
    assert mine["ballots"] == {str(event.polls[0].id): event.polls[0].options[0].id}


def test_mine_returns_a_word_cloud_ballot_as_text(session, event):
    cloud = event.polls[2]
    ps.open_poll(session, event, cloud.id)
    ps.cast_ballot(session, event, "dev-a", cloud.id, " Hope ", at(1))
    assert views.mine_view(session, event, "dev-a")["ballots"] == {str(cloud.id): "Hope"}


@pytest.mark.parametrize(("role", "device", "stage", "extra"), [
    (views.AUDIENCE, "dev-a", False, {"mine"}), (views.SCREEN, None, False, set()),
    (views.SCREEN, None, True, {"stage"}), (views.MODERATOR, None, False, {"stage", "takeaways"})],
    ids=["audience", "projector", "stage view", "moderator"])
def test_snapshot_parts(session, busy, role, device, stage, extra):
    event, _ = busy
    state = views.snapshot(session, event, role, at(0), JOIN, device_id=device, stage=stage)
    assert set(state) == {"server_now_ms", "role", "event", "run", "questions", "polls", "scene", "summary_url"} | extra
    assert (state["role"], state["server_now_ms"], state["event"]["join_url"]) == (role, to_ms(at(0)), JOIN)


def test_a_rapporteur_snapshot_holds_the_run_public_questions_and_takeaways_only(session, busy):
    event, ids = busy
    state = views.snapshot(session, event, views.RAPPORTEUR, at(0), JOIN)
    assert set(state) == {"server_now_ms", "role", "event", "run", "questions", "takeaways"}
    assert sorted(q["id"] for q in state["questions"]["items"]) == sorted([ids["approved"], ids["answered"]])
    assert "queue" not in state["questions"] and "flag" not in state["questions"]["items"][0]
    assert state["questions"] == views.questions_view(session, event, views.AUDIENCE)


def test_event_view_facts(session, event):
    view = views.event_view(event, JOIN)
    assert (view["code"], view["timezone"], view["scheduled_start_ms"], view["booked_end_ms"]) == (
        "ILO22", "Asia/Bangkok", to_ms(T0), to_ms(at(80)))
    assert [(kq["number"], len(kq["prompts"])) for kq in view["key_questions"]] == [(1, 3), (2, 3)]
    assert len(view["panelists"]) == 5


def test_run_before_the_show_shows_the_first_segment_idle_and_the_plan_overrunning(session, event):
    run = views.run_view(event, at(-30))
    assert (run["status"], run["current_segment_id"]) == ("not-started", None)
    assert run["timer"] == {
        "segment_id": event.segments[0].id, "on_air": False, "state": "idle", "deadline_ms": None,
        "remaining_ms": 8 * MIN, "elapsed_ms": 0, "planned_ms": 8 * MIN, "adjust_ms": 0,
        "wrap_up_ms": 120_000, "time_up_grace_ms": 30_000, "phase": "on-time", "phase_label": "On time"}
    assert [s["planned_start_ms"] for s in run["segments"]][:3] == [to_ms(T0), to_ms(at(8)), to_ms(at(18))]
    assert (run["planned_end_ms"], run["projected_end_ms"], run["booked_end_ms"]) == (
        to_ms(at(90)), to_ms(at(90)), to_ms(at(80)))
    assert (run["over_booked_ms"], run["planned_over_booked_ms"]) == (10 * MIN, 10 * MIN)


@pytest.mark.parametrize(("minute", "phase", "label"), [
    (5.9, "on-time", "On time"), (6, "wrap-up", "Wrap up"), (8, "time-up", "Time up"),
    (8.5, "overtime", "Overtime")])
def test_run_timer_phase_while_on_air(session, event, minute, phase, label):
    ros.start_show(event, at(0))
    timer = views.run_view(event, at(minute))["timer"]
    assert (timer["on_air"], timer["deadline_ms"], timer["phase"], timer["phase_label"]) == (
        True, to_ms(at(8)), phase, label)


def test_the_run_from_read_rows_equals_the_run_from_the_orm_segments(session, event):
    """Phones' and projectors' run views read the segments as rows (views.segment_rows), the
    consoles' as ORM objects: the same run, on air, paused, overrunning and after a move on."""
    ros.start_show(event, at(0))
    ros.next_segment(event, at(9))
    session.commit()
    rows = list(session.execute(views._SEGMENT_ROWS, {"event_id": event.id}))
    assert len(rows) == len(event.segments) >= 3 and rows[0].left_at is not None
    for minute in (9.5, 20, 40):
        assert views.run_view(event, at(minute), segments=rows) == views.run_view(event, at(minute))
    ros.pause_segment(event, at(12))
    session.commit()
    rows = list(session.execute(views._SEGMENT_ROWS, {"event_id": event.id}))
    assert views.run_view(event, at(15), segments=rows) == views.run_view(event, at(15))
    assert views.segment_rows(session, event) is event.segments  # loaded: the ORM list
    session.expire(event, ["segments"])  # not loaded: one statement of rows
    assert views.segment_rows(session, event) == rows


def test_scene_view(session, busy):
    event, _ = busy
    assert views.scene_view(event) == {"name": "poll", "prompt_id": None, "question_id": None,
                                       "poll_id": event.polls[0].id}


def _mine_by_orm(session, event, device_id):
    """The device's own part read object by object, as mine_view did before issue 16: the
    oracle the batched column reads must equal."""
    own = session.scalars(select(Question).where(Question.event_id == event.id, Question.device_id == device_id)
                          .order_by(Question.id))
    voted = session.scalars(select(Vote.question_id).join(Question, Question.id == Vote.question_id)
                            .where(Question.event_id == event.id, Vote.device_id == device_id))
    kinds = {p.id: p.kind for p in event.polls}
    ballots, status = {}, {}
    for ballot in session.scalars(select(Ballot).where(Ballot.device_id == device_id, Ballot.poll_id.in_(kinds))):
        ballots[str(ballot.poll_id)] = poll_rules.wire_value(kinds[ballot.poll_id], ballot.value)
        if ballot.moderation is not None:
            status[str(ballot.poll_id)] = ballot.moderation
    return {"questions": [views.mine_question(q) for q in own], "votes": sorted(voted), "ballots": ballots,
            "answer_status": status}


def test_mine_of_many_devices_read_in_chunks_equals_each_read_alone(session, busy, monkeypatch):
    event, ids = busy
    text = ps.create_poll(session, event, "text", "One thing you take home?", [])
    ps.open_poll(session, event, text.id)
    for n in range(5):  # dev-0..dev-4: a question, an upvote, an open-text answer each
        q, _ = qs.submit_question(session, event, f"dev-{n}", f"m-{n:04d}", f"Mine {n}?", None, None, at(20))
        qs.moderate_question(session, event, q.id, "approve", at(21))
        qs.set_upvote(session, event, f"dev-{n}", ids["approved"], True, at(22))
        ps.cast_ballot(session, event, f"dev-{n}", text.id, f"Answer {n}", at(23))
    session.commit()
    devices = ["dev-a", "dev-b", "nobody", None, *(f"dev-{n}" for n in range(5))]
    monkeypatch.setattr(views, "MINE_CHUNK", 2)  # several statements, as for a reset of 1,000 voters
    batched = views.mine_views(session, event, devices)
    assert set(batched) == {d for d in devices if d is not None}
    for device in batched:
        assert batched[device] == _mine_by_orm(session, event, device) == views.mine_view(session, event, device)
    assert batched["dev-a"]["questions"] and batched["dev-3"]["answer_status"] == {str(text.id): "pending"}
    assert batched["nobody"] == {"questions": [], "votes": [], "ballots": {}, "answer_status": {}}
