"""Socket.IO test clients for unit tests (Flask-SocketIO's test client)."""
from forum_live.protocol.registry import ACTIONS


class Actor:
    """A Socket.IO test client in one namespace, with helpers to call and read events."""

    def __init__(self, app, namespace, auth):
        self.namespace = namespace
        self.sio = app.extensions["socketio"].test_client(app, namespace=namespace, auth=auth)
        self._buffer = []

    def call(self, event, payload=None):
        """Emit ``event`` with ``payload`` and return the ack."""
        args = () if payload is None else (payload,)
        ack = self.sio.emit(event, *args, namespace=self.namespace, callback=True)
        check_ack_shape(event, ack)
        return ack

    def received(self, name=None):
        """Take the received payloads of event ``name`` (of every event if None) off the queue."""
        self._buffer += self.sio.get_received(self.namespace)
        taken = [p for p in self._buffer if name is None or p["name"] == name]
        self._buffer = [p for p in self._buffer if p not in taken]
        return [p["args"][0] for p in taken]

    def last(self, name):
        """The payload of the last ``name`` event received (takes all of them off the queue)."""
        items = self.received(name)
        assert items, f"no {name!r} event received"
        return items[-1]


def check_ack_shape(event, ack) -> None:
    """A success ack carries only the fields its registry entry documents (plus ``ok`` and a
    versioned change's ``version``): every socket test checks the registry's ack shapes."""
    entry = ACTIONS.get(event) if isinstance(event, str) else None
    if entry is not None and isinstance(ack, dict) and ack.get("ok") is True:
        extra = set(ack) - {"ok", "version", *entry.ack}
        assert not extra, f"{event} acked fields its registry entry does not document: {sorted(extra)}"
