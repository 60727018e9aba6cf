"""What the projector shows, switched from moderator consoles."""
from ...services import scene
from ..messages import SCENE
from ..outcome import Outcome


def on_prompt_show(session, event, data, conn, now):
    """Console -> server ``prompt:show``: the projector shows this key-question prompt."""
    scene.show_prompt(session, event, data.prompt_id)
    return Outcome(parts={SCENE})


def on_scene_set(session, event, data, conn, now):
    """Console -> server ``scene:set``: switch what the projector shows."""
    scene.set_scene(event, data.scene)
    return Outcome(parts={SCENE})
