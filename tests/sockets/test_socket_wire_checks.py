"""Every event goes through the same checks: ``clock:ping`` validates its payload, and
``plan:preview`` (a read) goes through the common action wrapper, so an unexpected error still
acks ``internal`` instead of leaving the console to wait out its timeout."""
import pytest


@pytest.mark.parametrize("role", ["audience", "screen", "moderator"])
@pytest.mark.parametrize("payload", [[1, 2, 3], {"zz": True}, "now", 5, {"t0": 1}])
def test_clock_ping_refuses_a_payload_that_is_not_an_empty_object(connect, role, payload):
    ack = connect(role).call("clock:ping", payload)
    assert ack["ok"] is False and ack["code"] == "invalid_payload" and ack["message"]


@pytest.mark.parametrize("role", ["audience", "screen", "moderator"])
@pytest.mark.parametrize("payload", [None, {}])
def test_clock_ping_acks_the_server_time_for_an_empty_payload(connect, role, payload):
    ack = connect(role).call("clock:ping", payload)
    assert ack["ok"] is True and isinstance(ack["server_ms"], int) and ack["server_ms"] > 1_600_000_000_000


def test_an_unexpected_error_in_plan_preview_still_acks_internal(connect, monkeypatch):
    from forum_live.services import rebalance

    def boom(*_a, **_k):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(rebalance, "preview_rebalance", boom)
    mod = connect("moderator")
    mod.call("timer:start")
    ack = mod.call("plan:preview", {"strategy": "spread"})
    assert ack is not None and ack["ok"] is False and ack["code"] == "internal" and ack["message"]
    monkeypatch.undo()
    assert mod.call("plan:preview", {"strategy": "spread"})["ok"] is True


def test_plan_preview_with_a_stale_version_is_still_only_a_read(connect):
    """A preview is not a change: no version check, no audit entry, no broadcast."""
    mod, other = connect("moderator"), connect("moderator")
    mod.call("timer:start")
    version = mod.last("audit")["version"]
    assert other.call("timer:adjust", {"delta_ms": 60_000})["ok"]
    mod.received()
    ack = mod.call("plan:preview", {"strategy": "qa", "version": version - 1})
    assert ack["ok"] is True and "version" not in ack
    assert mod.received("audit") == [] and mod.received("run") == []
