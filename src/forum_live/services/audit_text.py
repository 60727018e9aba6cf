"""The audit trail's sentences: what an action did, for people ("Next: “a2i Innovation Network” on air").

Each function is ``sentence(session, event, payload) -> dict``, read after the change with the
action's audited payload; it returns the sentence as data (services.said: an English msgid
marked for the catalogs, and the values that fill it), so each console shows it in its own
language while the stored English summary stays what it was. Which action uses which sentence is
declared on the action's entry in protocol/registry.py (so renaming an event keeps its sentence);
services.audit.describe falls back to name and payload when a sentence fails on an odd payload.
The event's content (titles, names, question texts) goes in as it is, never translated.
"""
from sqlalchemy.orm import Session

from ..i18n import N_
from ..persistence.models import Event, KeyQuestion, Panelist, Poll, Prompt, Question, Segment
from .said import said, said_n

SCENE_NAMES = {"timer": said(N_("timer")), "prompt": said(N_("key question")),
               "question": said(N_("audience question")), "poll": said(N_("poll")),
               "join": said(N_("join (QR code)")), "holding": said(N_("holding slide")),
               "blackout": said(N_("blackout"))}
_STRATEGY = {"spread": said(N_("spread over the segments to come")), "qa": said(N_("taken from the Q&A")),
             "keep": said(N_("plan kept"))}
#: A moderation action's sentence: (with the question's text, without it).
_MODERATION = {"approve": (N_("Approved question “{question}”"), N_("Approved a question")),
               "reject": (N_("Rejected question “{question}”"), N_("Rejected a question")),
               "answer": (N_("Marked answered question “{question}”"), N_("Marked answered a question")),
               "archive": (N_("Set aside question “{question}”"), N_("Set aside a question"))}
_MODERATED = (N_("Moderated question “{question}”"), N_("Moderated a question"))


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _quoted(title: str, n: int = 50) -> dict:
    return said(N_("“{title}”"), title=_clip(title, n))


def _on_air(event: Event) -> dict:
    seg = next((s for s in event.segments if s.id == event.current_segment_id), None)
    return _quoted(seg.title) if seg else said(N_("the show"))


def _minutes(ms: int) -> str:
    sign = "+" if ms > 0 else "−"
    secs = abs(ms) // 1000
    return f"{sign}{secs // 60}:{secs % 60:02d}"


def _question(session, payload, messages) -> dict:
    """``messages[0]`` with the question's text, or ``messages[1]`` when it is not found."""
    q = session.get(Question, payload.get("question_id")) if payload.get("question_id") else None
    return said(messages[0], question=_clip(q.text)) if q else said(messages[1])


def _poll(session, payload, messages) -> dict:
    p = session.get(Poll, payload.get("poll_id"))
    return said(messages[0], title=_clip(p.title, 50)) if p else said(messages[1])


def _segment_title(session, payload) -> dict:
    seg = session.get(Segment, payload.get("segment_id"))
    return _quoted(seg.title) if seg else said(N_("a segment"))


def _panelist(session, payload):
    p = session.get(Panelist, payload.get("panelist_id")) if payload.get("panelist_id") else None
    return p.name if p else said(N_("no panelist"))


# ---- the run of show ----------------------------------------------------------------------------

def started(session: Session, event: Event, payload: dict) -> dict:
    """"Started “…”" (the segment now on air, or the show)."""
    return said(N_("Started {segment}"), segment=_on_air(event))


def paused(session: Session, event: Event, payload: dict) -> dict:
    """"Paused “…”"."""
    return said(N_("Paused {segment}"), segment=_on_air(event))


def stepped_next(session: Session, event: Event, payload: dict) -> dict:
    """"Next: “…” on air", or the end of the show (questions kept open or not)."""
    if event.ended_at:
        return (said(N_("Ended the show, questions kept open for follow-up")) if payload.get("keep_questions_open")
                else said(N_("Ended the show")))
    return said(N_("Next: {segment} on air"), segment=_on_air(event))


def stepped_back(session: Session, event: Event, payload: dict) -> dict:
    """"Back to “…”"."""
    return said(N_("Back to {segment}"), segment=_on_air(event))


def went_to(session: Session, event: Event, payload: dict) -> dict:
    """"Went to “…”" (``payload.segment_id``)."""
    return said(N_("Went to {segment}"), segment=_segment_title(session, payload))


def adjusted(session: Session, event: Event, payload: dict) -> dict:
    """"+1:00 on “…”" (``payload.delta_ms``)."""
    return said(N_("{delta} on {segment}"), delta=_minutes(payload.get("delta_ms", 0)), segment=_on_air(event))


def skipped(session: Session, event: Event, payload: dict) -> dict:
    """"Skipped “…”" or "Brought back “…”"."""
    return said(N_("Skipped {segment}") if payload.get("skipped") else N_("Brought back {segment}"),
                segment=_segment_title(session, payload))


def auto_advance(session: Session, event: Event, payload: dict) -> dict:
    """"Auto-advance on for “…”"."""
    return said(N_("Auto-advance on for {segment}") if payload.get("on") else N_("Auto-advance off for {segment}"),
                segment=_segment_title(session, payload))


def rebalanced(session: Session, event: Event, payload: dict) -> dict:
    """"Rebalanced the overrun: spread over the segments to come" (``payload.strategy``)."""
    strategy = payload.get("strategy")
    return said(N_("Rebalanced the overrun: {strategy}"), strategy=_STRATEGY.get(strategy, strategy))


def rebalance_undone(session: Session, event: Event, payload: dict) -> dict:
    """"Undid the last rebalancing"."""
    return said(N_("Undid the last rebalancing"))


def run_reset(session: Session, event: Event, payload: dict) -> dict:
    """"Reset the run of show (stored times forgotten)"."""
    return said(N_("Reset the run of show (stored times forgotten)"))


def run_imported(session: Session, event: Event, payload: dict) -> dict:
    """"Imported the run of show: N segments (new panelists: …)"."""
    names, n = payload.get("new_panelists") or [], payload.get("segments", 0)
    if names:
        return said_n("Imported the run of show: {n} segment (new panelists: {names})",
                      "Imported the run of show: {n} segments (new panelists: {names})", n, names=", ".join(names))
    return said_n("Imported the run of show: {n} segment", "Imported the run of show: {n} segments", n)


def now_speaking(session: Session, event: Event, payload: dict) -> dict:
    """"Now speaking: <panelist>" (or "no panelist")."""
    return said(N_("Now speaking: {name}"), name=_panelist(session, payload))


# ---- prompts, the projector and the stage view --------------------------------------------------

def prompt_next(session: Session, event: Event, payload: dict) -> dict:
    """"Next key-question prompt"."""
    return said(N_("Next key-question prompt"))


def prompt_previous(session: Session, event: Event, payload: dict) -> dict:
    """"Previous key-question prompt"."""
    return said(N_("Previous key-question prompt"))


def prompt_shown(session: Session, event: Event, payload: dict) -> dict:
    """"Projector: key question 1, prompt 2" (``payload.prompt_id``)."""
    prompt = session.get(Prompt, payload.get("prompt_id"))
    for kq in event.key_questions:
        for i, p in enumerate(kq.prompts):
            if prompt is not None and p.id == prompt.id:
                return said(N_("Projector: key question {kq}, prompt {prompt}"), kq=kq.position + 1, prompt=i + 1)
    return said(N_("Projector: a key-question prompt"))


def scene_set(session: Session, event: Event, payload: dict) -> dict:
    """"Projector: join (QR code)" (``payload.scene``)."""
    scene = payload.get("scene")
    return said(N_("Projector: {scene}"), scene=SCENE_NAMES.get(scene, scene))


def stage_message(session: Session, event: Event, payload: dict) -> dict:
    """"Stage message “…”" (the text or the preset's key)."""
    return said(N_("Stage message “{text}”"), text=_clip(payload.get("text") or payload.get("preset") or ""))


def stage_cleared(session: Session, event: Event, payload: dict) -> dict:
    """"Cleared the stage message"."""
    return said(N_("Cleared the stage message"))


def stage_flashed(session: Session, event: Event, payload: dict) -> dict:
    """"Flashed the stage view"."""
    return said(N_("Flashed the stage view"))


def stage_blackout(session: Session, event: Event, payload: dict) -> dict:
    """"Blacked out the stage view" or "Brought the stage view back"."""
    return said(N_("Blacked out the stage view") if payload.get("on") else N_("Brought the stage view back"))


# ---- questions and polls ------------------------------------------------------------------------

def question_moderated(session: Session, event: Event, payload: dict) -> dict:
    """"Approved question “…”" (rejected, marked answered; other actions: "Moderated")."""
    return _question(session, payload, _MODERATION.get(payload.get("action"), _MODERATED))


def question_edited(session: Session, event: Event, payload: dict) -> dict:
    """"Corrected the text of question “…”" (the text after the correction)."""
    return _question(session, payload, (N_("Corrected the text of question “{question}”"),
                                        N_("Corrected the text of a question")))


def _question_ref(session, question_id) -> dict:
    q = session.get(Question, question_id) if question_id else None
    return said(N_("question “{text}”"), text=_clip(q.text)) if q else said(N_("a question"))


def question_merged(session: Session, event: Event, payload: dict) -> dict:
    """"Merged question “…” into question “…”" (``question_id`` into ``into_id``)."""
    return said(N_("Merged {question} into {into}"), question=_question_ref(session, payload.get("question_id")),
                into=_question_ref(session, payload.get("into_id")))


def question_queued(session: Session, event: Event, payload: dict) -> dict:
    """"Put question “…” up next (place 2)", or "Took question “…” out of up next" (``position``
    0-based, None: out of the queue)."""
    if payload.get("position") is None:
        return _question(session, payload, (N_("Took question “{question}” out of up next"),
                                            N_("Took a question out of up next")))
    found = _question(session, payload, (N_("Put question “{question}” up next (place {place})"),
                                         N_("Put a question up next (place {place})")))
    found["a"] = {**found.get("a", {}), "place": payload["position"] + 1}
    return found


def question_next(session: Session, event: Event, payload: dict) -> dict:
    """"Spotlight on the next question “…”" (the one the up-next queue put on the projector)."""
    return _question(session, {"question_id": event.highlighted_question_id},
                     (N_("Spotlight on the next question “{question}”"), N_("Spotlight on the next question")))


def questions_settings(session: Session, event: Event, payload: dict) -> dict:
    """"Pre-moderation on: questions wait for approval; time per question 1:30" (what was sent)."""
    premoderation, ms = payload.get("premoderation"), payload.get("ms_per_question")
    time = None if ms is None else _minutes(ms)[1:]
    if premoderation is None:
        return said(N_("time per question {time}"), time=time) if time else said(N_("Question settings unchanged"))
    if time is None:
        return said(N_("Pre-moderation on: questions wait for approval") if premoderation
                    else N_("Pre-moderation off: questions appear at once"))
    return said(N_("Pre-moderation on: questions wait for approval; time per question {time}") if premoderation
                else N_("Pre-moderation off: questions appear at once; time per question {time}"), time=time)


def question_highlighted(session: Session, event: Event, payload: dict) -> dict:
    """"Spotlight on question “…”", or "Cleared the question spotlight"."""
    if payload.get("question_id"):
        return _question(session, payload, (N_("Spotlight on question “{question}”"), N_("Spotlight on a question")))
    return said(N_("Cleared the question spotlight"))


def questions_follow_up(session: Session, event: Event, payload: dict) -> dict:
    """"Kept questions open for follow-up" or "Closed questions (the show has ended)"."""
    return said(N_("Kept questions open for follow-up") if payload.get("open")
                else N_("Closed questions (the show has ended)"))


def poll_created(session: Session, event: Event, payload: dict) -> dict:
    """"Drafted a poll “…”"."""
    return said(N_("Drafted a poll “{title}”"), title=_clip(payload.get("title", ""), 50))


def poll_updated(session: Session, event: Event, payload: dict) -> dict:
    """"Edited poll “…”"."""
    return _poll(session, payload, (N_("Edited poll “{title}”"), N_("Edited a poll")))


def poll_deleted(session: Session, event: Event, payload: dict) -> dict:
    """"Deleted a draft poll" (it is gone: read after the change)."""
    return said(N_("Deleted a draft poll"))


def poll_reset(session: Session, event: Event, payload: dict) -> dict:
    """"Deleted every ballot of poll “…”"."""
    return _poll(session, payload, (N_("Deleted every ballot of poll “{title}”"), N_("Deleted every ballot of a poll")))


def poll_answer_moderated(session: Session, event: Event, payload: dict) -> dict:
    """"Approved an open-text answer" or "Rejected an open-text answer"."""
    return said(N_("Approved an open-text answer") if payload.get("action") == "approve"
                else N_("Rejected an open-text answer"))


def poll_opened(session: Session, event: Event, payload: dict) -> dict:
    """"Opened poll “…”"."""
    return _poll(session, payload, (N_("Opened poll “{title}”"), N_("Opened a poll")))


def poll_closed(session: Session, event: Event, payload: dict) -> dict:
    """"Closed poll “…”"."""
    return _poll(session, payload, (N_("Closed poll “{title}”"), N_("Closed a poll")))


def poll_revealed(session: Session, event: Event, payload: dict) -> dict:
    """"Revealed results of poll “…”" or "Hid results of poll “…”"."""
    if payload.get("revealed", True):
        return _poll(session, payload, (N_("Revealed results of poll “{title}”"), N_("Revealed results of a poll")))
    return _poll(session, payload, (N_("Hid results of poll “{title}”"), N_("Hid results of a poll")))


def poll_shown(session: Session, event: Event, payload: dict) -> dict:
    """"Projector: poll “…”"."""
    return _poll(session, payload, (N_("Projector: poll “{title}”"), N_("Projector: a poll")))


# ---- the summary and takeaways ------------------------------------------------------------------

def summary_published(session: Session, event: Event, payload: dict) -> dict:
    """"Published the audience summary" or "Withdrew the audience summary"."""
    return said(N_("Published the audience summary") if payload.get("published")
                else N_("Withdrew the audience summary"))


def takeaway_added(session: Session, event: Event, payload: dict) -> dict:
    """"Noted a takeaway “…”" (the payload holds the takeaway's text: protocol/actions/takeaways.py)."""
    return said(N_("Noted a takeaway “{text}”"), text=_clip(payload["text"]))


def takeaway_edited(session: Session, event: Event, payload: dict) -> dict:
    """"Edited the takeaway by Rapporteur “…”: text (was “…”), Mr Yutong Liu, for the summary".
    ``payload``: ``{"takeaway_id", "author", "text" (now), "changes", "previous"}``."""
    changes, previous, changed = payload["changes"], payload["previous"], []
    if "text" in previous:
        changed.append(said(N_("text (was “{text}”)"), text=_clip(previous["text"])))
    if "segment_id" in previous:
        changed.append(_segment_title(session, changes) if changes.get("segment_id") else said(N_("no segment")))
    if "panelist_id" in previous:
        changed.append(_panelist(session, changes))
    if "key_question_id" in previous:
        kq = session.get(KeyQuestion, changes["key_question_id"]) if changes.get("key_question_id") else None
        changed.append(said(N_("key question {n}"), n=kq.position + 1) if kq else said(N_("no key question")))
    if "for_summary" in previous:
        changed.append(said(N_("for the summary") if changes.get("for_summary") else N_("not for the summary")))
    return said(N_("Edited the takeaway by {author} “{text}”: {changes}"), author=payload["author"],
                text=_clip(payload["text"]), changes=changed or said(N_("no change")))


def takeaway_deleted(session: Session, event: Event, payload: dict) -> dict:
    """"Deleted the takeaway by <author> “…”" (the payload keeps what it was)."""
    return said(N_("Deleted the takeaway by {author} “{text}”"), author=payload["author"], text=_clip(payload["text"]))


# ---- the event editor ---------------------------------------------------------------------------

#: What the editor's field names are called in the sentences (services.editor's *_FIELDS).
FIELD_NAMES = {
    "title": said(N_("title")), "subtitle": said(N_("subtitle")), "venue": said(N_("venue")),
    "timezone": said(N_("time zone")), "start": said(N_("start")), "booked_end": said(N_("booked end")),
    "organisers": said(N_("organisers")), "themes": said(N_("themes")), "moderator_name": said(N_("moderator")),
    "moderator_title": said(N_("moderator's title")), "name": said(N_("name")), "role": said(N_("role")),
    "organisation": said(N_("organisation")), "talk_title": said(N_("talk title")), "kind": said(N_("kind")),
    "minutes": said(N_("length")), "panelist_id": said(N_("speaker")), "key_question_id": said(N_("key question")),
    "auto_advance": said(N_("auto-advance")), "skip": said(N_("skip")), "notes": said(N_("notes")),
    "text": said(N_("text")), "prompts": said(N_("sub-questions")),
}


def _fields(payload: dict) -> dict:
    names = list(dict.fromkeys(payload.get("changed") or []))
    if not names:
        return said(N_("(no change)"))
    return said(N_("({fields})"), fields=[FIELD_NAMES.get(n, n.replace("_", " ")) for n in names])


def _panelist_name(session, payload):
    p = session.get(Panelist, payload.get("panelist_id")) if payload.get("panelist_id") else None
    return p.name if p else payload.get("name") or said(N_("a panelist"))


def event_edited(session: Session, event: Event, payload: dict) -> dict:
    """"Edited the event (title, venue)"."""
    return said(N_("Edited the event {fields}"), fields=_fields(payload))


def panelist_added(session: Session, event: Event, payload: dict) -> dict:
    """"Added panelist Ana Guest"."""
    return said(N_("Added panelist {name}"), name=payload.get("name") or _panelist_name(session, payload))


def panelist_updated(session: Session, event: Event, payload: dict) -> dict:
    """"Edited panelist Ana Guest (name, role)"."""
    return said(N_("Edited panelist {name} {fields}"), name=_panelist_name(session, payload), fields=_fields(payload))


def panelist_removed(session: Session, event: Event, payload: dict) -> dict:
    """"Removed panelist Ana Guest" (the payload keeps the name)."""
    return said(N_("Removed panelist {name}"), name=payload.get("name") or said(N_("a panelist")))


def panelist_moved(session: Session, event: Event, payload: dict) -> dict:
    """"Moved panelist Ana Guest to place 2"."""
    p = session.get(Panelist, payload.get("panelist_id"))
    return (said(N_("Moved panelist {name} to place {place}"), name=p.name, place=p.position + 1) if p
            else said(N_("Moved a panelist")))


def segment_added(session: Session, event: Event, payload: dict) -> dict:
    """"Added segment “…” to the run of show"."""
    return said(N_("Added segment “{title}” to the run of show"), title=_clip(payload.get("title", ""), 50))


def segment_updated(session: Session, event: Event, payload: dict) -> dict:
    """"Edited segment “…” (title, length)", with "+2:00 on air" when its length acted as +/- time."""
    segment, fields = _segment_title(session, payload), _fields(payload)
    if payload.get("adjust_ms"):
        return said(N_("Edited segment {segment} {fields}, {delta} on air"), segment=segment, fields=fields,
                    delta=_minutes(payload["adjust_ms"]))
    return said(N_("Edited segment {segment} {fields}"), segment=segment, fields=fields)


def segment_removed(session: Session, event: Event, payload: dict) -> dict:
    """"Removed segment “…” from the run of show" (the payload keeps the title)."""
    return said(N_("Removed segment “{title}” from the run of show"), title=_clip(payload.get("title", ""), 50))


def segment_moved(session: Session, event: Event, payload: dict) -> dict:
    """"Moved segment “…” to place 4"."""
    seg = session.get(Segment, payload.get("segment_id"))
    return (said(N_("Moved segment “{title}” to place {place}"), title=_clip(seg.title, 50), place=seg.position + 1)
            if seg else said(N_("Moved a segment")))


def _kq(session, payload) -> KeyQuestion | None:
    return session.get(KeyQuestion, payload.get("key_question_id")) if payload.get("key_question_id") else None


def key_question_added(session: Session, event: Event, payload: dict) -> dict:
    """"Added key question 3 “…”"."""
    kq = _kq(session, payload)
    return (said(N_("Added key question {n} “{text}”"), n=kq.position + 1, text=_clip(kq.text, 50)) if kq
            else said(N_("Added a key question")))


def key_question_updated(session: Session, event: Event, payload: dict) -> dict:
    """"Edited key question 2 “…” (text, sub-questions)"."""
    kq = _kq(session, payload)
    if kq is None:
        return said(N_("Edited a key question {fields}"), fields=_fields(payload))
    return said(N_("Edited key question {n} “{text}” {fields}"), n=kq.position + 1, text=_clip(kq.text, 50),
                fields=_fields(payload))


def key_question_removed(session: Session, event: Event, payload: dict) -> dict:
    """"Removed key question “…”" (the payload keeps the text)."""
    return said(N_("Removed key question “{text}”"), text=_clip(payload.get("text", ""), 50))
