"""The stage view's cues and the prompt deck, sent by moderator consoles."""
from ...services import prompts, stage
from ..messages import RUN, SCENE, STAGE
from ..outcome import Outcome


def on_stage_message(session, event, data, conn, now):
    """Console -> server ``stage:message``: a preset or free-text message on the stage view."""
    stage.send_message(session, event, now, text=data.text, preset=data.preset)
    return Outcome(parts={STAGE})


def on_stage_clear(session, event, data, conn, now):
    """Console -> server ``stage:clear``: take the message off the stage view."""
    stage.clear_message(session, event)
    return Outcome(parts={STAGE})


def on_stage_flash(session, event, data, conn, now):
    """Console -> server ``stage:flash``: flash the stage view."""
    stage.flash(session, event, now)
    return Outcome(parts={STAGE})


def on_stage_blackout(session, event, data, conn, now):
    """Console -> server ``stage:blackout``: black out the stage view, or bring it back."""
    stage.set_blackout(session, event, data.on)
    return Outcome(parts={STAGE})


def on_prompt_next(session, event, data, conn, now):
    """Console -> server ``prompt:next``: the next prompt of the segment's key question."""
    prompts.step_prompt(event, 1)
    return Outcome(parts={RUN, SCENE})


def on_prompt_previous(session, event, data, conn, now):
    """Console -> server ``prompt:previous``: the previous prompt."""
    prompts.step_prompt(event, -1)
    return Outcome(parts={RUN, SCENE})
