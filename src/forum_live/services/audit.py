"""The moderators' audit trail and the event's state version (co-moderation).

Every change a moderator makes (from a console or the control API) is stored as a
ModeratorAction: who, what, when. The number of the latest one is the event's *state version*.
A console sends the version its screen showed with each action; if a colleague changed the show
since, the action is refused instead of silently overwriting the colleague's change (optimistic
concurrency, as HTTP's If-Match / ETag; RFC 9110 section 13.1.1).
"""
import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.clock import ms_between, to_ms
from ..domain.errors import ForumError
from ..persistence.models import Event, KeyQuestion, ModeratorAction, Panelist, Poll, Prompt, Question, Segment

#: How many entries the console's audit view carries (the whole trail stays in the database).
VIEW_LIMIT = 50
#: Audited actions that note the show rather than change it: a colleague's (or the rapporteur's)
#: takeaway never makes a console's command stale.
NOT_SHOW_CHANGES = ("takeaway:add", "takeaway:edit", "takeaway:delete")

SCENE_NAMES = {"timer": "timer", "prompt": "key question", "question": "audience question",
               "poll": "poll", "join": "join (QR code)", "holding": "holding slide", "blackout": "blackout"}


def state_version(session: Session, event: Event) -> int:
    """The event's state version: the number of moderator changes so far (0 before any)."""
    return session.scalar(select(func.coalesce(func.max(ModeratorAction.seq), 0))
                          .where(ModeratorAction.event_id == event.id))


def check_version(session: Session, event: Event, seen: int, actor_key: str, now: datetime) -> None:
    """Refuse an action made on state version ``seen`` if another actor changed the show since.

    The actor's own later changes do not count (a console's quick second press is not a
    conflict with itself), nor do takeaways (NOT_SHOW_CHANGES). Raises ForumError(stale_state)
    naming the colleague's latest change.
    """
    current = state_version(session, event)
    if seen > current:
        raise ForumError("stale_state", "Your console is out of step with the server (it reloaded its data?); "
                                        "nothing was done. Check what the console shows now and try again.")
    if seen == current:
        return
    theirs = session.scalars(
        select(ModeratorAction).where(ModeratorAction.event_id == event.id, ModeratorAction.seq > seen,
                                      ModeratorAction.actor_key != actor_key,
                                      ModeratorAction.name.not_in(NOT_SHOW_CHANGES))
        .order_by(ModeratorAction.seq.desc()).limit(1)).first()
    if theirs is None:
        return
    ago = max(0, ms_between(theirs.at, now)) // 1000
    raise ForumError("stale_state", f"{theirs.actor} changed the show just before you ({theirs.summary}, "
                                    f"{ago} s ago); your action was not done. Check the console and try again.")


def record_action(session: Session, event: Event, *, actor: str, actor_key: str, source: str, name: str,
                  payload: dict, now: datetime) -> ModeratorAction:
    """Store one moderator change (call after the change itself, in the same transaction).

    ``actor`` is the label people see (``Console 2``, ``Rapporteur``), ``actor_key`` the stable
    id of that console or API client, ``source`` ``console``, ``api`` or ``rapporteur``, ``name``
    the action's event name
    (``timer:next``) and ``payload`` its validated fields. Returns the entry; its ``seq`` is the
    new state version.
    """
    entry = ModeratorAction(event_id=event.id, seq=state_version(session, event) + 1, actor=actor[:60],
                            actor_key=actor_key[:80], source=source, name=name[:60], payload=payload,
                            summary=describe(session, event, name, payload)[:400], at=now)
    session.add(entry)
    session.flush()
    return entry


def audit_view(session: Session, event: Event, limit: int = VIEW_LIMIT) -> dict:
    """The ``audit`` part (moderators only): ``{"version": int, "entries": [...]}``, newest
    first, each ``{"seq", "actor", "source", "name", "summary", "at_ms"}``."""
    rows = session.scalars(select(ModeratorAction).where(ModeratorAction.event_id == event.id)
                           .order_by(ModeratorAction.seq.desc()).limit(limit)).all()
    return {
        "version": rows[0].seq if rows else 0,
        "entries": [{"seq": r.seq, "actor": r.actor, "source": r.source, "name": r.name,
                     "summary": r.summary, "at_ms": to_ms(r.at)} for r in rows],
    }


# ---- what: one sentence per action ------------------------------------------------------------

def _clip(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _on_air(event: Event) -> str:
    seg = next((s for s in event.segments if s.id == event.current_segment_id), None)
    return f"“{_clip(seg.title, 50)}”" if seg else "the show"


def _minutes(ms: int) -> str:
    sign = "+" if ms > 0 else "−"
    secs = abs(ms) // 1000
    return f"{sign}{secs // 60}:{secs % 60:02d}"


def _segment(session, event, payload):
    seg = session.get(Segment, payload.get("segment_id"))
    return f"Went to “{_clip(seg.title, 50)}”" if seg else "Went to a segment"


def _question(session, payload, verb):
    q = session.get(Question, payload.get("question_id")) if payload.get("question_id") else None
    return f"{verb} question “{_clip(q.text)}”" if q else f"{verb} a question"


def _poll(session, payload, verb):
    p = session.get(Poll, payload.get("poll_id"))
    return f"{verb} poll “{_clip(p.title, 50)}”" if p else f"{verb} a poll"


def _prompt(session, event, payload):
    prompt = session.get(Prompt, payload.get("prompt_id"))
    for kq in event.key_questions:
        for i, p in enumerate(kq.prompts):
            if prompt is not None and p.id == prompt.id:
                return f"Projector: key question {kq.position + 1}, prompt {i + 1}"
    return "Projector: a key-question prompt"


_DESCRIBE = {
    "timer:start": lambda s, e, p: f"Started {_on_air(e)}",
    "timer:pause": lambda s, e, p: f"Paused {_on_air(e)}",
    "timer:next": lambda s, e, p: (("Ended the show, questions kept open for follow-up" if p.get("keep_questions_open")
                                    else "Ended the show") if e.ended_at else f"Next: {_on_air(e)} on air"),
    "questions:follow-up": lambda s, e, p: ("Kept questions open for follow-up" if p.get("open")
                                            else "Closed questions (the show has ended)"),
    "timer:previous": lambda s, e, p: f"Back to {_on_air(e)}",
    "timer:goto": _segment,
    "timer:adjust": lambda s, e, p: f"{_minutes(p.get('delta_ms', 0))} on {_on_air(e)}",
    "question:moderate": lambda s, e, p: _question(
        s, p, {"approve": "Approved", "reject": "Rejected", "answer": "Marked answered",
               "archive": "Set aside"}.get(p.get("action"), "Moderated")),
    # Issue 13: every audited action reads as a sentence (none falls back to name and payload).
    "question:edit": lambda s, e, p: _question(s, p, "Corrected the text of"),
    "question:merge": lambda s, e, p: " into ".join((
        _question(s, p, "Merged"), _question(s, {"question_id": p.get("into_id")}, "").lstrip())),
    "question:queue": lambda s, e, p: (f"{_question(s, p, 'Took')} out of up next" if p.get("position") is None
                                       else f"{_question(s, p, 'Put')} up next (place {p['position'] + 1})"),
    "question:next": lambda s, e, p: _question(s, {"question_id": e.highlighted_question_id}, "Spotlight on the next"),
    "questions:settings": lambda s, e, p: "; ".join(
        ([("Pre-moderation on: questions wait for approval" if p["premoderation"]
           else "Pre-moderation off: questions appear at once")] if p.get("premoderation") is not None else [])
        + ([f"time per question {_minutes(p['ms_per_question'])[1:]}"] if p.get("ms_per_question") is not None else [])
    ) or "Question settings unchanged",
    "question:highlight": lambda s, e, p: (_question(s, p, "Spotlight on") if p.get("question_id")
                                           else "Cleared the question spotlight"),
    "poll:open": lambda s, e, p: _poll(s, p, "Opened"),
    "poll:close": lambda s, e, p: _poll(s, p, "Closed"),
    "poll:reveal": lambda s, e, p: _poll(s, p, "Revealed results of" if p.get("revealed", True) else "Hid results of"),
    "poll:show": lambda s, e, p: _poll(s, p, "Projector:"),
    "poll:create": lambda s, e, p: f"Drafted a poll “{_clip(p['title'], 50)}”",
    "poll:update": lambda s, e, p: _poll(s, p, "Edited"),
    "poll:delete": lambda s, e, p: "Deleted a draft poll",
    "poll:reset": lambda s, e, p: _poll(s, p, "Deleted every ballot of"),
    "poll:answer": lambda s, e, p: f"{'Approved' if p.get('action') == 'approve' else 'Rejected'} an open-text answer",
    "prompt:show": _prompt,
    "scene:set": lambda s, e, p: f"Projector: {SCENE_NAMES.get(p.get('scene'), p.get('scene'))}",
    # Timekeeping (issue 3).
    "segment:skip": lambda s, e, p: f"{'Skipped' if p.get('skipped') else 'Brought back'} {_segment_title(s, p)}",
    "segment:auto": lambda s, e, p: f"Auto-advance {'on' if p.get('on') else 'off'} for {_segment_title(s, p)}",
    "plan:apply": lambda s, e, p: f"Rebalanced the overrun: {_STRATEGY.get(p.get('strategy'), p.get('strategy'))}",
    "plan:undo": lambda s, e, p: "Undid the last rebalancing",
    "run:reset": lambda s, e, p: "Reset the run of show (stored times forgotten)",
    "speaker:set": lambda s, e, p: f"Now speaking: {_panelist(s, p)}",
    "prompt:next": lambda s, e, p: "Next key-question prompt",
    "prompt:previous": lambda s, e, p: "Previous key-question prompt",
    "stage:message": lambda s, e, p: f"Stage message “{_clip(p.get('text') or p.get('preset') or '')}”",
    "stage:clear": lambda s, e, p: "Cleared the stage message",
    "stage:flash": lambda s, e, p: "Flashed the stage view",
    "stage:blackout": lambda s, e, p: "Blacked out the stage view" if p.get("on") else "Brought the stage view back",
    # Issue 14: the audience summary.
    "summary:publish": lambda s, e, p: ("Published the audience summary" if p.get("published")
                                        else "Withdrew the audience summary"),
    # Takeaways (issue 14): the payload holds the takeaway's text and author (services and
    # sockets/takeaways.py), so a deleted one is still described.
    "takeaway:add": lambda s, e, p: f"Noted a takeaway “{_clip(p['text'])}”",
    "takeaway:edit": lambda s, e, p: _takeaway_edit(s, p),
    "takeaway:delete": lambda s, e, p: f"Deleted the takeaway by {p['author']} “{_clip(p['text'])}”",
}

_STRATEGY = {"spread": "spread over the segments to come", "qa": "taken from the Q&A", "keep": "plan kept"}


def _takeaway_edit(session, payload) -> str:
    """"Edited the takeaway by Rapporteur “…”: text (was “…”), Mr Yutong Liu, for the summary".
    ``payload``: ``{"takeaway_id", "author", "text" (now), "changes", "previous"}``."""
    changes, previous, said = payload["changes"], payload["previous"], []
    if "text" in previous:
        said.append(f"text (was “{_clip(previous['text'])}”)")
    if "segment_id" in previous:
        said.append(_segment_title(session, changes) if changes.get("segment_id") else "no segment")
    if "panelist_id" in previous:
        said.append(_panelist(session, changes))
    if "key_question_id" in previous:
        kq = session.get(KeyQuestion, changes["key_question_id"]) if changes.get("key_question_id") else None
        said.append(f"key question {kq.position + 1}" if kq else "no key question")
    if "for_summary" in previous:
        said.append("for the summary" if changes.get("for_summary") else "not for the summary")
    return f"Edited the takeaway by {payload['author']} “{_clip(payload['text'])}”: {', '.join(said) or 'no change'}"


def _segment_title(session, payload):
    seg = session.get(Segment, payload.get("segment_id"))
    return f"“{_clip(seg.title, 50)}”" if seg else "a segment"


def _panelist(session, payload):
    p = session.get(Panelist, payload.get("panelist_id")) if payload.get("panelist_id") else None
    return p.name if p else "no panelist"


def describe(session: Session, event: Event, name: str, payload: dict) -> str:
    """A short sentence for people saying what action ``name`` with ``payload`` did (read after
    the change). Actions without a sentence of their own are shown as name and payload."""
    fn = _DESCRIBE.get(name)
    if fn is not None:
        try:
            return fn(session, event, payload)
        except (TypeError, ValueError, AttributeError, KeyError):
            pass
    return f"{name} {json.dumps(payload, ensure_ascii=False, sort_keys=True)}" if payload else name
