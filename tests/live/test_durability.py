"""Nothing acknowledged is lost: SIGKILL during a storm of questions, upvotes and ballots."""
import pytest

from support.durability import run_kill_trial

pytestmark = pytest.mark.live


def test_every_acknowledged_item_survives_a_sigkill_exactly_once(tmp_path):
    counts = run_kill_trial(tmp_path, seed=7)
    # The trial must have had something acknowledged before the kill to prove anything.
    assert counts["acked_questions"] + counts["acked_votes"] + counts["acked_ballots"] > 0, counts


def test_the_check_catches_a_lost_acknowledged_question(tmp_path):
    from sqlalchemy import create_engine

    from forum_live.persistence.models import Base
    from support.durability import _check
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    token = "ImRldmljZS1pZC0xMjM0Ig.sig"  # payload: "device-id-1234"
    with pytest.raises(AssertionError, match="stored 0 times"):
        _check(url, {"questions": [(token, "lost-question-1")], "votes": [], "ballots": []})
