"""Several processes starting at once on one instance folder and one database: they agree on the
secret key and load the event once (the loser of the insert race finds the winner's event)."""
import threading

from sqlalchemy import func, select

import forum_live
from forum_live.config import instance_secret
from forum_live.eventfile import load_event_file
from forum_live.persistence.db import make_engine, make_session_factory
from forum_live.persistence.models import Event


def test_processes_making_the_instance_secret_at_once_all_get_the_same_one(tmp_path):
    got, start = [], threading.Barrier(8)

    def make():
        start.wait()
        got.append(instance_secret(str(tmp_path), "secret_key", 32))
    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 1
    assert (tmp_path / "secret_key").read_text().strip() == got[0]
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no files left aside


def test_the_process_that_loses_the_event_insert_race_uses_the_winners_event(tmp_path, monkeypatch):
    sessions = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'forum.db'}"))
    spec = load_event_file()
    real_load = forum_live.load_event
    calls = []

    def racing_load(session, spec):
        calls.append(1)
        if len(calls) == 1:  # another process commits the event between our look and our insert
            with sessions() as other:
                real_load(other, spec)
                other.commit()
            session.add(Event(code=spec.event.code, title="loser", timezone="UTC",
                              scheduled_start_at=spec.start_at, loaded_at=spec.start_at))
            session.flush()  # IntegrityError: the code is taken
        return real_load(session, spec)
    monkeypatch.setattr(forum_live, "load_event", racing_load)

    assert forum_live._load_event(sessions, spec) == (spec.event.code, False, [])
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 1
