"""Takeaways: the learnings noted during the show, their text rules and their default tags.

A takeaway is tagged with what was on air when it was written: the segment, the panelist with
the floor and the segment's key question. Each tag may be changed or set to none afterwards.
"""
from dataclasses import dataclass

from .airtime import FloorChange, holder_at
from .errors import ForumError
from .text import clean_text

TAKEAWAY_MIN_CHARS, TAKEAWAY_MAX_CHARS = 1, 500
#: A 90-minute panel notes a few dozen; the cap bounds what a leaked rapporteur key can store
#: (and the size of the ``takeaways`` part every change broadcasts).
MAX_TAKEAWAYS_PER_EVENT = 1000
#: The fields a takeaway can be tagged with (each an id or None).
TAG_FIELDS = ("segment_id", "panelist_id", "key_question_id")


@dataclass(frozen=True)
class Tags:
    """What a takeaway is about: ids of a segment, a panelist and a key question (None: none)."""

    segment_id: int | None = None
    panelist_id: int | None = None
    key_question_id: int | None = None


@dataclass(frozen=True)
class OnAir:
    """The segment on air as the tagging rule needs it: its id, its own panelist and key
    question, its floor changes ("now speaking") and its clock's elapsed time (ms)."""

    segment_id: int
    panelist_id: int | None
    key_question_id: int | None
    floor_changes: tuple[FloorChange, ...] = ()
    elapsed_ms: int = 0


def clean_takeaway(raw: object) -> str:
    """A takeaway's text cleaned like a question's (domain.text.clean_text, line breaks kept),
    1-500 characters. Raises ForumError(invalid_payload) for a non-string, invalid_text for an
    empty (or invisible-only) or too long text."""
    text = clean_text(raw, field="Takeaway", min_len=0, max_len=TAKEAWAY_MAX_CHARS, multiline=True)
    if len(text) < TAKEAWAY_MIN_CHARS:
        raise ForumError("invalid_text", "The takeaway is empty: write a few words (spaces and invisible "
                                         "characters do not count).")
    return text


def default_tags(on_air: OnAir | None) -> Tags:
    """The tags a new takeaway gets when its writer leaves them out: the segment on air, the
    panelist holding its floor (the latest "now speaking" at the segment's elapsed time, else
    the segment's own panelist; domain.airtime.holder_at, the rule the consoles' airtime uses)
    and the segment's key question. Nothing on air (before or after the show): no tags."""
    if on_air is None:
        return Tags()
    speaking = holder_at(on_air.panelist_id, list(on_air.floor_changes), on_air.elapsed_ms)
    return Tags(on_air.segment_id, speaking, on_air.key_question_id)
