"""Server -> client events: every name the server sends, who receives it and its payload model.

The payload models are TypedDicts naming the documented top-level fields (docs/protocol.md,
"Server -> client events", has each field's type and unit). ``MESSAGES`` maps each name to a
``Message``; the constants (``RUN``, ``QUESTIONS`` …) are what the broadcast code and the
actions' ``Outcome.parts`` use, so a name is written once, here.
"""
from dataclasses import dataclass
from typing import Any, TypedDict

from . import namespaces as ns


class RunPart(TypedDict, total=False):
    """``run``: the run of show and the on-air timer (instants in epoch ms, durations in ms)."""

    server_now_ms: int
    status: str  # not-started | live | ended
    current_segment_id: int | None
    segments: list[dict]
    timer: dict | None
    planned_end_ms: int | None
    projected_end_ms: int | None
    booked_end_ms: int | None
    over_booked_ms: int | None
    planned_over_booked_ms: int | None
    rehearsal: bool
    announced_start_ms: int | None
    next_segment_id: int | None
    questions_open: bool
    airtime: dict | None  # moderators and rapporteurs only (null for the others)
    plan_change: dict | None  # moderators and rapporteurs only (null for the others)


class QuestionsPart(TypedDict, total=False):
    """``questions``: the questions a role may see, the spotlight, settings and counts."""

    items: list[dict]
    highlighted_id: int | None
    dismissed_count: int
    premoderation: bool
    ms_per_question: int


class ScenePart(TypedDict):
    """``scene``: what the projector shows."""

    name: str  # timer | prompt | question | poll | join | holding | blackout
    prompt_id: int | None
    question_id: int | None
    poll_id: int | None


class AuditPart(TypedDict):
    """``audit`` (moderators only): the state version and the latest entries, newest first."""

    version: int
    entries: list[dict]  # {"seq", "actor", "source", "name", "summary", "said", "at_ms"}


class PresencePart(TypedDict):
    """``presence`` (moderators only): who is connected."""

    phones: int
    projectors: int
    stage_views: int
    previews: int
    consoles: list[dict]  # {"label", "key"}
    rapporteurs: int


class StagePart(TypedDict):
    """``stage`` (stage views and consoles): the speaker message, flash and blackout."""

    message: dict | None  # {"text", "preset", "sent_ms"}
    flash_ms: int | None
    stage_blackout: bool
    presets: list[dict]  # {"key", "text"}


class MinePart(TypedDict):
    """``mine`` (one device): its own questions, upvotes, ballots and answers' moderation."""

    questions: list[dict]
    votes: list[int]
    ballots: dict[str, Any]
    answer_status: dict[str, str]


class MinePatch(TypedDict, total=False):
    """``mine_patch`` (one device): what one action changed in its ``mine``, key by key. ``votes``:
    ``{question id: upvoted}``; ``ballots`` and ``answer_status``: ``{poll id: value}``, null
    removes the entry."""

    votes: dict[str, bool]
    ballots: dict[str, Any]
    answer_status: dict[str, str | None]


class StatePayload(TypedDict, total=False):
    """``state``: the full snapshot a client gets when it connects (the parts a role may see)."""

    server_now_ms: int
    role: str
    event: dict
    run: RunPart
    questions: QuestionsPart
    polls: list[dict]
    scene: ScenePart
    mine: MinePart
    audit: AuditPart
    presence: PresencePart
    you: dict  # moderator only: {"label", "key"}
    stage: StagePart
    summary_url: str | None
    takeaways: list[dict]
    device_token: str  # audience only


@dataclass(frozen=True)
class Message:
    """One server -> client event: ``name``, the roles that receive it, its payload model."""

    name: str
    roles: frozenset[str]
    payload: Any
    doc: str


MESSAGES: dict[str, Message] = {}


def _message(name: str, roles: tuple[str, ...], payload: Any, doc: str) -> str:
    MESSAGES[name] = Message(name, frozenset(roles), payload, doc)
    return name


_EVERYONE = (ns.AUDIENCE, ns.PROJECTOR, ns.STAGE, ns.RAPPORTEUR, ns.MODERATOR)
_SCREENS = (ns.AUDIENCE, ns.PROJECTOR, ns.STAGE, ns.MODERATOR)

STATE = _message("state", _EVERYONE, StatePayload, "the snapshot, to the connecting client")
EVENT = _message("event", _EVERYONE, dict, "the event's facts changed (panelists added by a run-of-show import)")
RUN = _message("run", _EVERYONE, RunPart, "the run of show changed")
QUESTIONS = _message("questions", _EVERYONE, QuestionsPart, "the questions changed")
POLLS = _message("polls", _SCREENS, list[dict], "the polls changed")
SCENE = _message("scene", _SCREENS, ScenePart, "the projector's scene changed")
MINE = _message("mine", (ns.AUDIENCE,), MinePart, "one device's own part changed")
MINE_PATCH = _message("mine_patch", (ns.AUDIENCE,), MinePatch, "what one action changed in a device's own part")
STAGE = _message("stage", (ns.STAGE, ns.MODERATOR), StagePart, "the stage view's cues changed")
SUMMARY_URL = _message("summary_url", _SCREENS, str | None, "the audience summary was published or withdrawn")
TAKEAWAYS = _message("takeaways", (ns.RAPPORTEUR, ns.MODERATOR), list[dict], "a takeaway was added, edited or deleted")
AUDIT = _message("audit", (ns.MODERATOR,), AuditPart, "a moderator change was recorded (the state version)")
PRESENCE = _message("presence", (ns.MODERATOR,), PresencePart, "a client connected or disconnected")
