"""The stored facts of an event. State is derived from these (timer from instants, tallies from
ballots), never stored twice."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .types import UTCDateTime


class Base(DeclarativeBase):
    """Declarative base of every forum-live table."""


class Event(Base):
    """One panel session: its plan, and what is on air and on the projector."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    scheduled_start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booked_end_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moderator_name: Mapped[str] = mapped_column(String(120))
    moderator_title: Mapped[str] = mapped_column(String(200), default="")
    organisers: Mapped[list] = mapped_column(JSON, default=list)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What is on air: the segment whose clock runs (None before and after the show).
    current_segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", use_alter=True))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the projector shows: timer | prompt | question | poll | join | holding | blackout.
    scene: Mapped[str] = mapped_column(String(16), default="timer")
    scene_prompt_id: Mapped[int | None] = mapped_column(ForeignKey("prompt.id", use_alter=True))
    scene_poll_id: Mapped[int | None] = mapped_column(ForeignKey("poll.id", use_alter=True))
    highlighted_question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", use_alter=True))
    # Audience questions: pre-moderation (on: every question waits for approval) and the time
    # the moderator allows per question (for the "about N fit in the time left" estimate).
    # When the moderator published the audience summary (/e/<code>/summary); None: not published.
    summary_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    premoderation: Mapped[bool] = mapped_column(Boolean, default=True)
    ms_per_question: Mapped[int] = mapped_column(Integer, default=180_000)
    # After the end of the show the audience's questions are closed, unless the moderator kept
    # them open for follow-up (chosen when ending the show, changeable while it is over).
    questions_open_after_end: Mapped[bool] = mapped_column(Boolean, default=False)
    # Moves (in the same transaction) with every change of what the public parts show: the
    # questions, polls, scene and summary every phone and projector get. A process's shared copy
    # of those parts (services/public_state.py) is used only while it was built at this version.
    public_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The projector's and stage view's language (forum_live.i18n.SCREEN_LANGUAGES), from the event file.
    screen_language: Mapped[str] = mapped_column(String(8), default="en")
    # The most phones (distinct audience devices, every process counted) connected at once, and
    # when that was first reached (revision 0007; services.participation.record_peak).
    peak_connected: Mapped[int] = mapped_column(Integer, default=0)
    peak_connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Several events on one server (revision 0009): the room it runs in (free text, "" for none;
    # the organiser's page filters by it), when the organiser archived it (None: not archived),
    # and the hex SHA-256 of its own moderator token (None: the server's moderator token, as for
    # the event loaded at start; an event made on /admin gets its own).
    room: Mapped[str] = mapped_column(String(100), default="", server_default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moderator_digest: Mapped[str | None] = mapped_column(String(64))

    panelists: Mapped[list["Panelist"]] = relationship(order_by="Panelist.position", foreign_keys="Panelist.event_id")
    segments: Mapped[list["Segment"]] = relationship(order_by="Segment.position", foreign_keys="Segment.event_id")
    key_questions: Mapped[list["KeyQuestion"]] = relationship(order_by="KeyQuestion.position")
    polls: Mapped[list["Poll"]] = relationship(order_by="Poll.position", foreign_keys="Poll.event_id")


class Panelist(Base):
    """A speaker on the panel."""

    __tablename__ = "panelist"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    talk_title: Mapped[str] = mapped_column(String(200), default="")


class KeyQuestion(Base):
    """One of the moderator's key questions, split into prompts stepped through on air."""

    __tablename__ = "key_question"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    prompts: Mapped[list["Prompt"]] = relationship(order_by="Prompt.position")


class Prompt(Base):
    """A sub-question of a key question: one card of the prompt deck."""

    __tablename__ = "prompt"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_question_id: Mapped[int] = mapped_column(ForeignKey("key_question.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Segment(Base):
    """A timed segment of the run of show, with its clock's stored instants."""

    __tablename__ = "segment"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    panelist_id: Mapped[int | None] = mapped_column(ForeignKey("panelist.id"))
    key_question_id: Mapped[int | None] = mapped_column(ForeignKey("key_question.id"))
    planned_ms: Mapped[int] = mapped_column(Integer)
    wrap_up_ms: Mapped[int] = mapped_column(Integer, default=120_000)
    adjust_ms: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_total_ms: Mapped[int] = mapped_column(Integer, default=0)
    # The last time the show left this segment (next/previous); None while on air or never left.
    # A segment left and not on air is finished (skipped if it never started).
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # At its deadline the show moves on to the next segment by itself.
    auto_advance: Mapped[bool] = mapped_column(Boolean, default=False)
    # The moderator's place in this segment's key-question prompt deck (0-based).
    prompt_index: Mapped[int] = mapped_column(Integer, default=0)
    # The organiser's notes on the segment (from the event file or a spreadsheet; revision 0005).
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")


class Question(Base):
    """An audience question; ``client_id`` (made on the phone) makes a resubmission idempotent."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("event_id", "device_id", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str | None] = mapped_column(String(60))
    panelist_id: Mapped[int | None] = mapped_column(ForeignKey("panelist.id"))
    theme: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who answered it (a plain column: the timekeeping's airtime per panelist may read it).
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("panelist.id"))
    # Why it was held for moderation although pre-moderation is off, e.g. "word list: english".
    flag: Mapped[str | None] = mapped_column(String(200))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    # Place in the moderator's "up next" queue (1, 2, ...), None when not queued.
    queue_position: Mapped[int | None] = mapped_column(Integer)


class QuestionEdit(Base):
    """The audit log of moderators' edits: each edit keeps the text it replaced."""

    __tablename__ = "question_edit"
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    previous_text: Mapped[str] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
    edited_by: Mapped[str] = mapped_column(String(120), default="moderator")
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Vote(Base):
    """One device's upvote of one question."""

    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("question_id", "device_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    # Indexed: a device's own part (``mine``) reads its upvotes after each of them.
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Poll(Base):
    """A poll: single or multiple choice, rating scale, word cloud or open text.

    Its status at an instant is computed (domain.polls.effective_status): an open poll whose
    ``closes_at`` has passed is closed even if no one stored that.
    """

    __tablename__ = "poll"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    # Multiple choice: at most this many options per ballot (None: any number).
    max_choices: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Live results: phones and the projector see the tally while the poll is open.
    live_results: Mapped[bool] = mapped_column(Boolean, default=False)
    # Auto-close: seconds after opening (None: the moderator closes it).
    duration_s: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    options: Mapped[list["PollOption"]] = relationship(order_by="PollOption.position")


class PollOption(Base):
    """A choice of a single- or multiple-choice poll."""

    __tablename__ = "poll_option"
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))


class Ballot(Base):
    """One device's ballot in one poll (the unique constraint is the one-ballot rule).

    ``value`` is the stored form of domain.polls.clean_ballot; ``moderation`` is an open-text
    answer's pending | approved | rejected (None for the other kinds).
    """

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("poll_id", "device_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), index=True)
    # Indexed: a device's own part (``mine``) reads its ballots after each of them.
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    value: Mapped[str] = mapped_column(Text)
    moderation: Mapped[str | None] = mapped_column(String(16))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ModeratorAction(Base):
    """One change made by a moderator (a console or the control API): the audit trail.

    ``seq`` numbers an event's changes 1, 2, 3…; the latest is the event's state version, which
    consoles send back with their actions (a stale one is refused). The unique constraint makes
    two changes made on the same version at the same instant impossible: one of them fails.
    """

    __tablename__ = "moderator_action"
    __table_args__ = (UniqueConstraint("event_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    # Who: the label shown (``Console 2``, ``Control API``) and the stable key of that console.
    actor: Mapped[str] = mapped_column(String(60))
    actor_key: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(16))  # console | api
    # What: the action's event name, its payload, and a sentence for people.
    name: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class FloorChange(Base):
    """The moderator's "now speaking": from ``at_elapsed_ms`` of the segment's clock the floor
    is ``panelist_id``'s (None: no panelist). Airtime is computed from these (domain.airtime)."""

    __tablename__ = "floor_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id"), index=True)
    panelist_id: Mapped[int | None] = mapped_column(ForeignKey("panelist.id"))
    at_elapsed_ms: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanChange(Base):
    """An applied overrun rebalancing: ``cuts`` ({segment id (str): ms taken}) were added to the
    segments' adjustments; undoing gives them back and sets ``undone_at``."""

    __tablename__ = "plan_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    strategy: Mapped[str] = mapped_column(String(16))
    cuts: Mapped[dict] = mapped_column(JSON, default=dict)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StageCue(Base):
    """What the moderator sends to the stage view: one row per event."""

    __tablename__ = "stage_cue"
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), primary_key=True)
    message: Mapped[str | None] = mapped_column(String(200))
    message_preset: Mapped[str | None] = mapped_column(String(32))
    message_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flash_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stage_blackout: Mapped[bool] = mapped_column(Boolean, default=False)


class Takeaway(Base):
    """A learning noted during the show by a moderator or the rapporteur (up to 500 characters).

    Tagged when written with the segment on air, the panelist speaking and the segment's key
    question (each may be re-tagged or None); ``for_summary`` puts it on the audience summary.
    ``author`` is who wrote it (``Rapporteur``, ``Console 2``); edits set ``edited_at`` and are in
    the audit trail. ``client_id`` (made by the page that wrote it, like a question's) makes a
    resend after a lost ack store nothing new (revision 0003).
    """

    __tablename__ = "takeaway"
    __table_args__ = (Index("ix_takeaway_event_client", "event_id", "client_id", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id"))
    panelist_id: Mapped[int | None] = mapped_column(ForeignKey("panelist.id"))
    key_question_id: Mapped[int | None] = mapped_column(ForeignKey("key_question.id"))
    for_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeviceJoin(Base):
    """One phone (device id, as in questions, upvotes and ballots) that connected to an event,
    recorded once at its first connection (revision 0007; services.participation.record_join).
    Counted for the report's "devices that joined"; no other fact about the device is kept."""

    __tablename__ = "device_join"
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
