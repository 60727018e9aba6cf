"""The stage view's cues and the prompt deck, sent by moderator consoles."""
from ..services import prompts, stage
from . import schemas
from .broadcast import RUN, SCENE, STAGE
from .handling import Outcome, action


@action(schemas.StageMessage)
def on_stage_message(session, event, data, conn, now):
    """Console -> server ``stage:message``: a preset or free-text message on the stage view."""
    stage.send_message(session, event, now, text=data.text, preset=data.preset)
    return Outcome(parts={STAGE})


@action(schemas.Empty)
def on_stage_clear(session, event, data, conn, now):
    """Console -> server ``stage:clear``: take the message off the stage view."""
    stage.clear_message(session, event)
    return Outcome(parts={STAGE})


@action(schemas.Empty)
def on_stage_flash(session, event, data, conn, now):
    """Console -> server ``stage:flash``: flash the stage view."""
    stage.flash(session, event, now)
    return Outcome(parts={STAGE})


@action(schemas.Blackout)
def on_stage_blackout(session, event, data, conn, now):
    """Console -> server ``stage:blackout``: black out the stage view, or bring it back."""
    stage.set_blackout(session, event, data.on)
    return Outcome(parts={STAGE})


@action(schemas.Empty)
def on_prompt_next(session, event, data, conn, now):
    """Console -> server ``prompt:next``: the next prompt of the segment's key question."""
    prompts.step_prompt(event, 1)
    return Outcome(parts={RUN, SCENE})


@action(schemas.Empty)
def on_prompt_previous(session, event, data, conn, now):
    """Console -> server ``prompt:previous``: the previous prompt."""
    prompts.step_prompt(event, -1)
    return Outcome(parts={RUN, SCENE})


MODERATOR = {
    "stage:message": on_stage_message, "stage:clear": on_stage_clear, "stage:flash": on_stage_flash,
    "stage:blackout": on_stage_blackout, "prompt:next": on_prompt_next, "prompt:previous": on_prompt_previous,
}
