"""The registry of client -> server events: every event declared once, here.

Each ``Action`` names the event, the roles that may send it (``audience``, ``moderator``,
``rapporteur``, and ``api`` for the HTTP control API; the projector and stage views send none),
its payload schema (protocol/schemas.py), the function that runs it (protocol/actions/), whether
it is a read (changes nothing: no audit entry, no version bump, no broadcast), the fields of its
ack besides ``ok`` (and ``version``, which every versioned moderator change acks), and the
sentence the audit trail shows for it (services/audit_text.py).

Everything that needs an event name reads it from here: sockets/ binds each entry to its roles'
namespaces, web/api.py's actions run entries, the audit trail takes the sentence and the
"not a show change" list from the entries, and the tests check docs/protocol.md, static/js/ and
the permission matrix against it. ``clock:ping`` (any namespace, no database) is the one event
that is not an action. Server -> client names are in protocol/messages.py.

To add an event: write its schema, its action function, add an entry below, document it in
docs/protocol.md, and add its row to tests/test_permission_matrix.py.
"""
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from ..services import audit_text as said
from . import schemas
from .actions import editor, polls, questions, scenes, stage, summary, takeaways, timer
from .namespaces import API, AUDIENCE, MODERATOR, PROJECTOR, RAPPORTEUR, STAGE


@dataclass(frozen=True)
class Action:
    """One client -> server event. ``fn(session, event, data, conn, now) -> Outcome | None``
    runs it (``data``: the validated ``schema``); ``ack``: the ack's fields besides ``ok`` (and
    ``version``); ``describe``: the audit sentence (None: the name and payload are shown);
    ``show_change``: False for actions that note the show rather than change it (takeaways),
    which never make a colleague's command stale; ``api``: the control API's names for it
    (``POST /api/v1/<name>``), given exactly when ``roles`` has ``api``; ``batched``: an
    audience storm action whose requests arriving together share one transaction and one
    broadcast (protocol/batching.py, whose rules such an action keeps)."""

    name: str
    roles: frozenset[str]
    schema: type[BaseModel]
    fn: Callable
    doc: str
    read: bool = False
    ack: tuple[str, ...] = ()
    describe: Callable | None = None
    show_change: bool = True
    api: tuple[str, ...] = ()
    batched: bool = False

    @property
    def audited(self) -> bool:
        """True if the action goes into the audit trail: every change by a moderator, the
        control API or the rapporteur (reads and the audience's actions never do)."""
        return not self.read and AUDIENCE not in self.roles


_A, _M, _MA, _MR = (AUDIENCE,), (MODERATOR,), (MODERATOR, API), (MODERATOR, RAPPORTEUR)


def _entries(*rows: tuple) -> dict[str, Action]:
    out = {}
    for name, roles, schema, fn, doc, *options in rows:
        if name in out:
            raise ValueError(f"{name} is declared twice")
        entry = out[name] = Action(name, frozenset(roles), schema, fn, doc, **(options[0] if options else {}))
        if (API in entry.roles) != bool(entry.api):
            raise ValueError(f"{name}: a control-API action has the api role and its API names, or neither")
        if entry.batched and entry.roles != frozenset(_A):
            raise ValueError(f"{name}: only audience actions are batched (never versioned or audited)")
        if entry.audited and entry.describe is None:
            raise ValueError(f"{name}: an audited action needs its sentence (services/audit_text.py)")
    return out


#: Every client -> server action, by name.
ACTIONS: dict[str, Action] = _entries(
    # The run of show and the timer (protocol/actions/timer.py).
    ("timer:start", _MA, schemas.Empty, timer.on_timer_start, "start the show or the on-air segment, or resume it",
     {"api": ("start",), "describe": said.started}),
    ("timer:pause", _MA, schemas.Empty, timer.on_timer_pause, "pause the on-air segment",
     {"api": ("pause",), "describe": said.paused}),
    ("timer:next", _MA, schemas.Next, timer.on_timer_next, "the next segment goes on air, or the show ends",
     {"api": ("next",), "describe": said.stepped_next}),
    ("timer:previous", _MA, schemas.Step, timer.on_timer_previous, "back one segment, paused",
     {"api": ("previous",), "describe": said.stepped_back}),
    ("timer:goto", _M, schemas.SegmentRef, timer.on_timer_goto, "put a segment on air and start it",
     {"describe": said.went_to}),
    ("timer:adjust", _MA, schemas.Adjust, timer.on_timer_adjust, "add or remove time on the on-air segment",
     {"api": ("adjust",), "describe": said.adjusted}),
    ("segment:skip", _M, schemas.SegmentSkip, timer.on_segment_skip, "skip a segment to come, or bring it back",
     {"describe": said.skipped}),
    ("segment:auto", _M, schemas.SegmentAuto, timer.on_segment_auto, "auto-advance at a segment's deadline",
     {"describe": said.auto_advance}),
    ("plan:preview", _M, schemas.Strategy, timer.on_plan_preview, "what a rebalancing strategy would do",
     {"read": True, "ack": ("preview",)}),
    ("plan:apply", _M, schemas.Strategy, timer.on_plan_apply, "apply a rebalancing strategy (undoable)",
     {"ack": ("applied",), "describe": said.rebalanced}),
    ("plan:undo", _M, schemas.Empty, timer.on_plan_undo, "give back the time the last plan change took",
     {"describe": said.rebalance_undone}),
    ("run:reset", _M, schemas.Confirm, timer.on_run_reset, "forget a rehearsal's times",
     {"describe": said.run_reset}),
    ("run:import", _M, schemas.RunImport, timer.on_run_import,
     "replace the run of show with a spreadsheet's rows, before the show", {"ack": ("segments",),
                                                                            "describe": said.run_imported}),
    ("speaker:set", _M, schemas.Speaker, timer.on_speaker_set, "now speaking, on the segment on air",
     {"describe": said.now_speaking}),
    # The event editor (actions/editor.py): the event, panelists, run of show, key questions.
    ("editor:load", _M, schemas.Empty, editor.on_editor_load, "what the event editor shows",
     {"read": True, "ack": ("editor",)}),
    ("event:edit", _M, schemas.EventEdit, editor.on_event_edit, "edit the event's facts and moderator",
     {"ack": ("changed",), "describe": said.event_edited}),
    ("panelist:add", _M, schemas.PanelistFields, editor.on_panelist_add, "add a panelist",
     {"ack": ("panelist_id",), "describe": said.panelist_added}),
    ("panelist:update", _M, schemas.PanelistUpdate, editor.on_panelist_update, "edit a panelist",
     {"ack": ("changed",), "describe": said.panelist_updated}),
    ("panelist:remove", _M, schemas.PanelistRef, editor.on_panelist_remove, "remove a panelist",
     {"describe": said.panelist_removed}),
    ("panelist:move", _M, schemas.PanelistMove, editor.on_panelist_move, "reorder the panelists",
     {"describe": said.panelist_moved}),
    ("segment:add", _M, schemas.SegmentFields, editor.on_segment_add, "add a segment to the run of show",
     {"ack": ("segment_id",), "describe": said.segment_added}),
    ("segment:update", _M, schemas.SegmentUpdate, editor.on_segment_update,
     "edit a segment (the on-air one's length acts as +/- time)",
     {"ack": ("changed", "adjust_ms"), "describe": said.segment_updated}),
    ("segment:remove", _M, schemas.SegmentRef, editor.on_segment_remove,
     "remove a segment to come (never the one on air)", {"describe": said.segment_removed}),
    ("segment:move", _M, schemas.SegmentMove, editor.on_segment_move, "reorder the segments to come",
     {"describe": said.segment_moved}),
    ("key-question:add", _M, schemas.KeyQuestionAdd, editor.on_key_question_add,
     "add a key question with its sub-questions", {"ack": ("key_question_id",), "describe": said.key_question_added}),
    ("key-question:update", _M, schemas.KeyQuestionUpdate, editor.on_key_question_update,
     "edit a key question and its sub-questions", {"ack": ("changed",), "describe": said.key_question_updated}),
    ("key-question:remove", _M, schemas.KeyQuestionRef, editor.on_key_question_remove,
     "remove a key question (never the one on air)", {"describe": said.key_question_removed}),
    # Prompts, the projector's scene, the stage view (actions/stage.py, actions/scenes.py).
    ("prompt:next", _M, schemas.Empty, stage.on_prompt_next, "the next prompt of the key question",
     {"describe": said.prompt_next}),
    ("prompt:previous", _M, schemas.Empty, stage.on_prompt_previous, "the previous prompt",
     {"describe": said.prompt_previous}),
    ("prompt:show", _M, schemas.PromptRef, scenes.on_prompt_show, "the projector shows a prompt",
     {"describe": said.prompt_shown}),
    ("scene:set", _MA, schemas.SceneSet, scenes.on_scene_set, "switch what the projector shows",
     {"api": ("blackout", "scene"), "describe": said.scene_set}),
    ("stage:message", _M, schemas.StageMessage, stage.on_stage_message, "a message on the stage view",
     {"describe": said.stage_message}),
    ("stage:clear", _M, schemas.Empty, stage.on_stage_clear, "take the stage message off",
     {"describe": said.stage_cleared}),
    ("stage:flash", _M, schemas.Empty, stage.on_stage_flash, "flash the stage view", {"describe": said.stage_flashed}),
    ("stage:blackout", _M, schemas.Blackout, stage.on_stage_blackout, "black out the stage view, or not",
     {"describe": said.stage_blackout}),
    # Audience questions (actions/questions.py).
    ("question:submit", _A, schemas.QuestionSubmit, questions.on_question_submit, "a phone asks a question",
     {"ack": ("question", "duplicate")}),
    ("question:upvote", _A, schemas.QuestionUpvote, questions.on_question_upvote, "a phone's upvote on or off",
     {"ack": ("question_id", "counted_for", "on", "duplicate", "client_id", "votes"), "batched": True}),
    ("question:withdraw", _A, schemas.QuestionRef, questions.on_question_withdraw, "the asker takes a question back",
     {"ack": ("question",)}),
    ("question:similar", _A, schemas.SimilarText, questions.on_question_similar, "shown questions like a text",
     {"ack": ("items",)}),
    ("question:moderate", _M, schemas.QuestionModerate, questions.on_question_moderate,
     "approve, reject, archive or mark answered", {"describe": said.question_moderated}),
    ("question:highlight", _M, schemas.QuestionHighlight, questions.on_question_highlight,
     "spotlight a question on the projector", {"describe": said.question_highlighted}),
    ("question:edit", _M, schemas.QuestionEditText, questions.on_question_edit, "correct a question's text",
     {"ack": ("text",), "describe": said.question_edited}),
    ("question:merge", _M, schemas.QuestionMerge, questions.on_question_merge, "merge a question into another",
     {"describe": said.question_merged}),
    ("question:candidates", _M, schemas.QuestionRef, questions.on_question_candidates,
     "questions similar to one, to merge with", {"read": True, "ack": ("items",)}),
    ("question:queue", _M, schemas.QuestionQueue, questions.on_question_queue, "the up-next queue: put, move, take out",
     {"describe": said.question_queued}),
    ("question:next", _M, schemas.Empty, questions.on_question_next, "spotlight the head of the up-next queue",
     {"ack": ("question_id",), "describe": said.question_next}),
    ("questions:settings", _M, schemas.QuestionSettings, questions.on_questions_settings,
     "pre-moderation, time per question", {"describe": said.questions_settings}),
    ("questions:follow-up", _M, schemas.FollowUp, questions.on_questions_follow_up,
     "after the show: keep questions open, or close them", {"describe": said.questions_follow_up}),
    # Polls (actions/polls.py).
    ("poll:vote", _A, schemas.PollVote, polls.on_poll_vote, "cast or change a phone's ballot",
     {"ack": ("poll_id", "value"), "batched": True}),
    ("poll:withdraw", _A, schemas.PollRef, polls.on_poll_withdraw, "take back a phone's ballot",
     {"ack": ("poll_id", "withdrawn")}),
    ("poll:create", _M, schemas.PollCreate, polls.on_poll_create, "a new draft poll",
     {"ack": ("poll_id",), "describe": said.poll_created}),
    ("poll:update", _M, schemas.PollUpdate, polls.on_poll_update, "edit a poll", {"describe": said.poll_updated}),
    ("poll:delete", _M, schemas.PollRef, polls.on_poll_delete, "delete a draft poll without ballots",
     {"describe": said.poll_deleted}),
    ("poll:open", _M, schemas.PollRef, polls.on_poll_open, "open (or reopen) a poll", {"describe": said.poll_opened}),
    ("poll:close", _M, schemas.PollRef, polls.on_poll_close, "close a poll", {"describe": said.poll_closed}),
    ("poll:reveal", _M, schemas.PollReveal, polls.on_poll_reveal, "show or hide a poll's results",
     {"describe": said.poll_revealed}),
    ("poll:reset", _M, schemas.PollReset, polls.on_poll_reset, "delete every ballot of a poll",
     {"ack": ("deleted",), "describe": said.poll_reset}),
    ("poll:answer", _M, schemas.AnswerModerate, polls.on_answer_moderate, "approve or reject an open-text answer",
     {"describe": said.poll_answer_moderated}),
    ("poll:show", _M, schemas.PollRef, polls.on_poll_show, "the projector shows a poll", {"describe": said.poll_shown}),
    # The audience summary and takeaways (actions/summary.py, actions/takeaways.py).
    ("summary:publish", _M, schemas.SummaryPublish, summary.on_summary_publish, "publish or withdraw the summary",
     {"describe": said.summary_published}),
    ("takeaway:add", _MR, schemas.TakeawayAdd, takeaways.on_takeaway_add, "note a takeaway",
     {"ack": ("takeaway", "duplicate"), "describe": said.takeaway_added, "show_change": False}),
    ("takeaway:edit", _MR, schemas.TakeawayEdit, takeaways.on_takeaway_edit, "change or re-tag a takeaway",
     {"ack": ("takeaway",), "describe": said.takeaway_edited, "show_change": False}),
    ("takeaway:delete", _MR, schemas.TakeawayRef, takeaways.on_takeaway_delete, "delete a takeaway",
     {"ack": ("takeaway_id",), "describe": said.takeaway_deleted, "show_change": False}),
)

#: Clock sync, from any Socket.IO namespace: acks ``{"ok": true, "server_ms"}``; not an action.
CLOCK_PING = "clock:ping"
CLOCK_PING_ROLES = frozenset((AUDIENCE, PROJECTOR, STAGE, RAPPORTEUR, MODERATOR))

#: Audited actions that note the show rather than change it (services.audit.check_version).
NOT_SHOW_CHANGES = tuple(name for name, entry in ACTIONS.items() if not entry.show_change)


def for_role(role: str) -> dict[str, Action]:
    """The actions ``role`` may send, by name (``role``: one of protocol.namespaces.ROLES)."""
    return {name: entry for name, entry in ACTIONS.items() if role in entry.roles}


def event_names() -> frozenset[str]:
    """Every client -> server event name: the actions and ``clock:ping``."""
    return frozenset({*ACTIONS, CLOCK_PING})
