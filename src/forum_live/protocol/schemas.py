"""Payload schemas of every client -> server event (docs/protocol.md). Unknown fields, missing
fields and wrong types are refused; strict mode does not turn "3" into 3.

Every whole number is bounded to the database's INTEGER (32-bit signed: PostgreSQL's INTEGER and
SERIAL ids; SQLite's are 64-bit): a larger one would reach the database driver and fail there
(OverflowError, "internal", which a phone would retry for ever) instead of being refused here.
"""
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..domain.polls import KINDS as POLL_KINDS

#: The largest whole number a payload may carry (PostgreSQL's INTEGER: 2^31 - 1).
INT_MAX = 2 ** 31 - 1
#: A row id: 1 to INT_MAX (ids start at 1 on both databases).
Id = Annotated[int, Field(ge=1, le=INT_MAX)]
#: Any other whole number (ms, a position, a count): within the database's INTEGER. The
#: services check the ranges that make sense (e.g. +/- 1 h for timer:adjust).
Int = Annotated[int, Field(ge=-INT_MAX - 1, le=INT_MAX)]


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
    panelist_id: Id | None = None
    theme: str | None = Field(None, max_length=400)


class QuestionUpvote(Payload):
    question_id: Id
    on: bool
    client_id: str | None = Field(None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class QuestionRef(Payload):
    question_id: Id


class SimilarText(Payload):
    text: str = Field(max_length=4000)


class PollVote(Payload):
    poll_id: Id
    # option id or rating; option ids (multiple choice); a word or an answer (domain.polls.clean_ballot)
    value: Int | Annotated[list[Int], Field(max_length=50)] | str = Field(union_mode="left_to_right")


class SegmentRef(Payload):
    segment_id: Id


class Step(Payload):
    """``timer:next`` / ``timer:previous``: ``from_segment_id`` is the segment the sender
    believed was on air (null: none, before or after the show); left out: no check."""

    from_segment_id: Id | None = None


class Next(Step):
    """``timer:next``: ``keep_questions_open`` (default false) applies when this step ends the
    show: the audience may go on sending questions for follow-up."""

    keep_questions_open: bool = False


class FollowUp(Payload):
    """``questions:follow-up``: after the end, questions open for follow-up (true) or closed."""

    open: bool


class Adjust(Payload):
    delta_ms: Int


class QuestionModerate(Payload):
    question_id: Id
    action: Literal["approve", "reject", "answer", "archive"]
    answered_by: Id | None = None


class QuestionEditText(Payload):
    question_id: Id
    text: str = Field(max_length=4000)


class QuestionMerge(Payload):
    question_id: Id
    into_id: Id


class QuestionQueue(Payload):
    question_id: Id
    position: Int | None


class QuestionSettings(Payload):
    premoderation: bool | None = None
    ms_per_question: Int | None = None


class QuestionHighlight(Payload):
    question_id: Id | None


class PollRef(Payload):
    poll_id: Id


class PollReveal(Payload):
    poll_id: Id
    revealed: bool = True


class PollReset(Payload):
    poll_id: Id
    confirm: bool


class PollCreate(Payload):
    # Lengths are checked after cleaning by domain.polls.check_definition; these bound the work.
    kind: Literal[POLL_KINDS]  # type: ignore[valid-type]
    title: str = Field(max_length=1200)
    options: list[Annotated[str, Field(max_length=800)]] = Field(default_factory=list, max_length=20)
    max_choices: Int | None = None
    scale_max: Int = 5
    live_results: bool = False
    duration_s: Int | None = None


class PollUpdate(Payload):
    """Fields left out keep their value (services.polls.update_poll)."""

    poll_id: Id
    kind: Literal[POLL_KINDS] | None = None  # type: ignore[valid-type]
    title: str | None = Field(None, max_length=1200)
    options: list[Annotated[str, Field(max_length=800)]] | None = Field(None, max_length=20)
    max_choices: Int | None = None
    scale_max: Int | None = None
    live_results: bool | None = None
    duration_s: Int | None = None


class AnswerModerate(Payload):
    ballot_id: Id
    action: Literal["approve", "reject"]


class PromptRef(Payload):
    prompt_id: Id


class SceneSet(Payload):
    scene: Literal["timer", "prompt", "question", "poll", "join", "holding", "blackout"]


class SegmentSkip(Payload):
    segment_id: Id
    skipped: bool


class SegmentAuto(Payload):
    segment_id: Id
    on: bool


class Confirm(Payload):
    """``confirm`` must be true (a strict bool: ``Literal[True]`` would take 1, as 1 == True)."""

    confirm: bool

    @field_validator("confirm")
    @classmethod
    def _must_be_true(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError("must be true: this cannot be undone")
        return value


class Strategy(Payload):
    strategy: Literal["spread", "qa", "keep"]


class Speaker(Payload):
    panelist_id: Id | None


class StageMessage(Payload):
    text: str | None = Field(None, max_length=1000)
    preset: str | None = Field(None, max_length=40)


class Blackout(Payload):
    on: bool


class SummaryPublish(Payload):
    """``summary:publish``: publish (true) or withdraw (false) the audience summary."""

    published: bool


class TakeawayAdd(Payload):
    """``takeaway:add``: tags left out are what is on air (services.takeaways.add_takeaway);
    null is "none". The text's 1-500 characters are checked after cleaning."""

    client_id: str = ClientId
    text: str = Field(max_length=4000)
    segment_id: Id | None = None
    panelist_id: Id | None = None
    key_question_id: Id | None = None
    for_summary: bool = False


class TakeawayEdit(Payload):
    """``takeaway:edit``: the fields sent change (null tags: none), the others are kept."""

    takeaway_id: Id
    text: str | None = Field(None, max_length=4000)
    segment_id: Id | None = None
    panelist_id: Id | None = None
    key_question_id: Id | None = None
    for_summary: bool | None = None


class TakeawayRef(Payload):
    takeaway_id: Id


class ImportRow(Payload):
    """One segment of ``run:import``, as the import preview showed it (services.rundown checks
    it again under the event file's rules)."""

    title: str = Field(max_length=400)
    kind: str = Field(max_length=20)
    length_ms: int = Field(ge=1, le=INT_MAX)
    panelist: str | None = Field(None, max_length=40)
    key_question: str | None = Field(None, max_length=40)
    notes: str = Field("", max_length=4000)
    skip: bool = False
    auto_advance: bool = False


class NewPanelist(Payload):
    key: str = Field(max_length=40)
    name: str = Field(max_length=400)


class RunImport(Payload):
    """``run:import``: the whole run of show that replaces the stored one, and the panelists to add."""

    rows: list[ImportRow] = Field(min_length=1, max_length=500)
    panelists: list[NewPanelist] = Field(default_factory=list, max_length=500)


# ---- the event editor (protocol/actions/editor.py) ----------------------------------------------
# Lengths here only bound the work: the event file's rules (services/editor.py) check the fields
# and answer with a message per field.

_Text = Annotated[str, Field(max_length=4000)]
_Lines = Annotated[list[Annotated[str, Field(max_length=1000)]], Field(max_length=50)]
#: Minutes, within the database's INTEGER (the rule, 0 < m <= 600, is the event file's).
_Minutes = Annotated[float, Field(ge=-INT_MAX - 1, le=INT_MAX)]


class EventEdit(Payload):
    """``event:edit``: the fields sent change, the others are kept. ``start``/``booked_end``:
    local times in the event's time zone (``YYYY-MM-DDTHH:MM``; ``booked_end`` null or "": none)."""

    title: _Text | None = None
    subtitle: _Text | None = None
    venue: _Text | None = None
    timezone: str | None = Field(None, max_length=100)
    start: str | None = Field(None, max_length=40)
    booked_end: str | None = Field(None, max_length=40)
    organisers: _Lines | None = None
    themes: _Lines | None = None
    moderator_name: _Text | None = None
    moderator_title: _Text | None = None
    screen_language: str | None = Field(None, max_length=10)  # en, fr or es: the projector's and stage view's


class PanelistFields(Payload):
    """``panelist:add``: a panelist (the name is needed, checked by the event file's rules)."""

    name: _Text | None = None
    role: _Text | None = None
    organisation: _Text | None = None
    talk_title: _Text | None = None


class PanelistUpdate(PanelistFields):
    """``panelist:update``: the fields sent change."""

    panelist_id: Id


class PanelistRef(Payload):
    panelist_id: Id


class PanelistMove(Payload):
    panelist_id: Id
    position: Int


class SegmentFields(Payload):
    """``segment:add``: a segment (kind, title and minutes needed); ``position`` 0-based, null:
    the end."""

    kind: str | None = Field(None, max_length=40)
    title: _Text | None = None
    minutes: _Minutes | None = None
    panelist_id: Id | None = None
    key_question_id: Id | None = None
    auto_advance: bool | None = None
    skip: bool | None = None
    notes: _Text | None = None
    position: Int | None = None


class SegmentUpdate(Payload):
    """``segment:update``: the fields sent change (null ``panelist_id``/``key_question_id``: none)."""

    segment_id: Id
    kind: str | None = Field(None, max_length=40)
    title: _Text | None = None
    minutes: _Minutes | None = None
    panelist_id: Id | None = None
    key_question_id: Id | None = None
    auto_advance: bool | None = None
    skip: bool | None = None
    notes: _Text | None = None


class SegmentMove(Payload):
    segment_id: Id
    position: Int


class KeyQuestionAdd(Payload):
    """``key-question:add``: the question and its sub-questions (the prompts stepped through)."""

    text: _Text
    prompts: Annotated[list[_Text], Field(max_length=30)] = Field(default_factory=list)


class KeyQuestionUpdate(Payload):
    """``key-question:update``: the fields sent change (``prompts`` replaced as a whole)."""

    key_question_id: Id
    text: _Text | None = None
    prompts: Annotated[list[_Text], Field(max_length=30)] | None = None


class KeyQuestionRef(Payload):
    key_question_id: Id
