"""URLs as phones see them, built from what the caller knows (no Flask request needed here)."""


def public_base(configured: str | None, host_url: str) -> str:
    """Base URL phones use to reach this server, no trailing /: ``configured``
    (FORUM_LIVE_PUBLIC_URL) when set, else ``host_url`` (the request's host URL)."""
    return (configured or host_url).rstrip("/")


def join_url(base: str, code: str) -> str:
    """The audience URL of event ``code`` under ``base`` (from ``public_base``)."""
    return f"{base.rstrip('/')}/e/{code}"
