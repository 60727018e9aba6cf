"""The event editor's events (``/moderate/edit``), sent by a moderator's editor page on its
console connection: versioned and audited like every console command, broadcast at once (a
fixed name or a future segment shows on every screen). The rules are services/editor.py's."""
from ...services import editor
from ..messages import EVENT, QUESTIONS, RUN, SCENE
from ..outcome import Outcome


def _sent(data, *leave_out: str) -> dict:
    """The fields the client sent (fields left out keep their value), without ``leave_out``."""
    return {k: getattr(data, k) for k in data.model_fields_set if k not in leave_out}


def _edited(changed: list[str], parts: set[str], ack: dict, audit: dict) -> Outcome:
    """The outcome of an edit: a Save that changed nothing is acked but neither recorded in the
    activity log nor broadcast (a replay, in Outcome's terms)."""
    if not changed:
        return Outcome(ack=ack, replay=True)
    return Outcome(parts=parts, ack=ack, audit=audit)


def on_editor_load(session, event, data, conn, now):
    """Editor -> server ``editor:load``: what the editor shows (a read: ack ``editor``)."""
    return Outcome(ack={"editor": editor.editor_view(event)})


def on_event_edit(session, event, data, conn, now):
    """Editor -> server ``event:edit``: the event's title, subtitle, venue, time zone, start,
    booked end, organisers, themes, moderator (the fields sent)."""
    changed = editor.edit_event(event, _sent(data))
    return _edited(changed, {EVENT, RUN}, {"changed": changed}, {"changed": changed})


def on_panelist_add(session, event, data, conn, now):
    """Editor -> server ``panelist:add``: a panelist at the end of the list."""
    row = editor.add_panelist(session, event, _sent(data))
    return Outcome(parts={EVENT, RUN}, ack={"panelist_id": row.id}, audit={"panelist_id": row.id, "name": row.name})


def on_panelist_update(session, event, data, conn, now):
    """Editor -> server ``panelist:update``: a panelist's name, role, organisation, talk title."""
    changed = editor.update_panelist(event, data.panelist_id, _sent(data, "panelist_id"))
    # The run too: the phones and the stage view name the speaker from it.
    return _edited(changed, {EVENT, RUN}, {"changed": changed}, {"panelist_id": data.panelist_id, "changed": changed})


def on_panelist_remove(session, event, data, conn, now):
    """Editor -> server ``panelist:remove``: refused for the speaker on air and one who has spoken."""
    name = editor.remove_panelist(session, event, data.panelist_id)
    return Outcome(parts={EVENT, RUN, QUESTIONS}, audit={"panelist_id": data.panelist_id, "name": name})


def on_panelist_move(session, event, data, conn, now):
    """Editor -> server ``panelist:move``: a panelist to another place in the list."""
    editor.move_panelist(event, data.panelist_id, data.position)
    return Outcome(parts={EVENT, RUN})


def on_segment_add(session, event, data, conn, now):
    """Editor -> server ``segment:add``: a segment of the run of show, after those run or on air."""
    row = editor.add_segment(session, event, _sent(data, "position"), data.position, now)
    return Outcome(parts={RUN}, ack={"segment_id": row.id}, audit={"segment_id": row.id, "title": row.title})


def on_segment_update(session, event, data, conn, now):
    """Editor -> server ``segment:update``: a segment's fields; the on-air one's length acts as
    +/- time."""
    result = editor.update_segment(event, data.segment_id, _sent(data, "segment_id"), now)
    return _edited(result["changed"], {RUN}, result, {"segment_id": data.segment_id, **result})


def on_segment_remove(session, event, data, conn, now):
    """Editor -> server ``segment:remove``: refused for the segment on air and those that have run."""
    title = editor.remove_segment(session, event, data.segment_id)
    return Outcome(parts={RUN}, audit={"segment_id": data.segment_id, "title": title})


def on_segment_move(session, event, data, conn, now):
    """Editor -> server ``segment:move``: a segment to come to another place."""
    editor.move_segment(event, data.segment_id, data.position)
    return Outcome(parts={RUN})


def on_key_question_add(session, event, data, conn, now):
    """Editor -> server ``key-question:add``: a key question with its sub-questions."""
    row = editor.add_key_question(session, event, data.text, list(data.prompts))
    return Outcome(parts={EVENT}, ack={"key_question_id": row.id}, audit={"key_question_id": row.id, "text": row.text})


def on_key_question_update(session, event, data, conn, now):
    """Editor -> server ``key-question:update``: a key question's text and sub-questions."""
    fields = _sent(data, "key_question_id")
    if fields.get("prompts") is not None:
        fields["prompts"] = list(fields["prompts"])
    changed = editor.update_key_question(session, event, data.key_question_id, fields)
    return _edited(changed, {EVENT, RUN, SCENE}, {"changed": changed},
                   {"key_question_id": data.key_question_id, "changed": changed})


def on_key_question_remove(session, event, data, conn, now):
    """Editor -> server ``key-question:remove``: refused for the key question on air."""
    text = editor.remove_key_question(session, event, data.key_question_id)
    return Outcome(parts={EVENT, RUN, SCENE}, audit={"key_question_id": data.key_question_id, "text": text})
