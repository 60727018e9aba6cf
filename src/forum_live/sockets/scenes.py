"""What the projector shows, switched from moderator consoles."""
from ..services import scene
from . import schemas
from .broadcast import SCENE
from .handling import Outcome, action


@action(schemas.PromptRef)
def on_prompt_show(session, event, data, conn, now):
    """Console -> server ``prompt:show``: the projector shows this key-question prompt."""
    scene.show_prompt(session, event, data.prompt_id)
    return Outcome(parts={SCENE})


@action(schemas.SceneSet)
def on_scene_set(session, event, data, conn, now):
    """Console -> server ``scene:set``: switch what the projector shows."""
    scene.set_scene(event, data.scene)
    return Outcome(parts={SCENE})


MODERATOR = {"prompt:show": on_prompt_show, "scene:set": on_scene_set}
