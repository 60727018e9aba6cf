"""Applying an event file to the event already stored under its code (``run.py --event FILE``
on an existing database).

Before the show has started the file's changes are applied and listed. Once it has started
they are refused (EventStarted says how to apply them) unless ``replace``: then the file
replaces the plan and keeps what it can of the show: questions and their upvotes (a question to
a panelist who is gone goes to all panelists), polls that have ballots (kept as stored, with
their ballots), and the timings of every segment whose title is still in the file (matched in
order). Segments no longer in the file are removed with their airtime; removing the one on air
is refused. Only flushes.
"""
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..eventfile import EventSpec
from ..persistence.models import (
    Ballot,
    Event,
    FloorChange,
    KeyQuestion,
    Panelist,
    PlanChange,
    Poll,
    PollOption,
    Prompt,
    Question,
    Segment,
    Takeaway,
)
from . import public_state
from .rundown import show_started


class EventStarted(ValueError):
    """The file changes an event whose show has started (the message says how to apply it)."""


def _set(obj, changes: list[str], label: str, **fields) -> None:
    for name, value in fields.items():
        if getattr(obj, name) != value:
            changes.append(f"{label}: {name.replace('_', ' ')} {getattr(obj, name)!r} -> {value!r}")
            setattr(obj, name, value)


def apply_event_file(session: Session, event: Event, spec: EventSpec, now: datetime,
                     replace: bool = False) -> list[str]:
    """Make ``event`` what ``spec`` says and return one line per change ([] when it already is).

    Raises EventStarted when the show has started, something would change and not ``replace``
    (nothing is changed then: the caller rolls back), and EventStarted too when ``replace`` would
    remove the segment on air. ``now`` marks segments the file skips.
    """
    changes: list[str] = []
    info = spec.event
    _set(event, changes, "event", title=info.title, subtitle=info.subtitle, venue=info.venue, room=info.room,
         timezone=info.timezone, scheduled_start_at=spec.start_at, booked_end_at=spec.booked_end_at,
         moderator_name=spec.moderator.name, moderator_title=spec.moderator.title,
         organisers=list(info.organisers), themes=list(info.themes), screen_language=info.screen_language)
    panelists = _panelists(session, event, spec, changes)
    key_questions = _key_questions(session, event, spec, changes)
    _segments(session, event, spec, panelists, key_questions, now, changes)
    _polls(session, event, spec, changes)
    if changes and show_started(event) and not replace:
        raise EventStarted(
            f"the show of {event.code} has started, so the event file's {len(changes)} change(s) were not applied "
            f"(first: {changes[0]}). Start without --event to resume the show as stored; replace the run of show "
            "from the console (Import…) after a Reset… if it was a rehearsal; or start with --replace, which "
            "applies the file and keeps the questions, ballots and timings it can.")
    session.flush()
    if changes:  # other processes' shared copies of the public parts are out of date
        public_state.bump_id(session, event.id)
    session.expire(event)
    return changes


def _panelists(session, event, spec, changes) -> dict[str, int]:
    stored = {p.key: p for p in event.panelists}
    ids = {}
    for pos, p in enumerate(spec.panelists):
        row = stored.pop(p.key, None)
        if row is None:
            row = Panelist(event_id=event.id, key=p.key, name=p.name, position=pos)
            session.add(row)
            changes.append(f"panelist added: {p.name}")
        _set(row, changes if row.id else [], f"panelist {p.key}", name=p.name, role=p.role,
             organisation=p.organisation, talk_title=p.talk_title)
        row.position = pos
        session.flush()
        ids[p.key] = row.id
    for gone in stored.values():
        changes.append(f"panelist removed: {gone.name}")
        for model, column in ((Question, Question.panelist_id), (Question, Question.answered_by_id),
                              (FloorChange, FloorChange.panelist_id), (Takeaway, Takeaway.panelist_id),
                              (Segment, Segment.panelist_id)):
            session.execute(update(model).where(column == gone.id).values({column.key: None}))
        session.delete(gone)
    return ids


def _key_questions(session, event, spec, changes) -> dict[str, int]:
    stored = {k.key: k for k in event.key_questions}
    ids = {}
    for pos, kq in enumerate(spec.key_questions):
        row = stored.pop(kq.key, None)
        if row is None:
            row = KeyQuestion(event_id=event.id, key=kq.key, text=kq.text, position=pos)
            session.add(row)
            session.flush()
            changes.append(f"key question added: {kq.key}")
        _set(row, changes, f"key question {kq.key}", text=kq.text)
        row.position = pos
        prompts = kq.prompts or [kq.text]
        if [p.text for p in row.prompts] != prompts:
            if row.prompts:
                changes.append(f"key question {kq.key}: prompts changed")
            _drop_prompts(session, event, row)
            session.add_all(Prompt(key_question_id=row.id, position=i, text=t) for i, t in enumerate(prompts))
        ids[kq.key] = row.id
    for gone in stored.values():
        changes.append(f"key question removed: {gone.key}")
        _drop_prompts(session, event, gone)
        for model, column in ((Takeaway, Takeaway.key_question_id), (Segment, Segment.key_question_id)):
            session.execute(update(model).where(column == gone.id).values({column.key: None}))
        session.delete(gone)
    session.flush()
    return ids


def _drop_prompts(session, event, kq) -> None:
    prompt_ids = [p.id for p in kq.prompts]
    if event.scene_prompt_id in prompt_ids:
        event.scene_prompt_id = None
    session.flush()
    session.execute(delete(Prompt).where(Prompt.key_question_id == kq.id))
    session.expire(kq, ["prompts"])


def _segments(session, event, spec, panelists, key_questions, now, changes) -> None:
    stored = list(event.segments)
    unused = list(stored)
    plan = []
    for pos, seg in enumerate(spec.segments):
        row = next((s for s in unused if s.title == seg.title), None)
        if row is not None:
            unused.remove(row)
        plan.append((pos, seg, row))
    on_air = event.current_segment_id
    gone_on_air = next((s.title for s in unused if s.id == on_air), None)
    if gone_on_air is not None:
        raise EventStarted(f"the event file removes the segment on air ({gone_on_air!r}); "
                           "move on to another segment first, then start again with --replace.")
    if unused:
        ids = [s.id for s in unused]
        changes.extend(f"segment removed: {s.title}" for s in unused)
        session.execute(delete(FloorChange).where(FloorChange.segment_id.in_(ids)))
        session.execute(update(Takeaway).where(Takeaway.segment_id.in_(ids)).values(segment_id=None))
        session.execute(delete(PlanChange).where(PlanChange.event_id == event.id))  # its cuts name segment ids
        for s in unused:
            session.delete(s)
        session.flush()
    for pos, seg, row in plan:
        fields = dict(kind=seg.kind, panelist_id=panelists[seg.panelist] if seg.panelist else None,
                      key_question_id=key_questions[seg.key_question] if seg.key_question else None,
                      planned_ms=round(seg.minutes * 60_000), wrap_up_ms=seg.wrap_up_seconds * 1000,
                      auto_advance=seg.auto_advance, notes=seg.notes)
        if row is None:
            row = Segment(event_id=event.id, title=seg.title, position=pos, prompt_index=0, adjust_ms=0,
                          paused_total_ms=0, left_at=now if seg.skip else None, **fields)
            session.add(row)
            changes.append(f"segment added: {seg.title}")
        else:
            if row.position != pos:
                changes.append(f"segment {seg.title!r}: moved to place {pos + 1}")
            row.position = pos
            _set(row, changes, f"segment {seg.title!r}", **fields)
            skipped = row.left_at is not None and row.started_at is None
            if seg.skip != skipped and row.started_at is None and row.id != on_air:
                row.left_at = now if seg.skip else None
                changes.append(f"segment {seg.title!r}: {'skipped' if seg.skip else 'no longer skipped'}")
    session.flush()


def _polls(session, event, spec, changes) -> None:
    stored = {p.key: p for p in event.polls}
    ballots = dict(session.execute(select(Ballot.poll_id, func.count()).join(Poll, Poll.id == Ballot.poll_id)
                                   .where(Poll.event_id == event.id).group_by(Ballot.poll_id)).all())
    for pos, p in enumerate(spec.polls):
        row = stored.pop(p.key, None)
        if row is not None and (ballots.get(row.id) or row.status != "draft"):
            row.position = pos
            same = (row.kind, row.title, [o.label for o in row.options]) == (p.kind, p.title, list(p.options))
            if not same:
                changes.append(f"poll {p.key}: has been opened or has ballots, kept as stored")
            continue
        noted = changes
        if row is None:
            row = Poll(event_id=event.id, key=p.key, kind=p.kind, title=p.title, position=pos)
            session.add(row)
            session.flush()
            changes.append(f"poll added: {p.key}")
            noted = []  # a new poll's settings are not changes
        row.position = pos
        _set(row, noted, f"poll {p.key}", kind=p.kind, title=p.title, scale_max=p.scale_max,
             max_choices=p.max_choices, live_results=p.live_results, duration_s=p.auto_close_seconds)
        if [o.label for o in row.options] != list(p.options):
            if row.options:
                noted.append(f"poll {p.key}: options changed")
            session.execute(delete(PollOption).where(PollOption.poll_id == row.id))
            session.expire(row, ["options"])
            session.add_all(PollOption(poll_id=row.id, position=i, label=label) for i, label in enumerate(p.options))
    for gone in stored.values():
        if ballots.get(gone.id) or gone.status != "draft":
            changes.append(f"poll {gone.key}: not in the file, kept (it has been opened or has ballots)")
            continue
        changes.append(f"poll removed: {gone.key}")
        if event.scene_poll_id == gone.id:
            event.scene_poll_id = None
        session.flush()
        session.execute(delete(PollOption).where(PollOption.poll_id == gone.id))
        session.delete(gone)
    session.flush()
