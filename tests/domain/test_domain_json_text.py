"""JSON encoded once and spliced into each packet (domain/json_text.py, sockets.JsonPacket)."""
import json
import pickle

import pytest

from forum_live.domain import json_text
from forum_live.domain.json_text import JsonText
from forum_live.sockets import JsonPacket

PART = {"questions": [{"id": 1, "text": "Qu’est-ce que «décent»?", "votes": 3}], "empty": [], "none": None}


def test_spliced_text_decodes_to_the_value_it_was_made_of():
    payload = ["state", {"mine": {"votes": [1]}, "questions": JsonText.of(PART), "polls": JsonText.of([1, "two"]),
                         "nested": [JsonText.of({"a": "b"}), JsonText.of(None)]}]
    text = json_text.dumps(payload, separators=(",", ":"))
    assert json.loads(text) == ["state", {"mine": {"votes": [1]}, "questions": PART, "polls": [1, "two"],
                                          "nested": [{"a": "b"}, None]}]
    assert "\\u0000" not in text


def test_text_that_looks_like_a_placeholder_is_left_as_it_is():
    tricky = ["\x00:0", "\x00" + "0" * 16 + ":0", '"\\u0000', "JsonText"]
    text = json_text.dumps({"asked": tricky, "part": JsonText.of({"ok": True})})
    assert json.loads(text) == {"asked": tricky, "part": {"ok": True}}


def test_anything_else_that_is_not_json_is_refused_as_json_refuses_it():
    with pytest.raises(TypeError, match="object is not JSON serializable|not JSON serializable"):
        json_text.dumps({"x": object()})


def test_json_text_pickles_for_the_message_queue_and_reads_back():
    part = JsonText.of(PART)
    again = pickle.loads(pickle.dumps({"questions": part}))["questions"]
    assert again == part and again.text == part.text and again.value() == PART


def test_the_packets_splice_it_and_send_plain_json():
    packet = JsonPacket(data=["state", {"questions": JsonText.of(PART)}], namespace="/audience")
    encoded = packet.encode()
    assert encoded.startswith("2/audience,")
    assert json.loads(encoded[len("2/audience,"):]) == ["state", {"questions": PART}]
    assert JsonPacket(encoded_packet=encoded).data == ["state", {"questions": PART}]
