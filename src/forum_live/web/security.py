"""HTTP hardening: security headers on every response.

The pages load scripts, styles and images from this server only (venue Wi-Fi may be offline,
and it is the cross-site-scripting defence): Content-Security-Policy without 'unsafe-inline'.
"""
from flask import Flask, Response, request


def content_security_policy(host: str) -> str:
    """The CSP for this server at ``host`` (host[:port]): same origin for everything, the
    Socket.IO WebSocket included (listed explicitly for browsers whose 'self' omits ws:)."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src 'self' ws://{host} wss://{host}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",  # the console may frame the projector page as its preview
    ])


def init_app(app: Flask) -> None:
    """Add the security headers to every response of ``app``."""

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", content_security_policy(request.host))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if request.path.startswith(("/moderate", "/admin")):
            response.headers["Cache-Control"] = "no-store"
        return response
