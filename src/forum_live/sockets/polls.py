"""Polls: phones vote; consoles open, close, reveal and show them."""
from ..services import polls, scene
from . import schemas
from .broadcast import POLLS, SCENE
from .handling import Outcome, action


@action(schemas.PollVote)
def on_poll_vote(session, event, data, conn, now):
    """Phone -> server ``poll:vote``: cast or change this device's ballot in an open poll."""
    ballot = polls.cast_ballot(session, event, conn.device_id, data.poll_id, data.value, now)
    value = ballot.value if isinstance(data.value, str) else data.value
    return Outcome(ack={"poll_id": data.poll_id, "value": value}, parts={POLLS}, devices={conn.device_id},
                   coalesce={POLLS})


@action(schemas.PollRef)
def on_poll_open(session, event, data, conn, now):
    """Console -> server ``poll:open``."""
    polls.open_poll(session, event, data.poll_id)
    return Outcome(parts={POLLS, SCENE})


@action(schemas.PollRef)
def on_poll_close(session, event, data, conn, now):
    """Console -> server ``poll:close``."""
    polls.close_poll(session, event, data.poll_id)
    return Outcome(parts={POLLS})


@action(schemas.PollReveal)
def on_poll_reveal(session, event, data, conn, now):
    """Console -> server ``poll:reveal``: show or hide results to phones and the projector."""
    polls.reveal_poll(session, event, data.poll_id, data.revealed)
    return Outcome(parts={POLLS, SCENE})


@action(schemas.PollRef)
def on_poll_show(session, event, data, conn, now):
    """Console -> server ``poll:show``: the projector shows this poll."""
    scene.show_poll(session, event, data.poll_id)
    return Outcome(parts={SCENE})


AUDIENCE = {"poll:vote": on_poll_vote}
MODERATOR = {"poll:open": on_poll_open, "poll:close": on_poll_close, "poll:reveal": on_poll_reveal,
             "poll:show": on_poll_show}
