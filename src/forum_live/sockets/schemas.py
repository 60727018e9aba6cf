"""Payload schemas of every client -> server event (docs/protocol.md). Unknown fields, missing
fields and wrong types are refused; strict mode does not turn "3" into 3."""
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..domain.polls import KINDS as POLL_KINDS


class Payload(BaseModel):
    """Base of every payload: strict types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Empty(Payload):
    """An event that carries nothing."""


ClientId = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class QuestionSubmit(Payload):
    client_id: str = ClientId
    text: str = Field(max_length=4000)
    name: str | None = Field(None, max_length=400)
    panelist_id: int | None = None
    theme: str | None = Field(None, max_length=400)


class QuestionUpvote(Payload):
    question_id: int
    on: bool
    client_id: str | None = Field(None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class QuestionRef(Payload):
    question_id: int


class SimilarText(Payload):
    text: str = Field(max_length=4000)


class PollVote(Payload):
    poll_id: int
    # option id or rating; option ids (multiple choice); a word or an answer (domain.polls.clean_ballot)
    value: int | Annotated[list[int], Field(max_length=50)] | str = Field(union_mode="left_to_right")


class SegmentRef(Payload):
    segment_id: int


class Step(Payload):
    """``timer:next`` / ``timer:previous``: ``from_segment_id`` is the segment the sender
    believed was on air (null: none, before or after the show); left out: no check."""

    from_segment_id: int | None = None


class Adjust(Payload):
    delta_ms: int


class QuestionModerate(Payload):
    question_id: int
    action: Literal["approve", "reject", "answer", "archive"]
    answered_by: int | None = None


class QuestionEditText(Payload):
    question_id: int
    text: str = Field(max_length=4000)


class QuestionMerge(Payload):
    question_id: int
    into_id: int


class QuestionQueue(Payload):
    question_id: int
    position: int | None


class QuestionSettings(Payload):
    premoderation: bool | None = None
    ms_per_question: int | None = None


class QuestionHighlight(Payload):
    question_id: int | None


class PollRef(Payload):
    poll_id: int


class PollReveal(Payload):
    poll_id: int
    revealed: bool = True


class PollReset(Payload):
    poll_id: int
    confirm: bool


class PollCreate(Payload):
    # Lengths are checked after cleaning by domain.polls.check_definition; these bound the work.
    kind: Literal[POLL_KINDS]  # type: ignore[valid-type]
    title: str = Field(max_length=1200)
    options: list[Annotated[str, Field(max_length=800)]] = Field(default_factory=list, max_length=20)
    max_choices: int | None = None
    scale_max: int = 5
    live_results: bool = False
    duration_s: int | None = None


class PollUpdate(Payload):
    """Fields left out keep their value (services.polls.update_poll)."""

    poll_id: int
    kind: Literal[POLL_KINDS] | None = None  # type: ignore[valid-type]
    title: str | None = Field(None, max_length=1200)
    options: list[Annotated[str, Field(max_length=800)]] | None = Field(None, max_length=20)
    max_choices: int | None = None
    scale_max: int | None = None
    live_results: bool | None = None
    duration_s: int | None = None


class AnswerModerate(Payload):
    ballot_id: int
    action: Literal["approve", "reject"]


class PromptRef(Payload):
    prompt_id: int


class SceneSet(Payload):
    scene: Literal["timer", "prompt", "question", "poll", "join", "holding", "blackout"]


class SegmentSkip(Payload):
    segment_id: int
    skipped: bool


class SegmentAuto(Payload):
    segment_id: int
    on: bool


class Confirm(Payload):
    confirm: Literal[True]


class Strategy(Payload):
    strategy: Literal["spread", "qa", "keep"]


class Speaker(Payload):
    panelist_id: int | None


class StageMessage(Payload):
    text: str | None = Field(None, max_length=1000)
    preset: str | None = Field(None, max_length=40)


class Blackout(Payload):
    on: bool


#: A database id: a whole number a row can have (1 .. 2**63 - 1); 10**30 is invalid_payload.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class TakeawayAdd(Payload):
    """``takeaway:add``: tags left out are what is on air (services.takeaways.add_takeaway);
    null is "none". The text's 1-500 characters are checked after cleaning."""

    client_id: str = ClientId
    text: str = Field(max_length=4000)
    segment_id: RowId | None = None
    panelist_id: RowId | None = None
    key_question_id: RowId | None = None
    for_summary: bool = False


class TakeawayEdit(Payload):
    """``takeaway:edit``: the fields sent change (null tags: none), the others are kept."""

    takeaway_id: RowId
    text: str | None = Field(None, max_length=4000)
    segment_id: RowId | None = None
    panelist_id: RowId | None = None
    key_question_id: RowId | None = None
    for_summary: bool | None = None


class TakeawayRef(Payload):
    takeaway_id: RowId
