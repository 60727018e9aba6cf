"""Moderator and API tokens: kept only hashed, compared in constant time, rotatable."""
import pytest

from forum_live import create_app
from forum_live.config import load_credential
from forum_live.identity import Credential


def _config(tmp_path, **extra):
    return {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "s",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FORUM_LIVE_ASYNC_MODE": "threading", **extra}


@pytest.mark.parametrize("given,ok", [("right-token", True), ("right-tokeN", False), ("", False),
                                      (None, False), (123, False), ("x" * 10_000, False)])
def test_a_credential_matches_only_its_own_token(given, ok):
    assert Credential.from_plain("right-token").matches(given) is ok


def test_a_generated_moderator_token_is_shown_once_and_stored_only_as_a_digest(tmp_path):
    first = create_app(_config(tmp_path)).config["FORUM_LIVE_MODERATOR_CREDENTIAL"]
    again = create_app(_config(tmp_path)).config["FORUM_LIVE_MODERATOR_CREDENTIAL"]
    assert first.plain and again.plain is None and again.matches(first.plain)
    files = {p.name: p.read_text() for p in (tmp_path / "instance").iterdir() if "token" in p.name}
    assert set(files) == {"moderator_token.sha256", "api_token.sha256", "organiser_token.sha256"}
    assert all(first.plain not in text for text in files.values())


def test_a_token_from_the_environment_is_never_written(tmp_path):
    cred = create_app(_config(tmp_path, FORUM_LIVE_MODERATOR_TOKEN="from-env-passphrase")).config[
        "FORUM_LIVE_MODERATOR_CREDENTIAL"]
    assert cred.matches("from-env-passphrase")
    assert not (tmp_path / "instance" / "moderator_token.sha256").exists()


def test_new_tokens_sign_every_console_out(tmp_path):
    app = create_app(_config(tmp_path))
    token = app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"].plain
    browser = app.test_client()
    assert browser.get(f"/moderate?token={token}").status_code == 302
    assert browser.get("/moderate").status_code == 200
    rotated = create_app(_config(tmp_path, FORUM_LIVE_NEW_TOKENS=True))
    assert not rotated.config["FORUM_LIVE_MODERATOR_CREDENTIAL"].matches(token)
    same_cookie = rotated.test_client()
    same_cookie.set_cookie("session", browser.get_cookie("session").value)
    assert same_cookie.get("/moderate").status_code == 403


def test_a_plain_token_left_by_an_older_version_is_hashed_and_removed(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "moderator_token").write_text("old-plain-token\n")
    cred = load_credential(str(folder), "moderator_token", None)
    assert cred.plain == "old-plain-token" and not (folder / "moderator_token").exists()
    assert load_credential(str(folder), "moderator_token", None).matches("old-plain-token")
