"""What the projector shows: the scene and the key-question prompt on it."""
from sqlalchemy.orm import Session

from ..domain.errors import ForumError
from ..persistence.models import Event, KeyQuestion, Prompt
from .polls import get_poll

#: Projector scenes. ``holding``: the event title and organisers (before, between, after);
#: ``blackout``: nothing at all (the lights of the room are on the stage).
SCENES = ("timer", "prompt", "question", "poll", "join", "holding", "blackout")


def set_scene(event: Event, scene: str) -> None:
    """Switch the projector to ``scene`` (one of SCENES); raises ForumError(invalid_payload)
    for an unknown scene and invalid_state for a scene with nothing chosen to show."""
    if scene not in SCENES:
        raise ForumError("invalid_payload", f"Unknown scene {scene!r}; one of {', '.join(SCENES)}.")
    needs = {"prompt": event.scene_prompt_id, "question": event.highlighted_question_id,
             "poll": event.scene_poll_id}
    if scene in needs and needs[scene] is None:
        raise ForumError("invalid_state", f"Choose a {scene} to show first.")
    event.scene = scene


def show_prompt(session: Session, event: Event, prompt_id: int) -> None:
    """Put key-question prompt ``prompt_id`` on the projector; raises ForumError(not_found)."""
    prompt = session.get(Prompt, prompt_id)
    if prompt is None or session.get(KeyQuestion, prompt.key_question_id).event_id != event.id:
        raise ForumError("not_found", f"No prompt {prompt_id}.")
    event.scene_prompt_id = prompt.id
    event.scene = "prompt"


def show_poll(session: Session, event: Event, poll_id: int) -> None:
    """Choose the poll the projector's poll scene shows, and switch to it."""
    event.scene_poll_id = get_poll(session, event, poll_id).id
    event.scene = "poll"
