"""Payload schemas of every client -> server event (docs/protocol.md). Unknown fields, missing
fields and wrong types are refused; strict mode does not turn "3" into 3."""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Payload(BaseModel):
    """Base of every payload: strict types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Empty(Payload):
    """An event that carries nothing."""


class QuestionSubmit(Payload):
    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    text: str = Field(max_length=4000)
    name: str | None = Field(None, max_length=400)
    panelist_id: int | None = None


class QuestionUpvote(Payload):
    question_id: int
    on: bool


class PollVote(Payload):
    poll_id: int
    value: int | str = Field(union_mode="left_to_right")


class SegmentRef(Payload):
    segment_id: int


class Adjust(Payload):
    delta_ms: int


class QuestionModerate(Payload):
    question_id: int
    action: Literal["approve", "reject", "answer"]


class QuestionHighlight(Payload):
    question_id: int | None


class PollRef(Payload):
    poll_id: int


class PollReveal(Payload):
    poll_id: int
    revealed: bool = True


class PromptRef(Payload):
    prompt_id: int


class SceneSet(Payload):
    scene: Literal["timer", "prompt", "question", "poll", "join", "holding", "blackout"]
