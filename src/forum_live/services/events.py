"""Loading an event file into the database, and finding events."""
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from ..domain.clock import utcnow
from ..domain.errors import ForumError
from ..eventfile import EventSpec
from ..persistence.models import Event, KeyQuestion, Panelist, Poll, PollOption, Prompt, Segment


def load_event(session: Session, spec: EventSpec) -> tuple[Event, bool]:
    """Store the event of ``spec`` unless an event with its code exists.

    Returns ``(event, created)``. An existing event is returned untouched, so restarting the
    server on the same database keeps the show's state instead of duplicating the event.
    """
    existing = session.scalar(select(Event).where(Event.code == spec.event.code))
    if existing is not None:
        return existing, False
    info = spec.event
    event = Event(
        code=info.code, title=info.title, subtitle=info.subtitle, venue=info.venue, room=info.room,
        timezone=info.timezone, scheduled_start_at=spec.start_at, booked_end_at=spec.booked_end_at,
        moderator_name=spec.moderator.name, moderator_title=spec.moderator.title,
        organisers=list(info.organisers), themes=list(info.themes), loaded_at=utcnow(),
        screen_language=info.screen_language,
    )
    session.add(event)
    session.flush()
    panelists = {}
    for pos, p in enumerate(spec.panelists):
        panelists[p.key] = Panelist(event_id=event.id, position=pos, key=p.key, name=p.name, role=p.role,
                                    organisation=p.organisation, talk_title=p.talk_title)
    key_questions = {}
    for pos, kq in enumerate(spec.key_questions):
        key_questions[kq.key] = KeyQuestion(event_id=event.id, position=pos, key=kq.key, text=kq.text)
    session.add_all([*panelists.values(), *key_questions.values()])
    session.flush()
    for kq in spec.key_questions:
        prompts = kq.prompts or [kq.text]
        session.add_all(Prompt(key_question_id=key_questions[kq.key].id, position=i, text=t)
                        for i, t in enumerate(prompts))
    for pos, seg in enumerate(spec.segments):
        session.add(Segment(
            event_id=event.id, position=pos, kind=seg.kind, title=seg.title,
            panelist_id=panelists[seg.panelist].id if seg.panelist else None,
            key_question_id=key_questions[seg.key_question].id if seg.key_question else None,
            planned_ms=round(seg.minutes * 60_000), wrap_up_ms=seg.wrap_up_seconds * 1000,
            auto_advance=seg.auto_advance, prompt_index=0, notes=seg.notes,
            # A skipped segment is one left without ever running (domain.timer.SlotClock.skipped).
            left_at=event.loaded_at if seg.skip else None,
        ))
    for pos, p in enumerate(spec.polls):
        poll = Poll(event_id=event.id, position=pos, key=p.key, kind=p.kind, title=p.title,
                    scale_max=p.scale_max, max_choices=p.max_choices, live_results=p.live_results,
                    duration_s=p.auto_close_seconds)
        session.add(poll)
        session.flush()
        session.add_all(PollOption(poll_id=poll.id, position=i, label=label)
                        for i, label in enumerate(p.options))
    session.flush()
    return event, True


#: An event by its code (built once: building the expression was a third of the look-up).
_BY_CODE = select(Event).where(Event.code == bindparam("code"))


#: The columns of the event a phone's connect reads (``event_row``): the copy's version
#: (services/public_state.py), the run's timing, the scene and the summary's publication.
ROW_COLUMNS = (Event.id, Event.code, Event.public_version, Event.loaded_at, Event.current_segment_id,
               Event.scheduled_start_at, Event.booked_end_at, Event.ended_at, Event.questions_open_after_end,
               Event.scene, Event.scene_prompt_id, Event.highlighted_question_id, Event.scene_poll_id,
               Event.summary_published_at)
_ROW_BY_CODE = select(*ROW_COLUMNS).where(Event.code == bindparam("code"))


def get_event(session: Session, code: str) -> Event:
    """Return the event with ``code`` (case-insensitive); raises ForumError(unknown_event)."""
    event = session.scalar(_BY_CODE, {"code": _stored_code(code)})
    if event is None:
        raise ForumError("unknown_event", f"There is no event with the code {code[:20]!r}.")
    return event


def event_row(connection: Connection, code: str) -> Row:
    """``get_event`` read on a Core ``connection`` as one row of the event's ``ROW_COLUMNS``, by
    the ORM attributes' names (read-only; no relationships, nothing loaded later): for the
    phone's connect (issue 16: the ORM load of the event's thirty columns was a fifth of a
    phone's connect). Raises ForumError(unknown_event) as get_event does."""
    row = connection.execute(_ROW_BY_CODE, {"code": _stored_code(code)}).first()
    if row is None:
        raise ForumError("unknown_event", f"There is no event with the code {code[:20]!r}.")
    return row


def _stored_code(code: object) -> str:
    if not isinstance(code, str) or not code:
        raise ForumError("unknown_event", "No event code given.")
    return code.strip().upper()
