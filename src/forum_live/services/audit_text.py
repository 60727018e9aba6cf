"""The audit trail's sentences: what an action did, for people ("Next: “a2i Innovation Network” on air").

Each function is ``sentence(session, event, payload) -> str``, read after the change with the
action's audited payload. Which action uses which sentence is declared on the action's entry
in protocol/registry.py (so renaming an event keeps its sentence); services.audit.describe
falls back to name and payload when a sentence fails on an odd payload.
"""
from sqlalchemy.orm import Session

from ..persistence.models import Event, KeyQuestion, Panelist, Poll, Prompt, Question, Segment

SCENE_NAMES = {"timer": "timer", "prompt": "key question", "question": "audience question",
               "poll": "poll", "join": "join (QR code)", "holding": "holding slide", "blackout": "blackout"}
_STRATEGY = {"spread": "spread over the segments to come", "qa": "taken from the Q&A", "keep": "plan kept"}
_MODERATION = {"approve": "Approved", "reject": "Rejected", "answer": "Marked answered", "archive": "Set aside"}


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


def _question(session, payload, verb):
    q = session.get(Question, payload.get("question_id")) if payload.get("question_id") else None
    return f"{verb} question “{_clip(q.text)}”" if q else f"{verb} a question"


def _poll(session, payload, verb):
    p = session.get(Poll, payload.get("poll_id"))
    return f"{verb} poll “{_clip(p.title, 50)}”" if p else f"{verb} a poll"


def _segment_title(session, payload):
    seg = session.get(Segment, payload.get("segment_id"))
    return f"“{_clip(seg.title, 50)}”" if seg else "a segment"


def _panelist(session, payload):
    p = session.get(Panelist, payload.get("panelist_id")) if payload.get("panelist_id") else None
    return p.name if p else "no panelist"


# ---- the run of show ----------------------------------------------------------------------------

def started(session: Session, event: Event, payload: dict) -> str:
    """"Started “…”" (the segment now on air, or the show)."""
    return f"Started {_on_air(event)}"


def paused(session: Session, event: Event, payload: dict) -> str:
    """"Paused “…”"."""
    return f"Paused {_on_air(event)}"


def stepped_next(session: Session, event: Event, payload: dict) -> str:
    """"Next: “…” on air", or the end of the show (questions kept open or not)."""
    if event.ended_at:
        return ("Ended the show, questions kept open for follow-up" if payload.get("keep_questions_open")
                else "Ended the show")
    return f"Next: {_on_air(event)} on air"


def stepped_back(session: Session, event: Event, payload: dict) -> str:
    """"Back to “…”"."""
    return f"Back to {_on_air(event)}"


def went_to(session: Session, event: Event, payload: dict) -> str:
    """"Went to “…”" (``payload.segment_id``)."""
    seg = session.get(Segment, payload.get("segment_id"))
    return f"Went to “{_clip(seg.title, 50)}”" if seg else "Went to a segment"


def adjusted(session: Session, event: Event, payload: dict) -> str:
    """"+1:00 on “…”" (``payload.delta_ms``)."""
    return f"{_minutes(payload.get('delta_ms', 0))} on {_on_air(event)}"


def skipped(session: Session, event: Event, payload: dict) -> str:
    """"Skipped “…”" or "Brought back “…”"."""
    return f"{'Skipped' if payload.get('skipped') else 'Brought back'} {_segment_title(session, payload)}"


def auto_advance(session: Session, event: Event, payload: dict) -> str:
    """"Auto-advance on for “…”"."""
    return f"Auto-advance {'on' if payload.get('on') else 'off'} for {_segment_title(session, payload)}"


def rebalanced(session: Session, event: Event, payload: dict) -> str:
    """"Rebalanced the overrun: spread over the segments to come" (``payload.strategy``)."""
    return f"Rebalanced the overrun: {_STRATEGY.get(payload.get('strategy'), payload.get('strategy'))}"


def rebalance_undone(session: Session, event: Event, payload: dict) -> str:
    """"Undid the last rebalancing"."""
    return "Undid the last rebalancing"


def run_reset(session: Session, event: Event, payload: dict) -> str:
    """"Reset the run of show (stored times forgotten)"."""
    return "Reset the run of show (stored times forgotten)"


def run_imported(session: Session, event: Event, payload: dict) -> str:
    """"Imported the run of show: N segments (new panelists: …)"."""
    names = payload.get("new_panelists") or []
    added = f" (new panelists: {', '.join(names)})" if names else ""
    return f"Imported the run of show: {payload.get('segments', 0)} segments{added}"


def now_speaking(session: Session, event: Event, payload: dict) -> str:
    """"Now speaking: <panelist>" (or "no panelist")."""
    return f"Now speaking: {_panelist(session, payload)}"


# ---- prompts, the projector and the stage view --------------------------------------------------

def prompt_next(session: Session, event: Event, payload: dict) -> str:
    """"Next key-question prompt"."""
    return "Next key-question prompt"


def prompt_previous(session: Session, event: Event, payload: dict) -> str:
    """"Previous key-question prompt"."""
    return "Previous key-question prompt"


def prompt_shown(session: Session, event: Event, payload: dict) -> str:
    """"Projector: key question 1, prompt 2" (``payload.prompt_id``)."""
    prompt = session.get(Prompt, payload.get("prompt_id"))
    for kq in event.key_questions:
        for i, p in enumerate(kq.prompts):
            if prompt is not None and p.id == prompt.id:
                return f"Projector: key question {kq.position + 1}, prompt {i + 1}"
    return "Projector: a key-question prompt"


def scene_set(session: Session, event: Event, payload: dict) -> str:
    """"Projector: join (QR code)" (``payload.scene``)."""
    return f"Projector: {SCENE_NAMES.get(payload.get('scene'), payload.get('scene'))}"


def stage_message(session: Session, event: Event, payload: dict) -> str:
    """"Stage message “…”" (the text or the preset's key)."""
    return f"Stage message “{_clip(payload.get('text') or payload.get('preset') or '')}”"


def stage_cleared(session: Session, event: Event, payload: dict) -> str:
    """"Cleared the stage message"."""
    return "Cleared the stage message"


def stage_flashed(session: Session, event: Event, payload: dict) -> str:
    """"Flashed the stage view"."""
    return "Flashed the stage view"


def stage_blackout(session: Session, event: Event, payload: dict) -> str:
    """"Blacked out the stage view" or "Brought the stage view back"."""
    return "Blacked out the stage view" if payload.get("on") else "Brought the stage view back"


# ---- questions and polls ------------------------------------------------------------------------

def question_moderated(session: Session, event: Event, payload: dict) -> str:
    """"Approved question “…”" (rejected, marked answered; other actions: "Moderated")."""
    return _question(session, payload, _MODERATION.get(payload.get("action"), "Moderated"))


def question_edited(session: Session, event: Event, payload: dict) -> str:
    """"Corrected the text of question “…”" (the text after the correction)."""
    return _question(session, payload, "Corrected the text of")


def question_merged(session: Session, event: Event, payload: dict) -> str:
    """"Merged question “…” into question “…”" (``question_id`` into ``into_id``)."""
    into = _question(session, {"question_id": payload.get("into_id")}, "").lstrip()
    return f"{_question(session, payload, 'Merged')} into {into}"


def question_queued(session: Session, event: Event, payload: dict) -> str:
    """"Put question “…” up next (place 2)", or "Took question “…” out of up next" (``position``
    0-based, None: out of the queue)."""
    if payload.get("position") is None:
        return f"{_question(session, payload, 'Took')} out of up next"
    return f"{_question(session, payload, 'Put')} up next (place {payload['position'] + 1})"


def question_next(session: Session, event: Event, payload: dict) -> str:
    """"Spotlight on the next question “…”" (the one the up-next queue put on the projector)."""
    return _question(session, {"question_id": event.highlighted_question_id}, "Spotlight on the next")


def questions_settings(session: Session, event: Event, payload: dict) -> str:
    """"Pre-moderation on: questions wait for approval; time per question 1:30" (what was sent)."""
    said = []
    if payload.get("premoderation") is not None:
        said.append("Pre-moderation on: questions wait for approval" if payload["premoderation"]
                    else "Pre-moderation off: questions appear at once")
    if payload.get("ms_per_question") is not None:
        said.append(f"time per question {_minutes(payload['ms_per_question'])[1:]}")
    return "; ".join(said) or "Question settings unchanged"


def question_highlighted(session: Session, event: Event, payload: dict) -> str:
    """"Spotlight on question “…”", or "Cleared the question spotlight"."""
    if payload.get("question_id"):
        return _question(session, payload, "Spotlight on")
    return "Cleared the question spotlight"


def questions_follow_up(session: Session, event: Event, payload: dict) -> str:
    """"Kept questions open for follow-up" or "Closed questions (the show has ended)"."""
    return "Kept questions open for follow-up" if payload.get("open") else "Closed questions (the show has ended)"


def poll_created(session: Session, event: Event, payload: dict) -> str:
    """"Drafted a poll “…”"."""
    return f"Drafted a poll “{_clip(payload.get('title', ''), 50)}”"


def poll_updated(session: Session, event: Event, payload: dict) -> str:
    """"Edited poll “…”"."""
    return _poll(session, payload, "Edited")


def poll_deleted(session: Session, event: Event, payload: dict) -> str:
    """"Deleted a draft poll" (it is gone: read after the change)."""
    return "Deleted a draft poll"


def poll_reset(session: Session, event: Event, payload: dict) -> str:
    """"Deleted every ballot of poll “…”"."""
    return _poll(session, payload, "Deleted every ballot of")


def poll_answer_moderated(session: Session, event: Event, payload: dict) -> str:
    """"Approved an open-text answer" or "Rejected an open-text answer"."""
    return f"{'Approved' if payload.get('action') == 'approve' else 'Rejected'} an open-text answer"


def poll_opened(session: Session, event: Event, payload: dict) -> str:
    """"Opened poll “…”"."""
    return _poll(session, payload, "Opened")


def poll_closed(session: Session, event: Event, payload: dict) -> str:
    """"Closed poll “…”"."""
    return _poll(session, payload, "Closed")


def poll_revealed(session: Session, event: Event, payload: dict) -> str:
    """"Revealed results of poll “…”" or "Hid results of poll “…”"."""
    return _poll(session, payload, "Revealed results of" if payload.get("revealed", True) else "Hid results of")


def poll_shown(session: Session, event: Event, payload: dict) -> str:
    """"Projector: poll “…”"."""
    return _poll(session, payload, "Projector:")


# ---- the summary and takeaways ------------------------------------------------------------------

def summary_published(session: Session, event: Event, payload: dict) -> str:
    """"Published the audience summary" or "Withdrew the audience summary"."""
    return "Published the audience summary" if payload.get("published") else "Withdrew the audience summary"


def takeaway_added(session: Session, event: Event, payload: dict) -> str:
    """"Noted a takeaway “…”" (the payload holds the takeaway's text: protocol/actions/takeaways.py)."""
    return f"Noted a takeaway “{_clip(payload['text'])}”"


def takeaway_edited(session: Session, event: Event, payload: dict) -> str:
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


def takeaway_deleted(session: Session, event: Event, payload: dict) -> str:
    """"Deleted the takeaway by <author> “…”" (the payload keeps what it was)."""
    return f"Deleted the takeaway by {payload['author']} “{_clip(payload['text'])}”"


# ---- the event editor ---------------------------------------------------------------------------

_FIELD_NAMES = {"panelist_id": "speaker", "key_question_id": "key question", "minutes": "length",
                "booked_end": "booked end", "moderator_name": "moderator", "moderator_title": "moderator's title",
                "talk_title": "talk title", "auto_advance": "auto-advance", "prompts": "sub-questions"}


def _fields(payload: dict) -> str:
    names = [_FIELD_NAMES.get(n, n.replace("_", " ")) for n in payload.get("changed") or []]
    return f" ({', '.join(dict.fromkeys(names))})" if names else " (no change)"


def _panelist_name(session, payload) -> str:
    p = session.get(Panelist, payload.get("panelist_id")) if payload.get("panelist_id") else None
    return p.name if p else payload.get("name") or "a panelist"


def _kq(session, payload) -> str:
    kq = session.get(KeyQuestion, payload.get("key_question_id")) if payload.get("key_question_id") else None
    return f"key question {kq.position + 1} “{_clip(kq.text, 50)}”" if kq else "a key question"


def event_edited(session: Session, event: Event, payload: dict) -> str:
    """"Edited the event (title, venue)"."""
    return f"Edited the event{_fields(payload)}"


def panelist_added(session: Session, event: Event, payload: dict) -> str:
    """"Added panelist Ana Guest"."""
    return f"Added panelist {payload.get('name') or _panelist_name(session, payload)}"


def panelist_updated(session: Session, event: Event, payload: dict) -> str:
    """"Edited panelist Ana Guest (name, role)"."""
    return f"Edited panelist {_panelist_name(session, payload)}{_fields(payload)}"


def panelist_removed(session: Session, event: Event, payload: dict) -> str:
    """"Removed panelist Ana Guest" (the payload keeps the name)."""
    return f"Removed panelist {payload.get('name') or 'a panelist'}"


def panelist_moved(session: Session, event: Event, payload: dict) -> str:
    """"Moved panelist Ana Guest to place 2"."""
    p = session.get(Panelist, payload.get("panelist_id"))
    return f"Moved panelist {p.name} to place {p.position + 1}" if p else "Moved a panelist"


def segment_added(session: Session, event: Event, payload: dict) -> str:
    """"Added segment “…” to the run of show"."""
    return f"Added segment “{_clip(payload.get('title', ''), 50)}” to the run of show"


def segment_updated(session: Session, event: Event, payload: dict) -> str:
    """"Edited segment “…” (title, length)", with "+2:00 on air" when its length acted as +/- time."""
    said = f"Edited segment {_segment_title(session, payload)}{_fields(payload)}"
    return f"{said}, {_minutes(payload['adjust_ms'])} on air" if payload.get("adjust_ms") else said


def segment_removed(session: Session, event: Event, payload: dict) -> str:
    """"Removed segment “…” from the run of show" (the payload keeps the title)."""
    return f"Removed segment “{_clip(payload.get('title', ''), 50)}” from the run of show"


def segment_moved(session: Session, event: Event, payload: dict) -> str:
    """"Moved segment “…” to place 4"."""
    seg = session.get(Segment, payload.get("segment_id"))
    return f"Moved segment “{_clip(seg.title, 50)}” to place {seg.position + 1}" if seg else "Moved a segment"


def key_question_added(session: Session, event: Event, payload: dict) -> str:
    """"Added key question 3 “…”"."""
    return f"Added {_kq(session, payload)}"


def key_question_updated(session: Session, event: Event, payload: dict) -> str:
    """"Edited key question 2 “…” (text, sub-questions)"."""
    return f"Edited {_kq(session, payload)}{_fields(payload)}"


def key_question_removed(session: Session, event: Event, payload: dict) -> str:
    """"Removed key question “…”" (the payload keeps the text)."""
    return f"Removed key question “{_clip(payload.get('text', ''), 50)}”"
