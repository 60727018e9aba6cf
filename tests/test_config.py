"""Every setting lives in config.DEFAULTS, is documented, comes from the environment in its own
type, and a bad value stops the start with a message naming it."""
import re
from pathlib import Path

import pytest

from forum_live import create_app
from forum_live.config import DEFAULTS, DERIVED, ENV_KEYS, ENV_ONLY, convert

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"FORUM_LIVE_[A-Z0-9_]+")


def _settings_table() -> dict[str, str]:
    """The rows of docs/deploy.md "Settings": setting name -> the row's text."""
    section = (ROOT / "docs" / "deploy.md").read_text("utf-8").split("\n## Settings\n")[1].split("\n## ")[0]
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| `([A-Z0-9_]+)` \|.*$", section, re.M)}


def test_every_forum_live_setting_has_one_row_in_the_settings_table_and_no_row_is_stale():
    documented = set(_settings_table())
    assert documented == {key for key in DEFAULTS if key.startswith("FORUM_LIVE_")}


def test_every_documented_row_gives_a_unit_and_a_default():
    for row in _settings_table().values():
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 4 and all(cells), row


def test_every_forum_live_name_in_the_source_is_a_setting_an_env_only_key_or_a_derived_fact():
    known = set(DEFAULTS) | set(ENV_ONLY) | set(DERIVED)
    unknown = set()
    for path in (ROOT / "src").rglob("*"):
        if path.suffix not in (".py", ".html", ".js", ".toml", ".md") or not path.is_file():
            continue
        for name in NAME.findall(path.read_text("utf-8")):
            # A prefix built on (ratelimit.py's f"FORUM_LIVE_RATE_{kind}"): some setting has it.
            ok = any(k.startswith(name) for k in DEFAULTS) if name.endswith("_") else name in known
            if not ok:
                unknown.add(f"{name} ({path.relative_to(ROOT)})")
    assert not unknown


def test_the_environment_keys_are_the_forum_live_keys_of_the_defaults():
    assert set(ENV_KEYS) == {key for key in DEFAULTS if key.startswith("FORUM_LIVE_")}
    assert not set(ENV_ONLY) & set(DEFAULTS) and not set(DERIVED) & set(DEFAULTS)


def test_no_setting_is_read_with_a_default_of_its_own_outside_config():
    """``config.get("FORUM_LIVE_X", 250)`` would be a second default, out of sight of the table."""
    pattern = re.compile(r"config\.get\(\s*[\"']FORUM_LIVE_[A-Z0-9_]+[\"']\s*,")
    found = [str(p.relative_to(ROOT)) for p in (ROOT / "src").rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert found == []


@pytest.mark.parametrize(("key", "raw", "value"), [
    ("FORUM_LIVE_TALLY_INTERVAL_MS", "250", 250),
    ("FORUM_LIVE_TALLY_INTERVAL_MS", " 0 ", 0),
    ("FORUM_LIVE_MAX_CONNECTIONS_PER_IP", "8", 8),
    ("FORUM_LIVE_PROXIES", "1", 1),
    ("FORUM_LIVE_AUTO_ADVANCE_POLL_S", "0.5", 0.5),
    ("FORUM_LIVE_AUTO_ADVANCE_POLL_S", "2", 2.0),
    ("FORUM_LIVE_AUTO_ADVANCE_TASK", "yes", True),
    ("FORUM_LIVE_AUTO_ADVANCE_TASK", "Off", False),
    ("FORUM_LIVE_NEW_TOKENS", "1", True),
    ("FORUM_LIVE_NEW_TOKENS", "false", False),
    ("FORUM_LIVE_PUBLIC_URL", "http://192.0.2.1:5000", "http://192.0.2.1:5000"),
    ("FORUM_LIVE_RATE_VOTES_IP", "10/minute", "10/minute"),
    ("FORUM_LIVE_TALLY_INTERVAL_MS", 100, 100),
    ("FORUM_LIVE_AUTO_ADVANCE_TASK", None, None),
])
def test_a_value_takes_the_type_of_its_default(key, raw, value):
    converted = convert(key, raw)
    assert (converted, type(converted)) == (value, type(value))


@pytest.mark.parametrize(("key", "raw", "says"), [
    ("FORUM_LIVE_TALLY_INTERVAL_MS", "fast", "expected a whole number"),
    ("FORUM_LIVE_TALLY_INTERVAL_MS", "2.5", "expected a whole number"),
    ("FORUM_LIVE_TALLY_INTERVAL_MS", 2.5, "expected a whole number"),
    ("FORUM_LIVE_MAX_CONNECTIONS_PER_IP", "-1", "not negative"),
    ("FORUM_LIVE_MAX_CONNECTIONS_PER_IP", True, "expected a whole number"),
    ("FORUM_LIVE_AUTO_ADVANCE_POLL_S", "soon", "expected a number"),
    ("FORUM_LIVE_AUTO_ADVANCE_POLL_S", "nan", "expected a number"),
    ("FORUM_LIVE_AUTO_ADVANCE_TASK", "maybe", "expected yes or no"),
])
def test_a_value_that_does_not_convert_is_refused_naming_the_setting(key, raw, says):
    with pytest.raises(ValueError) as err:
        convert(key, raw)
    assert str(err.value).startswith(f"{key}={raw!r}: ") and says in str(err.value)


def _config(tmp_path, **extra):
    return {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}",
            "SECRET_KEY": "s", "FORUM_LIVE_MODERATOR_TOKEN": "tok", "FORUM_LIVE_ASYNC_MODE": "threading", **extra}


def test_settings_from_the_environment_arrive_typed(tmp_path, monkeypatch):
    monkeypatch.setenv("FORUM_LIVE_TALLY_INTERVAL_MS", "125")
    monkeypatch.setenv("FORUM_LIVE_AUTO_ADVANCE_POLL_S", "0.25")
    monkeypatch.setenv("FORUM_LIVE_MAX_CONNECTIONS_PER_IP", "7")
    monkeypatch.setenv("FORUM_LIVE_AUTO_ADVANCE_TASK", "no")
    app = create_app(_config(tmp_path))
    assert [app.config[k] for k in ("FORUM_LIVE_TALLY_INTERVAL_MS", "FORUM_LIVE_AUTO_ADVANCE_POLL_S",
                                    "FORUM_LIVE_MAX_CONNECTIONS_PER_IP", "FORUM_LIVE_AUTO_ADVANCE_TASK")] \
        == [125, 0.25, 7, False]


def test_without_the_environment_every_setting_has_its_default(tmp_path, monkeypatch):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    app = create_app(_config(tmp_path))
    assert app.config["FORUM_LIVE_TALLY_INTERVAL_MS"] == 250
    assert app.config["FORUM_LIVE_AUTO_ADVANCE_POLL_S"] == 1.0
    assert app.config["FORUM_LIVE_MAX_CONNECTIONS_PER_IP"] == 50


def test_a_bad_value_in_the_environment_stops_the_start_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("FORUM_LIVE_TALLY_INTERVAL_MS", "250ms")
    with pytest.raises(ValueError, match=r"^FORUM_LIVE_TALLY_INTERVAL_MS='250ms': expected a whole number"):
        create_app(_config(tmp_path))
