"""Socket.IO test clients for unit tests (Flask-SocketIO's test client)."""
import time

from forum_live.protocol.registry import ACTIONS


class Actor:
    """A Socket.IO test client in one namespace, with helpers to call and read events."""

    def __init__(self, app, namespace, auth):
        self.namespace = namespace
        self.sio = app.extensions["socketio"].test_client(app, namespace=namespace, auth=auth)
        self._buffer = []
        self._mine = None

    def _take(self):
        """Read what arrived into the buffer, following this tab's ``mine`` on the way."""
        new = self.sio.get_received(self.namespace)
        for packet in new:
            payload = packet["args"][0] if packet["args"] else None
            if packet["name"] == "state" and isinstance(payload, dict) and "mine" in payload:
                self._mine = payload["mine"]
            elif packet["name"] == "mine":
                self._mine = payload
            elif packet["name"] == "mine_patch" and self._mine is not None:
                self._mine = apply_mine_patch(self._mine, payload)
        self._buffer += new

    def mine(self):
        """The device's own part as this tab holds it: the snapshot's, replaced by each ``mine``,
        patched by each ``mine_patch`` (what static/js/live.js does)."""
        self._take()
        return self._mine

    def call(self, event, payload=None):
        """Emit ``event`` with ``payload`` and return the ack."""
        args = () if payload is None else (payload,)
        ack = self.sio.emit(event, *args, namespace=self.namespace, callback=True)
        check_ack_shape(event, ack)
        return ack

    def received(self, name=None):
        """Take the received payloads of event ``name`` (of every event if None) off the queue."""
        self._take()
        taken = [p for p in self._buffer if name is None or p["name"] == name]
        self._buffer = [p for p in self._buffer if p not in taken]
        return [p["args"][0] for p in taken]

    def last(self, name):
        """The payload of the last ``name`` event received (takes all of them off the queue)."""
        items = self.received(name)
        assert items, f"no {name!r} event received"
        return items[-1]

    def wait_for(self, name, until=lambda payload: True, timeout=5.0):
        """Wait for a ``name`` event whose payload satisfies ``until`` (a background broadcast:
        a coalesced tally, an auto-advance, an auto-close) and return every ``name`` payload
        received up to and including it, taking them off the queue (later events stay queued).
        Fails after ``timeout`` seconds without one: a bound, not a pause."""
        end = time.monotonic() + timeout
        seen = []
        while True:
            self._take()
            kept = []
            for i, packet in enumerate(self._buffer):
                if packet["name"] != name:
                    kept.append(packet)
                    continue
                seen.append(packet["args"][0])
                if until(seen[-1]):
                    self._buffer = kept + self._buffer[i + 1:]
                    return seen
            self._buffer = kept
            assert time.monotonic() < end, f"no {name!r} event as awaited within {timeout} s (got {seen!r})"
            time.sleep(0.01)  # the test client has no blocking read: look again shortly

def check_ack_shape(event, ack) -> None:
    """A success ack carries only the fields its registry entry documents (plus ``ok`` and a
    versioned change's ``version``): every socket test checks the registry's ack shapes."""
    entry = ACTIONS.get(event) if isinstance(event, str) else None
    if entry is not None and isinstance(ack, dict) and ack.get("ok") is True:
        extra = set(ack) - {"ok", "version", *entry.ack}
        assert not extra, f"{event} acked fields its registry entry does not document: {sorted(extra)}"


def apply_mine_patch(mine: dict, patch: dict) -> dict:
    """A copy of ``mine`` with ``patch`` applied as docs/protocol.md says (``mine_patch``):
    ``votes`` {question id: upvoted}; ``ballots`` and ``answer_status`` {poll id: value}, null
    removes the entry."""
    out = {**mine, "votes": list(mine.get("votes", [])), "ballots": dict(mine.get("ballots", {})),
           "answer_status": dict(mine.get("answer_status", {}))}
    votes = set(out["votes"])
    for qid, on in (patch.get("votes") or {}).items():
        (votes.add if on else votes.discard)(int(qid))
    out["votes"] = sorted(votes)
    for key in ("ballots", "answer_status"):
        for pid, value in (patch.get(key) or {}).items():
            if value is None:
                out[key].pop(pid, None)
            else:
                out[key][pid] = value
    return out
