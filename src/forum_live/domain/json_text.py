"""JSON encoded once, sent many times: a payload part that every phone of a join receives alike is
turned into JSON text once per change and spliced into each packet (issue 16: encoding the shared
parts of the connect snapshot again for each of 1,000 phones).

``JsonText(text)`` stands in a payload for the JSON value ``text``; ``dumps`` encodes a payload
as ``json.dumps`` does, with each ``JsonText`` written as its text. Used as the Socket.IO packets'
JSON module (sockets.JsonPacket); ``loads`` is the standard library's.
"""
import json
import secrets

loads = json.loads

#: Stands for the n-th JsonText of one ``dumps`` while the rest is encoded: a JSON string of a NUL,
#: this process's random tag and n. No text of a payload holds it (a payload's strings would have to
#: carry NUL characters and guess the tag), and it is replaced only as a whole JSON string.
_TAG = secrets.token_hex(8)


class JsonText:
    """The JSON text of a value, encoded once (``JsonText.of(value)``), to be spliced by ``dumps``.
    Read-only; pickles (the Redis message queue carries payloads pickled between processes)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    @classmethod
    def of(cls, value) -> "JsonText":
        """``value`` encoded as the packets encode it (compact separators, ASCII with escapes)."""
        return cls(json.dumps(value, separators=(",", ":")))

    def value(self):
        """The value again (decoded): for code that reads a payload instead of sending it."""
        return json.loads(self.text)

    def __reduce__(self):
        return JsonText, (self.text,)

    def __eq__(self, other):
        return isinstance(other, JsonText) and other.text == self.text

    def __hash__(self):
        return hash(self.text)

    def __repr__(self):
        return f"JsonText({self.text[:40]!r}{'…' if len(self.text) > 40 else ''})"


def dumps(data, **kwargs) -> str:
    """``json.dumps(data, **kwargs)``, each ``JsonText`` in ``data`` written as its text. Raises
    TypeError, as json.dumps does, for anything else that is not JSON."""
    texts: list[str] = []

    def default(value):
        if isinstance(value, JsonText):
            texts.append(value.text)
            return f"\x00{_TAG}:{len(texts) - 1}"
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    encoded = json.dumps(data, default=default, **kwargs)
    for n, text in enumerate(texts):
        placeholder = json.dumps(f"\x00{_TAG}:{n}", ensure_ascii=kwargs.get("ensure_ascii", True))
        encoded = encoded.replace(placeholder, text, 1)
    return encoded
