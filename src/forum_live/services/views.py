"""Read side: the parts of the state snapshot each role receives (shapes in docs/protocol.md).

Roles: ``moderator`` sees everything; ``screen`` (projector) and ``audience`` see only public
questions and revealed results; ``audience`` also gets its device's own part (``mine``);
``rapporteur`` gets the run of show, the public questions and the takeaways, nothing else.
"""
from datetime import datetime

from sqlalchemy import bindparam, func, literal, null, select, union_all
from sqlalchemy.orm import Session, object_session

from ..domain import polls as poll_rules
from ..domain import questions as q_rules
from ..domain.agenda import announced_start, next_index, plan
from ..domain.clock import to_ms, utcnow
from ..domain.timer import PHASE_LABELS, TIME_UP_GRACE_MS, phase
from ..persistence.models import Ballot, Event, Poll, Question, Segment, Vote
from .airtime import airtime_view
from .polls import ballot_count, poll_results, status_of
from .questions import question_edits, vote_counts
from .rebalance import last_change, plan_change_view
from .run_of_show import clock_of
from .stage import stage_view
from .summary import summary_url
from .takeaways import takeaways_view

MODERATOR, SCREEN, AUDIENCE, RAPPORTEUR = "moderator", "screen", "audience", "rapporteur"


def event_view(event: Event, join_url: str) -> dict:
    """The event's fixed facts: title, venue, people, key questions with prompts, themes, and the
    language of its projector and stage view (``screen_language``: en, fr or es)."""
    return {
        "code": event.code, "title": event.title, "subtitle": event.subtitle, "venue": event.venue,
        "timezone": event.timezone, "join_url": join_url, "screen_language": event.screen_language,
        "scheduled_start_ms": to_ms(event.scheduled_start_at), "booked_end_ms": to_ms(event.booked_end_at),
        "moderator": {"name": event.moderator_name, "title": event.moderator_title},
        "organisers": list(event.organisers), "themes": list(event.themes),
        "panelists": [{"id": p.id, "name": p.name, "role": p.role, "organisation": p.organisation,
                       "talk_title": p.talk_title} for p in event.panelists],
        "key_questions": [{"id": kq.id, "number": kq.position + 1, "text": kq.text,
                           "prompts": [{"id": pr.id, "text": pr.text} for pr in kq.prompts]}
                          for kq in event.key_questions],
    }


#: The columns of an event's segments that the run view reads, in running order.
_SEGMENT_ROWS = (select(Segment.id, Segment.position, Segment.kind, Segment.title, Segment.panelist_id,
                        Segment.key_question_id, Segment.planned_ms, Segment.adjust_ms, Segment.wrap_up_ms,
                        Segment.started_at, Segment.paused_at, Segment.paused_total_ms, Segment.left_at,
                        Segment.auto_advance, Segment.prompt_index)
                 .where(Segment.event_id == bindparam("event_id")).order_by(Segment.position))


def segment_rows(session: Session, event: Event) -> list:
    """``event``'s segments for ``run_view``: the loaded ORM list if the session has it, else
    read rows (one statement, no ORM objects: issue 16, the ORM load of the segments and their
    some 250 attribute reads were a third of a phone's connect). Rows have the segments'
    attribute names; read-only. ``event`` may be the event's Core row (events.event_row), with
    ``session`` a Connection."""
    if isinstance(event, Event) and "segments" in event.__dict__:
        return event.segments
    return read_segment_rows(session, event.id)


def _segments_of(session: Session, event: Event, public: dict) -> list:
    kept = public.get("segments")
    return segment_rows(session, event) if kept is None else kept


def read_segment_rows(session: Session, event_id: int) -> list:
    """The segments of event ``event_id`` as rows (``segment_rows``), read now, in order."""
    return list(session.execute(_SEGMENT_ROWS, {"event_id": event_id}))


def run_view(event: Event, now: datetime, private: bool = True, segments: list | None = None) -> dict:
    """The run of show and the on-air timer, with the projection against the booked slot,
    airtime per panelist, the last undoable plan change, and whether the audience may still
    send questions (``questions_open``: false once the show has ended, unless kept open for
    follow-up) (shape in docs/protocol.md). ``private``: with the airtime and the plan change
    (consoles and rapporteurs); phones, projectors and stage views get null for both, which
    they do not show, and are spared their queries (issue 16: a third of each phone's connect).
    ``segments``: the event's segments as ``segment_rows`` gives them (default: ``event.segments``)."""
    segs = event.segments if segments is None else segments
    clocks = [clock_of(s) for s in segs]
    on_air = next((s for s in segs if s.id == event.current_segment_id), None)
    started = [s.started_at for s in segs if s.started_at is not None]
    # A skipped segment's "left" instant is when it was skipped, not when the show moved on.
    left = [s.left_at for s in segs if s.left_at is not None and s.started_at is not None]
    p = plan(clocks, on_air.position if on_air else None, now, event.scheduled_start_at, event.booked_end_at,
             ended=event.ended_at is not None, first_started_at=min(started, default=None),
             last_left_at=max(left, default=None))
    segments = []
    for seg, clock, planned_start in zip(segs, clocks, p.planned_starts):
        segments.append({
            "id": seg.id, "position": seg.position, "kind": seg.kind, "title": seg.title,
            "panelist_id": seg.panelist_id, "key_question_id": seg.key_question_id,
            "planned_ms": seg.planned_ms, "adjust_ms": seg.adjust_ms, "wrap_up_ms": seg.wrap_up_ms,
            "planned_start_ms": to_ms(planned_start), "started_ms": to_ms(seg.started_at),
            "left_ms": to_ms(seg.left_at), "elapsed_ms": clock.elapsed_ms(now),
            "state": clock.state, "skipped": clock.skipped, "auto_advance": bool(seg.auto_advance),
            "prompt_index": seg.prompt_index or 0,
        })
    following = next_index(clocks, on_air.position if on_air else None) if event.ended_at is None else None
    if on_air is not None:
        timer_seg = on_air
    elif event.ended_at is None and following is not None:
        timer_seg = segs[following]
        following = next_index(clocks, following)
    else:
        timer_seg = None
    timer = None
    if timer_seg is not None:
        clock = clock_of(timer_seg)
        remaining = clock.remaining_ms(now)
        ph = phase(remaining, timer_seg.wrap_up_ms)
        timer = {"segment_id": timer_seg.id, "on_air": on_air is not None, **clock.wire(now),
                 "wrap_up_ms": timer_seg.wrap_up_ms, "time_up_grace_ms": TIME_UP_GRACE_MS,
                 "phase": ph, "phase_label": PHASE_LABELS[ph]}
    return {
        "server_now_ms": to_ms(now),
        "status": "ended" if event.ended_at else ("live" if on_air else "not-started"),
        "current_segment_id": on_air.id if on_air else None,
        "segments": segments, "timer": timer,
        "planned_end_ms": to_ms(p.planned_end), "projected_end_ms": to_ms(p.projected_end),
        "booked_end_ms": to_ms(p.booked_end), "over_booked_ms": p.over_booked_ms,
        "planned_over_booked_ms": p.planned_over_booked_ms,
        "rehearsal": p.rehearsal,
        "announced_start_ms": to_ms(announced_start(event.scheduled_start_at, now)),
        "next_segment_id": segs[following].id if following is not None else None,
        "questions_open": q_rules.questions_open(event.ended_at is not None, bool(event.questions_open_after_end)),
        **(_session_parts(event, now) if private else {"airtime": None, "plan_change": None}),
    }


def _session_parts(event: Event, now: datetime) -> dict:
    """The run's parts read from other tables: airtime and the undoable plan change."""
    session = object_session(event)
    if session is None:
        return {"airtime": None, "plan_change": None}
    return {"airtime": airtime_view(session, event, now),
            "plan_change": plan_change_view(last_change(session, event))}


def _question(q: Question, votes: int, edits: list, merged: list[Question], moderator: bool) -> dict:
    item = {"id": q.id, "text": q.text, "name": q.author_name, "panelist_id": q.panelist_id,
            "theme": q.theme, "status": q.status, "votes": votes, "created_ms": to_ms(q.created_at),
            "answered_ms": to_ms(q.answered_at), "answered_by": q.answered_by_id,
            "edited": bool(edits), "merged_count": len(merged)}
    if moderator:
        item.update({
            "flag": q.flag, "queue_position": q.queue_position, "merged_into_id": q.merged_into_id,
            "original_text": edits[0].previous_text if edits else None, "edit_count": len(edits),
            "merged": [{"id": m.id, "text": m.text, "name": m.author_name} for m in merged],
        })
    return item


def questions_view(session: Session, event: Event, role: str) -> dict:
    """Questions in the "top" order (most votes, then oldest; domain.questions.top_order_key); pending,
    rejected, archived, withdrawn and merged ones only for the moderator, who also gets the
    up-next queue, flags, the edit log's original texts and merged texts. ``dismissed_count``
    (rejected) is public: transparent moderation."""
    counts = vote_counts(session, event)
    moderator = role == MODERATOR
    stmt = select(Question).where(Question.event_id == event.id)
    if not moderator:
        stmt = stmt.where(Question.status.in_(q_rules.PUBLIC_STATUSES))
    rows = list(session.scalars(stmt.order_by(Question.id)))
    edits = question_edits(session, [q.id for q in rows])
    merged: dict[int, list[Question]] = {}
    if moderator:
        for q in rows:
            if q.merged_into_id is not None:
                merged.setdefault(q.merged_into_id, []).append(q)
    else:
        for q_id, into in session.execute(select(Question.id, Question.merged_into_id).where(
                Question.event_id == event.id, Question.merged_into_id.is_not(None))):
            merged.setdefault(into, []).append(q_id)
    items = [_question(q, counts.get(q.id, 0), edits.get(q.id, []), merged.get(q.id, []), moderator) for q in rows]
    items.sort(key=q_rules.top_order_key)
    dismissed = session.scalar(select(func.count()).select_from(Question).where(
        Question.event_id == event.id, Question.status == q_rules.REJECTED))
    view = {"items": items, "highlighted_id": event.highlighted_question_id, "dismissed_count": dismissed,
            "premoderation": event.premoderation}
    if moderator:
        view["queue"] = [q["id"] for q in sorted((q for q in items if q["queue_position"] is not None),
                                                 key=lambda q: q["queue_position"])]
        view["ms_per_question"] = event.ms_per_question
    return view


def polls_view(session: Session, event: Event, role: str, now: datetime | None = None) -> list[dict]:
    """Polls with results: all polls and results for the moderator; for others, polls that
    have opened, with results only once revealed or for a live-results poll (hidden results
    never leave the server) and open-text answers only once approved. ``ballots`` (how many
    devices answered) is public; ``closes_ms`` is an open poll's auto-close deadline (epoch ms)."""
    now = now or utcnow()
    out = []
    for poll in event.polls:
        status = status_of(poll, now)
        if role != MODERATOR and status == poll_rules.DRAFT:
            continue
        show = role == MODERATOR or poll.revealed or poll.live_results
        results = poll_results(session, poll, public=role != MODERATOR) if show else None
        out.append({
            "id": poll.id, "kind": poll.kind, "title": poll.title, "status": status,
            "revealed": poll.revealed, "live_results": poll.live_results, "scale_max": poll.scale_max,
            "max_choices": poll.max_choices, "duration_s": poll.duration_s,
            "closes_ms": to_ms(poll.closes_at) if status == poll_rules.OPEN else None,
            "options": [{"id": o.id, "label": o.label} for o in poll.options],
            # open-text results list approved answers only; the count is of every ballot
            "ballots": results["total"] if results is not None else ballot_count(session, poll),
            "results": results,
        })
    return out


def scene_view(event: Event) -> dict:
    """What the projector shows: scene name and the chosen prompt, question and poll ids."""
    return {"name": event.scene, "prompt_id": event.scene_prompt_id,
            "question_id": event.highlighted_question_id, "poll_id": event.scene_poll_id}


def mine_question(question: Question) -> dict:
    """The asker's view of one of their own questions (an item of ``mine.questions``)."""
    return _mine_question(question.id, question.client_id, question.text, question.status, question.created_at,
                          question.merged_into_id)


def _mine_question(qid: int, client_id: str, text: str, status: str, created_at: datetime,
                   merged_into_id: int | None) -> dict:
    return {"id": qid, "client_id": client_id, "text": text, "status": status, "created_ms": to_ms(created_at),
            "merged_into_id": merged_into_id}


#: A device's own part, read in one statement built once (no per-call SQL construction, no ORM
#: objects, no lazy load): a row per question of its own ("q"), upvote ("v") and ballot with its
#: poll's kind ("b"), in eight columns: kind, device, then the fields of each.
_DEVICES = bindparam("devices", expanding=True)
_MINE = union_all(
    select(literal("q"), Question.device_id, Question.id, Question.client_id, Question.text, Question.status,
           Question.created_at, Question.merged_into_id)
    .where(Question.event_id == bindparam("event_id"), Question.device_id.in_(_DEVICES)),
    select(literal("v"), Vote.device_id, Vote.question_id, null(), null(), null(), null(), null())
    .join(Question, Question.id == Vote.question_id)
    .where(Question.event_id == bindparam("event_id"), Vote.device_id.in_(_DEVICES)),
    select(literal("b"), Ballot.device_id, Ballot.poll_id, Poll.kind, Ballot.value, Ballot.moderation, null(), null())
    .join(Poll, Poll.id == Ballot.poll_id)
    .where(Poll.event_id == bindparam("event_id"), Ballot.device_id.in_(_DEVICES)))


def _empty_mine() -> dict:
    return {"questions": [], "votes": [], "ballots": {}, "answer_status": {}}


#: Devices per statement when many devices' parts are read at once (SQLite's bound-parameter limit).
MINE_CHUNK = 500


def mine_view(session: Session, event: Event, device_id: str) -> dict:
    """One device's own part: its questions in every status, its upvotes, its ballots (shape:
    docs/protocol.md, ``mine``)."""
    return mine_views(session, event, [device_id]).get(device_id) or _empty_mine()


def mine_views(session: Session, event: Event, device_ids) -> dict[str, dict]:
    """The own part (``mine_view``) of each of ``device_ids``, whatever their number (a poll
    reset or a merge touches many devices):
    ``{device_id: mine}``, one entry per device asked for (None left out), empty parts included.
    One statement per ``MINE_CHUNK`` devices."""
    ids = sorted({d for d in device_ids if d is not None})
    out = {d: _empty_mine() for d in ids}
    for start in range(0, len(ids), MINE_CHUNK):
        params = {"event_id": event.id, "devices": ids[start:start + MINE_CHUNK]}
        for kind, device, key, *fields in session.execute(_MINE, params):
            mine = out[device]
            if kind == "q":
                mine["questions"].append(_mine_question(key, *fields))
            elif kind == "v":
                mine["votes"].append(key)
            else:
                poll_kind, value, moderation = fields[:3]
                mine["ballots"][str(key)] = poll_rules.wire_value(poll_kind, value)
                if moderation is not None:
                    mine["answer_status"][str(key)] = moderation
    for mine in out.values():
        mine["questions"].sort(key=lambda q: q["id"])
        mine["votes"].sort()
    return out


def snapshot(session: Session, event: Event, role: str, now: datetime, join_url: str,
             device_id: str | None = None, stage: bool = False, public: dict | None = None) -> dict:
    """The full state a client gets on connect and reconnect; ``server_now_ms`` is the server's
    clock at the time of the snapshot (epoch ms); ``summary_url`` is the published audience
    summary's URL or None. Stage views (``stage``) and consoles also get
    the ``stage`` part; consoles and rapporteurs the ``takeaways``. A rapporteur's snapshot holds
    only the event, the run of show, the public questions and the takeaways. ``public``: the
    ``event``, ``questions`` and ``polls`` parts already built for a role other than the
    moderator (services/public_state.py), used as they are (with their ``segments`` rows, if
    given, for the ``run``). For a phone or a projector with
    ``public``, ``event`` may be the event's Core row (events.event_row) and ``session`` a Core
    Connection: nothing else is read than the segments (unless given) and the phone's own part."""
    if public is None or role == MODERATOR:
        public = {"event": event_view(event, join_url), "questions": questions_view(session, event, role)}
        if role != RAPPORTEUR:
            public["polls"] = polls_view(session, event, role, now)
    if role == RAPPORTEUR:
        return {"server_now_ms": to_ms(now), "role": role, "event": public["event"],
                "run": run_view(event, now, private=True), "questions": public["questions"],
                "takeaways": takeaways_view(session, event)}
    state = {
        "server_now_ms": to_ms(now), "role": role, "event": public["event"],
        "run": run_view(event, now, private=role == MODERATOR,
                        segments=None if role == MODERATOR else _segments_of(session, event, public)),
        "questions": public["questions"],
        "polls": public["polls"], "scene": scene_view(event),
        "summary_url": summary_url(event, join_url),
    }
    if role == MODERATOR or stage:
        state["stage"] = stage_view(session, event)
    if role == MODERATOR:
        state["takeaways"] = takeaways_view(session, event)
    if device_id is not None:
        state["mine"] = mine_view(session, event, device_id)
    return state
