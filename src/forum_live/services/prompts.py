"""The key-question prompt deck: each segment's place in its key question's prompts.

The deck of a segment is the prompts of its key question; the moderator steps through it with
next and previous. The current prompt is shown on the stage view; on the projector it shows
when the moderator puts it there (and follows the steps while the prompt scene is on).
"""
from ..domain.errors import ForumError
from ..persistence.models import Event, Prompt, Segment
from .run_of_show import current_segment


def deck_segment(event: Event) -> Segment | None:
    """The segment whose deck is stepped: the one on air, or the first before the show."""
    seg = current_segment(event)
    if seg is None and event.ended_at is None and event.segments:
        seg = event.segments[0]
    return seg


def deck(event: Event, segment: Segment | None) -> list[Prompt]:
    """The prompts of ``segment``'s key question, in order (empty without a key question)."""
    if segment is None or segment.key_question_id is None:
        return []
    kq = next((k for k in event.key_questions if k.id == segment.key_question_id), None)
    return list(kq.prompts) if kq else []


def step_prompt(event: Event, step: int) -> Prompt:
    """Move the deck one prompt on (``step`` = 1) or back (-1) and return the new current prompt.
    If the projector is showing a prompt, it shows the new one. Raises ForumError(invalid_state)
    when the segment has no key question or the deck is at its end."""
    seg = deck_segment(event)
    cards = deck(event, seg)
    if not cards:
        raise ForumError("invalid_state", "This segment has no key-question prompts.")
    index = min(max(seg.prompt_index, 0), len(cards) - 1) + step
    if not 0 <= index < len(cards):
        raise ForumError("invalid_state", "That was the last prompt." if step > 0 else "This is the first prompt.")
    seg.prompt_index = index
    if event.scene == "prompt":
        event.scene_prompt_id = cards[index].id
    return cards[index]
