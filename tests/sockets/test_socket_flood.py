"""Session cookies are Secure when the forum is served over HTTPS."""
from forum_live import create_app


def test_https_deployments_get_secure_session_cookies(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "s",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FORUM_LIVE_ASYNC_MODE": "threading",
                      "FORUM_LIVE_MODERATOR_TOKEN": "tok", "FORUM_LIVE_PUBLIC_URL": "https://forum.example"})
    cookie = app.test_client().get("/moderate?token=tok").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
