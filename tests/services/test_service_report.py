"""The post-session report of the whole simulated show: every number equals what the database
holds, counted here independently with SQL (not through the services the report uses)."""
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from test_service_simulated_show import T0, t
from test_service_simulated_show import test_the_default_run_of_show_from_start_to_end as run_the_show

from forum_live.domain.clock import to_ms
from forum_live.persistence.models import Takeaway
from forum_live.services import participation, polls, questions
from forum_live.services.report import build_report

HOSTILE = [h["stored_as"] for h in json.loads((Path(__file__).parents[1] / "data" / "hostile_texts.json")
                                              .read_text(encoding="utf-8")) if h["expect"] == "stored"]
NAMES = [None, "Somchai", "=cmd|' /C calc'!A0", "<b>Ana</b>", "Nguyễn Thị"]


def _audience(session, event):
    """Before the show: 30 devices ask (hostile texts among them), upvote and vote; the
    moderator approves, answers (naming who answered), rejects, archives and merges; two askers
    withdraw. All through the services, so votes move with merges as they do live."""
    now = t(-4)
    panel = [p.id for p in event.panelists]
    devices = [f"device-{n:02d}" for n in range(30)]
    for n, dev in enumerate([*devices, *(f"watcher-{n}" for n in range(5)), devices[0], devices[1]]):
        participation.record_join(session, event.id, dev, now + timedelta(milliseconds=n))  # 35 phones, 2 rejoin
    for n, connected in enumerate((12, 27, 19)):
        participation.record_peak(session, event.id, connected, now + timedelta(seconds=n))
    asked = []
    for n, body in enumerate(HOSTILE[:24]):
        q, _ = questions.submit_question(session, event, devices[n], f"client-{n:04d}", body, NAMES[n % len(NAMES)],
                                         panel[n % 5] if n % 3 else None, now + timedelta(seconds=n),
                                         theme=event.themes[n % 5] if n % 4 else None)
        asked.append(q)
    for q in asked[:18]:
        questions.moderate_question(session, event, q.id, "approve", now)
    for n, q in enumerate(asked[:18]):  # device n upvotes the questions after its own
        for voter in devices[n + 1: n + 1 + (18 - n) // 2]:
            questions.set_upvote(session, event, voter, q.id, True, now)
    questions.merge_questions(session, event, asked[17].id, asked[0].id, now)
    for i, q in enumerate(asked[:6]):
        questions.moderate_question(session, event, q.id, "answer", now, answered_by=panel[i % 5] if i != 3 else None)
    questions.moderate_question(session, event, asked[6].id, "reject", now)
    questions.moderate_question(session, event, asked[7].id, "archive", now)
    questions.moderate_question(session, event, asked[20].id, "reject", now)
    questions.withdraw_question(session, event, asked[21].device_id, asked[21].id, now)
    questions.withdraw_question(session, event, asked[9].device_id, asked[9].id, now)
    single, rating, words = event.polls[:3]
    for poll, values in [(single, [o.id for o in single.options]), (rating, [1, 2, 3, 4, 5, 5, 4]),
                         (words, ["Solidarity", "solidarity", "ความยืดหยุ่น", "=1+1", "trust"])]:
        polls.open_poll(session, event, poll.id, now)
        for n, dev in enumerate(devices[: 20 if poll is not words else 11]):
            polls.cast_ballot(session, event, dev, poll.id, values[n % len(values)], now)
        polls.close_poll(session, event, poll.id, now)
        polls.reveal_poll(session, event, poll.id, poll is not rating)
    session.commit()


def _takeaways(session, event):
    kq = [k.id for k in event.key_questions]
    panel = [p.id for p in event.panelists]
    for n, body in enumerate(HOSTILE[:9]):
        session.add(Takeaway(event_id=event.id, text=body, segment_id=event.segments[n % 9].id,
                             panelist_id=panel[n % 5] if n % 4 else None, key_question_id=kq[n % 2] if n % 3 else None,
                             for_summary=n % 2 == 0, author="Rapporteur", created_at=t(10 + n)))
    session.commit()


@pytest.fixture
def shown(session, event):
    """The default event after its whole simulated show, with an audience and takeaways."""
    _audience(session, event)
    run_the_show(session, event)
    _takeaways(session, event)
    return event


def _sql(session, query, **params):
    return session.execute(text(query), params).all()


def _ms(session, column_sql, **params):
    """Epoch ms of a stored instant, computed by the database (SQLite stores UTC without zone)."""
    value = session.execute(text(f"SELECT CAST(ROUND((julianday({column_sql}) - 2440587.5) * 86400000) AS INTEGER)"),
                            params).scalar()
    return value


def test_every_timing_number_equals_the_stored_instants(session, shown):
    report = build_report(session, shown, t(90))
    assert report["draft"] is False
    rows = _sql(session, """
        SELECT id, planned_ms, adjust_ms, paused_total_ms,
               CAST(ROUND((julianday(started_at) - 2440587.5) * 86400000) AS INTEGER),
               CAST(ROUND((julianday(left_at) - julianday(started_at)) * 86400000) AS INTEGER) - paused_total_ms
        FROM segment WHERE event_id = :e ORDER BY position""", e=shown.id)
    assert len(rows) == len(report["timing"]["segments"]) == 9
    planned_start = to_ms(T0)
    for (sid, planned, adjust, paused_total, started, ran), seg in zip(rows, report["timing"]["segments"]):
        assert seg["id"] == sid
        assert (seg["planned_ms"], seg["allotted_ms"], seg["started_ms"]) == (planned, planned + adjust, started)
        assert seg["planned_start_ms"] == planned_start
        assert seg["start_delay_ms"] == started - planned_start
        assert (seg["ran_ms"], seg["overrun_ms"], seg["paused_ms"]) == (ran, ran - planned - adjust, paused_total)
        planned_start += planned
    totals = report["timing"]["totals"]
    first, ended, booked = _sql(session, """SELECT
        (SELECT CAST(ROUND((julianday(MIN(started_at)) - 2440587.5) * 86400000) AS INTEGER)
         FROM segment WHERE event_id = :e),
        CAST(ROUND((julianday(ended_at) - 2440587.5) * 86400000) AS INTEGER),
        CAST(ROUND((julianday(booked_end_at) - 2440587.5) * 86400000) AS INTEGER) FROM event WHERE id = :e""", e=shown.id)[0]
    assert (totals["started_ms"], totals["ended_ms"]) == (first, ended)
    assert totals["on_air_ms"] == ended - first == 81 * 60_000
    assert totals["over_booked_ms"] == ended - booked == 60_000
    assert totals["planned_ms"] == sum(r[1] for r in rows) == 90 * 60_000
    assert totals["paused_ms"] == sum(r[3] for r in rows) == 120_000
    changes = _sql(session, "SELECT strategy, undone_at IS NOT NULL FROM plan_change WHERE event_id = :e ORDER BY id",
                   e=shown.id)
    assert [(c["strategy"], c["undone_ms"] is not None) for c in report["timing"]["plan_changes"]] == \
        [(s, bool(u)) for s, u in changes] == [("qa", False), ("spread", True), ("spread", False)]
    stored_cuts = [json.loads(c) for (c,) in _sql(session, "SELECT cuts FROM plan_change WHERE event_id = :e ORDER BY id",
                                                  e=shown.id)]
    assert [c["total_ms"] for c in report["timing"]["plan_changes"]] == [sum(c.values()) for c in stored_cuts]


def test_airtime_is_the_rooms_and_adds_up(session, shown):
    report = build_report(session, shown, t(90))
    a = report["airtime"]
    assert [r["ms"] // 1000 for r in a["rows"]] == [970, 750, 679, 680, 800]  # worked out in the show's test
    assert a["total_ms"] == sum(r["ms"] for r in a["rows"]) and a["fair_share_ms"] == 775_800
    assert [r["vs_fair_ms"] for r in a["rows"]] == [r["ms"] - 775_800 for r in a["rows"]]
    # Each share rounded half up on its own (equal airtime, equal %): the total may miss 100 by a little.
    total = a["total_ms"]
    assert [r["percent"] for r in a["rows"]] == [(200 * r["ms"] + total) // (2 * total) for r in a["rows"]]
    assert abs(sum(r["percent"] for r in a["rows"]) - 100) <= len(a["rows"]) // 2


def test_every_question_number_equals_a_count_in_sql(session, shown):
    q = build_report(session, shown, t(90))["questions"]
    by_status = dict(_sql(session, "SELECT status, COUNT(*) FROM question WHERE event_id = :e GROUP BY status", e=shown.id))
    for status in ("pending", "approved", "answered", "archived", "rejected", "merged", "withdrawn"):
        assert q["counts"][status] == by_status.get(status, 0), status
    assert q["counts"]["submitted"] == sum(by_status.values()) == 24
    counts = q["counts"]
    assert (counts["answered"], counts["rejected"], counts["merged"], counts["withdrawn"]) == (6, 2, 1, 2)
    upvotes = _sql(session, "SELECT COUNT(*) FROM vote JOIN question ON question.id = vote.question_id WHERE event_id = :e",
                   e=shown.id)[0][0]
    assert q["upvotes"] == upvotes > 0
    top = _sql(session, """SELECT question.id, COUNT(vote.id) AS n FROM question JOIN vote ON vote.question_id = question.id
        WHERE event_id = :e AND status IN ('approved', 'answered') GROUP BY question.id
        ORDER BY n DESC, question.created_at, question.id LIMIT 10""", e=shown.id)
    assert [(x["id"], x["votes"]) for x in q["top"]] == [tuple(r) for r in top]
    follow = _sql(session, """SELECT question.id, question.text, question.author_name FROM question
        LEFT JOIN vote ON vote.question_id = question.id
        WHERE event_id = :e AND status IN ('approved', 'pending', 'archived')
        GROUP BY question.id ORDER BY COUNT(vote.id) DESC, question.created_at, question.id""", e=shown.id)
    assert [(x["id"], x["text"], x["name"]) for x in q["follow_up"]] == [tuple(r) for r in follow]
    assert len(follow) == 24 - 6 - 2 - 1 - 2
    per_panelist = dict(_sql(session, """SELECT COALESCE(panelist_id, 0), COUNT(*) FROM question WHERE event_id = :e
        AND status NOT IN ('withdrawn', 'merged') GROUP BY panelist_id""", e=shown.id))
    assert {g["key"] or 0: g["asked"] for g in q["by_panelist"] if g["asked"]} == per_panelist
    answered_to = dict(_sql(session, """SELECT COALESCE(panelist_id, 0), COUNT(*) FROM question WHERE event_id = :e
        AND status = 'answered' GROUP BY panelist_id""", e=shown.id))
    assert {g["key"] or 0: g["answered"] for g in q["by_panelist"] if g["answered"]} == answered_to
    answers_by = dict(_sql(session, """SELECT answered_by_id, COUNT(*) FROM question WHERE event_id = :e
        AND status = 'answered' AND answered_by_id IS NOT NULL GROUP BY answered_by_id""", e=shown.id))
    assert {g["key"]: g["answered_by"] for g in q["by_panelist"] if g["key"] is not None and g["answered_by"]} == answers_by
    per_theme = dict(_sql(session, """SELECT COALESCE(theme, ''), COUNT(*) FROM question WHERE event_id = :e
        AND status NOT IN ('withdrawn', 'merged') GROUP BY theme""", e=shown.id))
    assert {g["key"] or "": g["asked"] for g in q["by_theme"] if g["asked"]} == per_theme


def test_every_poll_number_equals_the_stored_ballots(session, shown):
    report = build_report(session, shown, t(90))
    single, rating, words = report["polls"][:3]
    for p in report["polls"]:
        assert p["ballots"] == _sql(session, "SELECT COUNT(*) FROM ballot WHERE poll_id = :p", p=p["id"])[0][0]
    assert [p["ballots"] for p in report["polls"]] == [20, 20, 11]
    counts = dict(_sql(session, "SELECT CAST(value AS INTEGER), COUNT(*) FROM ballot WHERE poll_id = :p GROUP BY value",
                       p=single["id"]))
    assert {o["id"]: o["count"] for o in single["results"]["options"] if o["count"]} == counts
    mean = _sql(session, "SELECT ROUND(AVG(CAST(value AS INTEGER)), 2) FROM ballot WHERE poll_id = :p", p=rating["id"])[0][0]
    assert rating["results"]["mean"] == mean
    assert sum(w["count"] for w in words["results"]["words"]) == words["ballots"]
    # "Solidarity" and "solidarity" are one word (case folded), as the room saw it.
    assert words["results"]["words"][0] == {"key": "solidarity", "text": "Solidarity", "count": 5}
    assert [(p["revealed"], p["status"]) for p in report["polls"][:3]] == [(True, "closed"), (False, "closed"),
                                                                            (True, "closed")]


def test_participation_counts_distinct_devices_that_acted(session, shown):
    p = build_report(session, shown, t(90))["participation"]
    e = shown.id
    devices = _sql(session, """SELECT COUNT(*) FROM (
        SELECT device_id FROM question WHERE event_id = :e
        UNION SELECT vote.device_id FROM vote JOIN question ON question.id = vote.question_id WHERE event_id = :e
        UNION SELECT device_id FROM ballot JOIN poll ON poll.id = ballot.poll_id WHERE poll.event_id = :e)""", e=e)[0][0]
    assert p["devices"] == devices == 24  # devices 0-23 asked; voters and voting devices are among them
    asking = _sql(session, "SELECT COUNT(DISTINCT device_id), COUNT(*) FROM question WHERE event_id = :e", e=e)[0]
    assert (p["asking_devices"], p["questions"]) == tuple(asking)
    voting = _sql(session, """SELECT COUNT(DISTINCT vote.device_id), COUNT(*) FROM vote
        JOIN question ON question.id = vote.question_id WHERE event_id = :e""", e=e)[0]
    assert (p["voting_devices"], p["upvotes"]) == tuple(voting)
    polling = _sql(session, """SELECT COUNT(DISTINCT device_id), COUNT(*) FROM ballot JOIN poll ON poll.id = ballot.poll_id
        WHERE poll.event_id = :e""", e=e)[0]
    assert (p["polling_devices"], p["ballots"]) == tuple(polling) == (20, 51)
    most = _sql(session, """SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM ballot JOIN poll ON poll.id = ballot.poll_id
        WHERE poll.event_id = :e GROUP BY device_id)""", e=e)[0][0]
    assert p["max_ballots_per_device"] == most == 3
    joined = _sql(session, "SELECT COUNT(*), COUNT(DISTINCT device_id) FROM device_join WHERE event_id = :e", e=e)[0]
    assert p["joined"] == joined[0] == joined[1] == 35  # 30 that acted, 5 that only watched; rejoins count once
    peak = _sql(session, "SELECT peak_connected FROM event WHERE id = :e", e=e)[0][0]
    assert p["peak_connected"] == peak == 27
    peak_ms = _ms(session, "(SELECT peak_connected_at FROM event WHERE id = :e)", e=e)
    assert p["peak_connected_ms"] == peak_ms == to_ms(t(-4)) + 1000  # when 27 was reached, not the later 19


def test_takeaways_are_grouped_as_stored(session, shown):
    tk = build_report(session, shown, t(90))["takeaways"]
    by_kq = dict(_sql(session, "SELECT COALESCE(key_question_id, 0), COUNT(*) FROM takeaway WHERE event_id = :e "
                               "GROUP BY key_question_id", e=shown.id))
    assert {g["key"] or 0: len(g["items"]) for g in tk["by_key_question"]} == by_kq
    by_panelist = dict(_sql(session, "SELECT COALESCE(panelist_id, 0), COUNT(*) FROM takeaway WHERE event_id = :e "
                                     "GROUP BY panelist_id", e=shown.id))
    assert {g["key"] or 0: len(g["items"]) for g in tk["by_panelist"]} == by_panelist
    stored = [r[0] for r in _sql(session, "SELECT text FROM takeaway WHERE event_id = :e ORDER BY id", e=shown.id)]
    assert [x["text"] for x in tk["items"]] == stored == HOSTILE[:9]
    assert tk["by_key_question"][-1]["label"] == "No key question"


def test_a_report_during_the_show_is_a_draft(session, event):
    report = build_report(session, event, t(-10))
    assert report["draft"] is True and report["timing"]["totals"]["started_ms"] is None
    assert report["questions"]["counts"]["submitted"] == 0 and report["participation"]["devices"] == 0
