"""URLs as phones see them (the LAN address, not localhost)."""
from flask import current_app, request


def public_base() -> str:
    """Base URL phones use to reach this server (config, else the request's host), no trailing /."""
    return (current_app.config.get("FORUM_LIVE_PUBLIC_URL") or request.host_url).rstrip("/")


def join_url(code: str) -> str:
    """The audience URL of event ``code``."""
    return f"{public_base()}/e/{code}"
