"""Polls: phones vote and withdraw; consoles author, open, close, reveal, reset, moderate and
show them. Auto-close: the timer task (sockets/autoadvance.py, on the one process that owns the
timers) stores the close at the deadline."""


from ...domain.errors import ForumError
from ...domain.polls import wire_value
from ...services import polls, scene
from ..messages import POLLS, SCENE
from ..outcome import Outcome


def on_poll_vote(session, event, data, conn, now):
    """Phone -> server ``poll:vote``: cast or change this device's ballot in an open poll."""
    poll = polls.ballot_poll(session, event, data.poll_id)
    ballot = polls.cast_ballot(session, event, conn.device_id, data.poll_id, data.value, now, poll=poll)
    value, key = wire_value(poll.kind, ballot.value), str(data.poll_id)
    patch = {"ballots": {key: value}, "answer_status": {key: ballot.moderation}}
    return Outcome(ack={"poll_id": data.poll_id, "value": value}, parts={POLLS}, coalesce={POLLS},
                   mine_patches={conn.device_id: patch})


def on_poll_withdraw(session, event, data, conn, now):
    """Phone -> server ``poll:withdraw``: take back this device's ballot in an open poll."""
    withdrawn = polls.withdraw_ballot(session, event, conn.device_id, data.poll_id, now)
    key = str(data.poll_id)
    return Outcome(ack={"poll_id": data.poll_id, "withdrawn": withdrawn}, parts={POLLS}, coalesce={POLLS},
                   mine_patches={conn.device_id: {"ballots": {key: None}, "answer_status": {key: None}}})


def on_poll_create(session, event, data, conn, now):
    """Console -> server ``poll:create``: a new draft poll."""
    poll = polls.create_poll(session, event, data.kind, data.title, list(data.options), data.max_choices,
                             data.scale_max, data.live_results, data.duration_s)
    return Outcome(ack={"poll_id": poll.id}, parts={POLLS})


def on_poll_update(session, event, data, conn, now):
    """Console -> server ``poll:update``: edit a poll (fields left out keep their value)."""
    fields = {k: getattr(data, k) for k in data.model_fields_set if k != "poll_id"}
    for name in ("kind", "title", "options", "scale_max", "live_results"):
        if name in fields and fields[name] is None:
            raise ForumError("invalid_payload", f"{name}: cannot be null.")
    if "options" in fields:
        fields["options"] = list(fields["options"])
    polls.update_poll(session, event, data.poll_id, **fields)
    return Outcome(parts={POLLS})


def on_poll_delete(session, event, data, conn, now):
    """Console -> server ``poll:delete``: delete a draft poll without ballots."""
    polls.delete_poll(session, event, data.poll_id)
    return Outcome(parts={POLLS, SCENE})


def on_poll_open(session, event, data, conn, now):
    """Console -> server ``poll:open`` (also reopens a closed poll)."""
    polls.open_poll(session, event, data.poll_id, now)
    return Outcome(parts={POLLS, SCENE})


def on_poll_close(session, event, data, conn, now):
    """Console -> server ``poll:close``."""
    polls.close_poll(session, event, data.poll_id, now)
    return Outcome(parts={POLLS})


def on_poll_reveal(session, event, data, conn, now):
    """Console -> server ``poll:reveal``: show or hide results to phones and the projector."""
    polls.reveal_poll(session, event, data.poll_id, data.revealed)
    return Outcome(parts={POLLS, SCENE})


def on_poll_reset(session, event, data, conn, now):
    """Console -> server ``poll:reset``: delete every ballot (needs ``confirm: true``)."""
    devices = polls.reset_poll(session, event, data.poll_id, data.confirm)
    return Outcome(ack={"deleted": len(devices)}, parts={POLLS, SCENE}, devices=set(devices))


def on_answer_moderate(session, event, data, conn, now):
    """Console -> server ``poll:answer``: approve or reject an open-text answer."""
    ballot = polls.moderate_answer(session, event, data.ballot_id, data.action)
    return Outcome(parts={POLLS}, devices={ballot.device_id})


def on_poll_show(session, event, data, conn, now):
    """Console -> server ``poll:show``: the projector shows this poll."""
    scene.show_poll(session, event, data.poll_id)
    return Outcome(parts={SCENE})
