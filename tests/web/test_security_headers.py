"""Every page carries the security headers; the CSP allows nothing from another host."""
import pytest

PAGES = ["/", "/e/ILO22", "/screen", "/moderate", "/e/NOPE", "/healthz", "/e/ILO22/qr.svg"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_the_console_is_never_cached(client):
    assert client.get("/moderate").headers["Cache-Control"] == "no-store"
