"""Takeaways during the show: the moderator and the rapporteur add them (tagged with what is on
air), edit, re-tag, mark them for the audience summary, and delete them.

Every operation only flushes; the caller commits (sockets.handling.execute, one transaction with
the audit entry). The rules on text and default tags are domain.takeaways'.
"""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import takeaways as rules
from ..domain.airtime import FloorChange as Floor
from ..domain.clock import to_ms
from ..domain.errors import ForumError
from ..persistence.models import Event, FloorChange, Takeaway
from .run_of_show import clock_of, current_segment

#: The largest id a database row can have (a signed 64-bit integer): a bigger one is unknown.
MAX_ID = 2**63 - 1
#: What ``takeaway:edit`` may change.
EDITABLE = ("text", *rules.TAG_FIELDS, "for_summary")


def on_air(session: Session, event: Event, now: datetime) -> rules.OnAir | None:
    """The segment on air at ``now`` as domain.takeaways needs it (None before or after the show)."""
    seg = current_segment(event)
    if seg is None:
        return None
    changes = session.scalars(select(FloorChange).where(FloorChange.segment_id == seg.id).order_by(FloorChange.id))
    return rules.OnAir(seg.id, seg.panelist_id, seg.key_question_id,
                       tuple(Floor(c.at_elapsed_ms, c.panelist_id) for c in changes), clock_of(seg).elapsed_ms(now))


def default_tags(session: Session, event: Event, now: datetime) -> rules.Tags:
    """The tags a takeaway written at ``now`` gets by default (domain.takeaways.default_tags)."""
    return rules.default_tags(on_air(session, event, now))


def check_tags(event: Event, tags: dict) -> None:
    """Refuse tags that are not this event's: ``tags`` maps some of segment_id, panelist_id and
    key_question_id to an id or None (none). Raises ForumError(not_found) naming the first one."""
    known = {"segment_id": ({s.id for s in event.segments}, "segment in this run of show"),
             "panelist_id": ({p.id for p in event.panelists}, "panelist on this panel"),
             "key_question_id": ({k.id for k in event.key_questions}, "key question in this event")}
    for name, value in tags.items():
        ids, what = known[name]
        if value is not None and (type(value) is not int or value not in ids):
            raise ForumError("not_found", f"No {what} has the id {str(value)[:20]}.")


def find_takeaway(session: Session, event: Event, client_id: str) -> Takeaway | None:
    """The takeaway of ``event`` already stored with ``client_id``, or None."""
    return session.scalar(select(Takeaway).where(Takeaway.event_id == event.id, Takeaway.client_id == client_id))


def add_takeaway(session: Session, event: Event, *, client_id: str | None, text: object, author: str,
                 now: datetime, tags: dict | None = None, for_summary: bool = False) -> tuple[Takeaway, bool]:
    """Store a takeaway written at ``now`` by ``author`` (``Rapporteur``, ``Console 2``); returns
    ``(takeaway, created)``.

    ``client_id`` is made by the page that wrote it: sent again (a resend after a lost ack), the
    first takeaway comes back with ``created`` False and nothing changes. ``tags`` holds the tag
    fields the writer chose (an id, or None for none); those left out are what is on air
    (default_tags). Raises ForumError(invalid_text) for bad text, not_found for a tag that is not
    this event's, invalid_state when the event holds MAX_TAKEAWAYS_PER_EVENT already.
    """
    if client_id is not None:
        existing = find_takeaway(session, event, client_id)
        if existing is not None:
            return existing, False
    clean = rules.clean_takeaway(text)
    chosen = dict(tags or {})
    check_tags(event, chosen)
    default = default_tags(session, event, now)
    for name in rules.TAG_FIELDS:
        chosen.setdefault(name, getattr(default, name))
    count = session.scalar(select(func.count()).select_from(Takeaway).where(Takeaway.event_id == event.id))
    if count >= rules.MAX_TAKEAWAYS_PER_EVENT:
        raise ForumError("invalid_state", f"This event already holds {rules.MAX_TAKEAWAYS_PER_EVENT} takeaways, "
                                          "the most it keeps; edit or delete some first.")
    takeaway = Takeaway(event_id=event.id, client_id=client_id, text=clean, for_summary=bool(for_summary),
                        author=author[:60], created_at=now, **chosen)
    session.add(takeaway)
    session.flush()
    return takeaway, True


def get_takeaway(session: Session, event: Event, takeaway_id: int) -> Takeaway:
    """Takeaway ``takeaway_id`` of ``event``; raises ForumError(not_found), also for another
    event's takeaway and for an id no row can have."""
    found = session.get(Takeaway, takeaway_id) if isinstance(takeaway_id, int) and 0 < takeaway_id <= MAX_ID else None
    if found is None or found.event_id != event.id:
        raise ForumError("not_found", f"No takeaway has the id {str(takeaway_id)[:20]}; it may have been deleted.")
    return found


def edit_takeaway(session: Session, event: Event, takeaway_id: int, changes: dict,
                  now: datetime) -> tuple[Takeaway, dict]:
    """Change a takeaway: ``changes`` holds any of EDITABLE (text; a tag's id or None; for_summary).

    A change of text or of a tag sets ``edited_at``; marking for the summary alone does not.
    Returns ``(takeaway, previous)``: the old values of the fields that changed (for the audit
    trail). Raises ForumError(invalid_payload) for no field or an unknown one, invalid_text for
    bad text, not_found for an unknown takeaway or tag.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown or not changes:
        raise ForumError("invalid_payload", "Send the takeaway_id and at least one of: " + ", ".join(EDITABLE) + ".")
    takeaway = get_takeaway(session, event, takeaway_id)
    wanted = dict(changes)
    if "text" in wanted:
        wanted["text"] = rules.clean_takeaway(wanted["text"])
    if "for_summary" in wanted and type(wanted["for_summary"]) is not bool:
        raise ForumError("invalid_payload", "for_summary: must be true or false.")
    check_tags(event, {k: v for k, v in wanted.items() if k in rules.TAG_FIELDS})
    previous = {k: getattr(takeaway, k) for k, v in wanted.items() if getattr(takeaway, k) != v}
    for name in previous:
        setattr(takeaway, name, wanted[name])
    if set(previous) - {"for_summary"}:
        takeaway.edited_at = now
    session.flush()
    return takeaway, previous


def delete_takeaway(session: Session, event: Event, takeaway_id: int) -> dict:
    """Delete a takeaway; returns what it was (takeaway_view). Raises ForumError(not_found)."""
    takeaway = get_takeaway(session, event, takeaway_id)
    gone = takeaway_view(takeaway)
    session.delete(takeaway)
    session.flush()
    return gone


def list_takeaways(session: Session, event: Event) -> list[Takeaway]:
    """The event's takeaways, newest first (ties: the later stored first)."""
    return list(session.scalars(select(Takeaway).where(Takeaway.event_id == event.id)
                                .order_by(Takeaway.created_at.desc(), Takeaway.id.desc())))


def takeaway_view(takeaway: Takeaway) -> dict:
    """One item of the ``takeaways`` part: ``{"id", "text", "segment_id", "panelist_id",
    "key_question_id", "for_summary", "author", "created_ms", "edited_ms"}`` (epoch ms; tags and
    ``edited_ms`` may be null)."""
    return {"id": takeaway.id, "text": takeaway.text, "segment_id": takeaway.segment_id,
            "panelist_id": takeaway.panelist_id, "key_question_id": takeaway.key_question_id,
            "for_summary": bool(takeaway.for_summary), "author": takeaway.author,
            "created_ms": to_ms(takeaway.created_at), "edited_ms": to_ms(takeaway.edited_at)}


def takeaways_view(session: Session, event: Event) -> list[dict]:
    """The ``takeaways`` part (moderators and rapporteurs): every takeaway, newest first."""
    return [takeaway_view(t) for t in list_takeaways(session, event)]
