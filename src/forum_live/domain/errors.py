"""The one error type every layer raises for a client's mistake, with a stable code."""


class ForumError(Exception):
    """A request that cannot be carried out; the client gets ``{"ok": false, "code", "message"}``.

    Codes (documented in docs/protocol.md): ``invalid_payload``, ``invalid_text``, ``not_found``,
    ``forbidden``, ``invalid_state``, ``stale_state``, ``unknown_event``, ``rate_limited``, ``internal``.
    """

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details  # extra ack fields, e.g. retry_after_ms for rate_limited

    def as_ack(self) -> dict:
        """Return the error ack sent to the client (with any ``details`` as extra fields)."""
        return {"ok": False, "code": self.code, "message": self.message, **self.details}
