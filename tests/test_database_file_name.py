"""The docs, the contributor notes and the Alembic command name the database file the server
really uses (``instance/forum-live.db``, config.py), not an old ``forum.db``."""
import re
from pathlib import Path

from forum_live import create_app

ROOT = Path(__file__).resolve().parents[1]
WHERE_IT_IS_SAID = ["README.md", "alembic.ini", "src/forum_live/migrations/env.py",
                    "src/forum_live/persistence/migrate.py",
                    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]


def test_the_server_default_database_is_instance_forum_live_db(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x",
                      "FORUM_LIVE_MODERATOR_TOKEN": "t" * 32, "FORUM_LIVE_ASYNC_MODE": "threading"})
    assert app.config["DATABASE_URL"].endswith("/instance/forum-live.db")


def test_no_doc_names_another_database_file():
    wrong = {name: re.findall(r"\bforum\.db\b", (ROOT / name).read_text(encoding="utf-8")) for name in WHERE_IT_IS_SAID}
    assert {name: found for name, found in wrong.items() if found} == {}
    assert "instance/forum-live.db" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "'forum-live.db'" in (ROOT / "src/forum_live/migrations/env.py").read_text(encoding="utf-8")
