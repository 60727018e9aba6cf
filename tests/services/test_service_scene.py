"""What the projector shows: scenes, prompts and polls chosen for it."""
import pytest

from forum_live.domain.errors import ForumError
from forum_live.services import scene


@pytest.mark.parametrize("name", ["timer", "join"])
def test_scenes_that_need_no_choice_can_be_set_at_once(session, event, name):
    scene.set_scene(event, name)
    assert event.scene == name


@pytest.mark.parametrize(("name", "code"), [
    ("prompt", "invalid_state"), ("question", "invalid_state"), ("poll", "invalid_state"),
    ("karaoke", "invalid_payload")])
def test_scene_without_its_choice_or_unknown_is_refused(session, event, name, code):
    with pytest.raises(ForumError) as err:
        scene.set_scene(event, name)
    assert err.value.code == code
    assert event.scene == "timer"


def test_show_prompt_then_back_to_it_by_name(session, event):
    prompt = event.key_questions[1].prompts[2]
    scene.show_prompt(session, event, prompt.id)
    assert (event.scene, event.scene_prompt_id) == ("prompt", prompt.id)
    scene.set_scene(event, "timer")
    scene.set_scene(event, "prompt")
    assert (event.scene, event.scene_prompt_id) == ("prompt", prompt.id)


def test_show_poll_chooses_it_even_as_a_draft(session, event):
    scene.show_poll(session, event, event.polls[2].id)
    assert (event.scene, event.scene_poll_id) == ("poll", event.polls[2].id)


@pytest.mark.parametrize("operation", ["show_prompt", "show_poll"])
def test_showing_an_unknown_id_is_not_found(session, event, operation):
    with pytest.raises(ForumError) as err:
        getattr(scene, operation)(session, event, 10_000)
    assert err.value.code == "not_found"
