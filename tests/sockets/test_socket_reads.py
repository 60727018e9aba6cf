"""Reads (registry entries with ``read=True``): acked like any action, but not audited, no new
state version, nothing broadcast, nothing in the console's activity log."""
import pytest

from forum_live.protocol.registry import ACTIONS


@pytest.fixture
def app_config():
    return {"FORUM_LIVE_RATE_QUESTIONS_DEVICE": "1000/minute", "FORUM_LIVE_RATE_QUESTIONS_IP": "1000/minute"}


def test_the_reads_are_the_previews_the_merge_candidates_and_the_editors_load():
    reads = {name for name, entry in ACTIONS.items() if entry.read}
    assert reads == {"plan:preview", "question:candidates", "editor:load"}
    assert not any(entry.audited for entry in ACTIONS.values() if entry.read)


def test_asking_for_merge_candidates_is_a_read_not_an_audited_change(connect):
    phone, mod = connect("audience"), connect("moderator")
    ids = [phone.call("question:submit", {"client_id": f"client-{n:04d}", "text": text})["question"]["id"]
           for n, text in enumerate(("What role does the private sector play in South-South cooperation?",
                                     "What is the role of the private sector in South South cooperation?"), 1)]
    colleague = connect("moderator")
    assert colleague.call("question:moderate", {"question_id": ids[0], "action": "approve"}) == {"ok": True}
    audit = connect("moderator").last("state")["audit"]
    assert audit["version"] == 1
    mod.received()
    # Version 0 is stale (the colleague's approval came since): a read does not check it.
    ack = mod.call("question:candidates", {"question_id": ids[1], "version": 0})
    assert ack["ok"] and [i["id"] for i in ack["items"]] == [ids[0]] and "version" not in ack
    assert connect("moderator").last("state")["audit"] == audit  # same version, no new entry
    assert mod.received("audit") == [] and mod.received("questions") == []
