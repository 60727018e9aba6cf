"""The moderators' audit trail and the event's state version (co-moderation).

Every change a moderator makes (from a console or the control API) is stored as a
ModeratorAction: who, what, when. The number of the latest one is the event's *state version*.
A console sends the version its screen showed with each action; if a colleague changed the show
since, the action is refused instead of silently overwriting the colleague's change (optimistic
concurrency, as HTTP's If-Match / ETag; RFC 9110 section 13.1.1).
"""
import json
from collections.abc import Callable, Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.clock import ms_between, to_ms
from ..domain.errors import ForumError
from ..persistence.models import Event, ModeratorAction
from .said import render

#: How many entries the console's audit view carries (the whole trail stays in the database).
VIEW_LIMIT = 50

#: ``sentence(session, event, payload) -> dict``: what an action did, for people, as a sentence
#: kept as data (services.audit_text, services.said).
Sentence = Callable[[Session, Event, dict], dict]
#: Where an entry keeps its sentence as data: in its stored payload, beside the action's fields
#: (no schema change; entries stored before it have only the English ``summary``).
SAID_KEY = "_said"


def state_version(session: Session, event: Event) -> int:
    """The event's state version: the number of moderator changes so far (0 before any)."""
    return session.scalar(select(func.coalesce(func.max(ModeratorAction.seq), 0))
                          .where(ModeratorAction.event_id == event.id))


def check_version(session: Session, event: Event, seen: int, actor_key: str, now: datetime,
                  ignore: Collection[str] = ()) -> None:
    """Refuse an action made on state version ``seen`` if another actor changed the show since.

    The actor's own later changes do not count (a console's quick second press is not a
    conflict with itself), nor do the actions named in ``ignore`` (those that note the show
    rather than change it: takeaways, protocol.registry.NOT_SHOW_CHANGES). Raises
    ForumError(stale_state) naming the colleague's latest change.
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
                                      ModeratorAction.name.not_in(tuple(ignore)))
        .order_by(ModeratorAction.seq.desc()).limit(1)).first()
    if theirs is None:
        return
    ago = max(0, ms_between(theirs.at, now)) // 1000
    raise ForumError("stale_state", f"{theirs.actor} changed the show just before you ({theirs.summary}, "
                                    f"{ago} s ago); your action was not done. Check the console and try again.")


def record_action(session: Session, event: Event, *, actor: str, actor_key: str, source: str, name: str,
                  payload: dict, now: datetime, sentence: Sentence | None = None) -> ModeratorAction:
    """Store one moderator change (call after the change itself, in the same transaction).

    ``actor`` is the label people see (``Console 2``, ``Rapporteur``), ``actor_key`` the stable
    id of that console or API client, ``source`` ``console``, ``api`` or ``rapporteur``, ``name``
    the action's event name
    (``timer:next``), ``payload`` its validated fields and ``sentence`` the action's own audit
    sentence (its registry entry's; see ``describe``): the English ``summary`` is stored, and the
    sentence as data in the payload (``SAID_KEY``) for the consoles to show in their language.
    Returns the entry; its ``seq`` is the new state version.
    """
    summary, said = describe(session, event, name, payload, sentence)
    stored = {**payload, SAID_KEY: said} if said is not None else payload
    entry = ModeratorAction(event_id=event.id, seq=state_version(session, event) + 1, actor=actor[:60],
                            actor_key=actor_key[:80], source=source, name=name[:60], payload=stored,
                            summary=summary[:400], at=now)
    session.add(entry)
    session.flush()
    return entry


def audit_view(session: Session, event: Event, limit: int = VIEW_LIMIT) -> dict:
    """The ``audit`` part (moderators only): ``{"version": int, "entries": [...]}``, newest
    first, each ``{"seq", "actor", "source", "name", "summary", "said", "at_ms"}``: ``summary`` the
    English sentence, ``said`` the same as data (services.said) for the console to put in its
    language, or None for an entry stored before sentences were kept as data."""
    rows = session.scalars(select(ModeratorAction).where(ModeratorAction.event_id == event.id)
                           .order_by(ModeratorAction.seq.desc()).limit(limit)).all()
    return {
        "version": rows[0].seq if rows else 0,
        "entries": [{"seq": r.seq, "actor": r.actor, "source": r.source, "name": r.name,
                     "summary": r.summary, "said": said_of(r), "at_ms": to_ms(r.at)} for r in rows],
    }


def said_of(entry: ModeratorAction) -> dict | None:
    """The sentence of ``entry`` as data (services.said), or None (stored before it was kept)."""
    found = entry.payload.get(SAID_KEY) if isinstance(entry.payload, dict) else None
    return found if isinstance(found, dict) else None


def action_payload(entry: ModeratorAction) -> dict:
    """The action's own fields of ``entry`` (its stored payload without the sentence)."""
    if not isinstance(entry.payload, dict):
        return entry.payload
    return {k: v for k, v in entry.payload.items() if k != SAID_KEY}


def describe(session: Session, event: Event, name: str, payload: dict,
             sentence: Sentence | None = None) -> tuple[str, dict | None]:
    """What action ``name`` with ``payload`` did (read after the change), for people:
    ``(English sentence, the sentence as data or None)``, from ``sentence`` (the action's registry
    entry's). Actions without a sentence of their own (or whose sentence fails on an odd payload)
    are shown as name and payload, in English only."""
    fn = sentence
    if fn is not None:
        try:
            said = fn(session, event, payload)
            return render(said), said
        except (TypeError, ValueError, AttributeError, KeyError):
            pass
    return (f"{name} {json.dumps(payload, ensure_ascii=False, sort_keys=True)}" if payload else name), None
