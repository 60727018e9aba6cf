"""Make ``tests/data/forum-0.1.0.db``: a database as release 0.1.0 (before migrations) left it.

Run once, on the 0.1.0 code (commit eee595c), from the repository root::

    git worktree add /tmp/v010 eee595c && cd /tmp/v010 && python tests/data/make_release_0_1_database.py OUT

The database holds the default event with a show in progress: the opening segment done, the
first panelist's slot running (started 3 min 20 s before the fixed instant below, +30 s added),
questions in every state (pending, approved, answered, rejected, merged, withdrawn) with upvotes,
and ballots in three polls. ``forum-0.1.0.json`` beside it records what 0.1.0 itself computed
from that database (the running slot's deadline in epoch ms, row counts), so the upgrade test
compares a later release's reading with the old release's own.
"""
import json
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

from forum_live.eventfile import load_event_file  # noqa: E402
from forum_live.persistence.db import make_engine, make_session_factory  # noqa: E402
from forum_live.persistence.models import Base  # noqa: E402
from forum_live.services import polls, questions, run_of_show  # noqa: E402
from forum_live.services.events import load_event  # noqa: E402

#: The instant the show state is made at (fixed: the file must not depend on the day it is made).
NOW = datetime(2022, 9, 13, 3, 45, tzinfo=UTC)


def main(out: Path) -> None:
    """Write the database to ``out`` (a single file, rollback journal) and its manifest."""
    work = out.with_suffix(".work.db")
    work.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{work}")
    sessions = make_session_factory(engine)
    with sessions() as session:
        event, _ = load_event(session, load_event_file())
        session.commit()
        run_of_show.start_show(event, NOW - timedelta(minutes=12))
        run_of_show.next_segment(event, NOW - timedelta(minutes=3, seconds=20))
        run_of_show.adjust_segment(event, 30_000)
        session.commit()
        made = []
        for i in range(8):
            q, _ = questions.submit_question(session, event, f"device-{i}", f"client-{i}",
                                             f"Question {i}: how does the alliance scale? ขอบคุณ 谢谢",
                                             f"Asker {i}" if i % 2 else None,
                                             event.panelists[i % 5].id if i % 3 else None, NOW,
                                             theme=event.themes[i % len(event.themes)] if i % 4 else None)
            made.append(q)
        session.commit()
        for q in made[:6]:
            questions.moderate_question(session, event, q.id, "approve", NOW)
        session.commit()
        for i, q in enumerate(made[:5]):
            for d in range(i + 1):
                questions.set_upvote(session, event, f"device-{d}", q.id, True, NOW)
        questions.moderate_question(session, event, made[4].id, "answer", NOW)
        questions.moderate_question(session, event, made[6].id, "reject", NOW)
        questions.merge_questions(session, event, made[3].id, made[2].id, NOW)
        questions.withdraw_question(session, event, "device-5", made[5].id, NOW)
        session.commit()
        choice, rating, cloud = event.polls[0], event.polls[1], event.polls[2]
        values = {choice.id: lambda d: choice.options[d % 3].id, rating.id: lambda d: 1 + d % 5,
                  cloud.id: lambda d: ["solidarity", "skills"][d % 2]}
        for poll in (choice, rating, cloud):  # one poll open at a time; the word cloud stays open
            polls.open_poll(session, event, poll.id, NOW - timedelta(minutes=1))
            for d in range(6):
                polls.cast_ballot(session, event, f"device-{d}", poll.id, values[poll.id](d), NOW)
            if poll is not cloud:
                polls.close_poll(session, event, poll.id, NOW)
            session.commit()
        running = run_of_show.current_segment(event)
        manifest = {
            "made_by": "forum-live 0.1.0 (commit eee595c)",
            "now_ms": int(NOW.timestamp() * 1000),
            "running_segment_id": running.id,
            "running_deadline_ms": run_of_show.clock_of(running).wire(NOW)["deadline_ms"],
            "rows": {t.name: session.execute(t.select()).all().__len__() for t in Base.metadata.sorted_tables},
        }
    engine.dispose()
    out.unlink(missing_ok=True)
    src, dst = sqlite3.connect(work), sqlite3.connect(out)
    src.backup(dst)
    dst.execute("PRAGMA journal_mode=DELETE")
    src.close(), dst.close()
    for extra in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
        extra.unlink(missing_ok=True)
    out.with_suffix(".json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "forum-0.1.0.db")
