"""Reading the wire in tests: epoch milliseconds back to instants."""
from datetime import UTC, datetime


def instant(epoch_ms: int) -> datetime:
    """The aware UTC datetime of ``epoch_ms`` (the wire's epoch milliseconds)."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
