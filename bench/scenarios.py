"""The scenarios, driven from one asyncio loop: a moderator console and a projector here, the
phones in the swarm's worker processes.

(d) join stampede: N phones load the phone page and connect within ``ramp_s`` seconds;
(a) fan-out: the moderator adjusts the timer ``rounds`` times; latency from the action to each
    phone and the projector (every delivery), and to the last phone of each action;
(b) vote storm: N phones vote in one poll within 2 s; ballots counted, and the time from the
    last ballot's ack until the projector shows the final tally;
(c) question storm: some phones ask within 1 s, the moderator approves each (fan-out to all),
    then every phone upvotes three questions within 2 s; upvotes counted, final tally time.

Latencies are in milliseconds; summaries are stats.summarize dicts.
"""
import asyncio
import time

import socketio

from .stats import summarize
from .swarm import Phone

CODE = "ILO22"


def _ms(seconds: float) -> float:
    return seconds * 1000.0


async def _until(predicate, timeout: float, step: float = 0.02) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()


class Console:
    """The moderator console (/moderator) and the projector (/screen) of one run."""

    def __init__(self, url: str, token: str, projector_key: str):
        self.url, self.token = url, token
        # The console reconnects as the real one does: on a loaded machine a missed ping must not
        # end the run (phones do not reconnect: a dropped phone is counted, not hidden).
        self.mod = socketio.AsyncClient(reconnection=True, reconnection_delay=0.2)
        self.state = None
        self.polls = []
        self.questions = {"items": []}
        self.projector = Phone(-1, "/screen", auth={"key": projector_key})

    async def connect(self):
        got = asyncio.get_running_loop().create_future()

        def on_state(state):
            self.state, self.polls, self.questions = state, state["polls"], state["questions"]
            if not got.done():
                got.set_result(True)
        self.mod.on("state", on_state, namespace="/moderator")
        self.mod.on("polls", lambda p: setattr(self, "polls", p), namespace="/moderator")
        self.mod.on("questions", lambda q: setattr(self, "questions", q), namespace="/moderator")
        await self.mod.connect(self.url, namespaces=["/moderator"], auth={"token": self.token},
                               transports=["websocket"], wait_timeout=20)
        await asyncio.wait_for(got, 20)
        joined = await self.projector.join(self.url, CODE, page=False, own_address=False, timeout=20)
        if joined["error"]:
            raise RuntimeError(f"projector could not connect: {joined['error']}")

    async def call(self, event: str, payload: dict) -> dict:
        await _until(lambda: "/moderator" in self.mod.namespaces, timeout=20)
        ack = await self.mod.call(event, payload, namespace="/moderator", timeout=30)
        if not ack.get("ok"):
            raise RuntimeError(f"moderator {event} refused: {ack}")
        return ack

    async def close(self):
        for sio in (self.mod, self.projector.sio):
            if sio is not None and sio.connected:
                await sio.disconnect()
        if self.projector.http is not None:
            await self.projector.http.close()


async def join_stampede(swarm, url: str, ramp_s: float, own_address: bool) -> dict:
    """(d) Every phone of the swarm loads the page and connects, starting within ``ramp_s``."""
    start_at = time.time() + 1.0
    joins = await swarm.command("join", url=url, code=CODE, start_at=start_at, ramp_s=ramp_s,
                                total=swarm.phones, own_address=own_address, timeout=60.0)
    ok = [j for j in joins if j["state"] is not None]
    errors = sorted({j["error"] for j in joins if j["error"]})
    return {
        "phones": swarm.phones, "joined": len(ok), "ramp_s": ramp_s,
        "all_joined_s": round(max(j["state"] for j in ok) - start_at, 2) if ok else None,
        "page_ms": summarize([_ms(j["page"] - j["start"]) for j in ok if j["page"]], expected=swarm.phones),
        "join_ms": summarize([_ms(j["state"] - j["start"]) for j in ok], expected=swarm.phones),
        "errors": errors[:5], "error_count": len(joins) - len(ok),
    }


async def fan_out(swarm, console: Console, rounds: int, gap_s: float) -> dict:
    """(a) ``rounds`` moderator actions (timer:adjust +1 s), ``gap_s`` apart."""
    await console.call("timer:start", {})
    await asyncio.sleep(1.0)
    base = (console.projector.last_run or {}).get("timer", {}).get("adjust_ms", 0)
    sent = {}
    for k in range(1, rounds + 1):
        marker = base + 1000 * k
        sent[marker] = time.time()
        await console.call("timer:adjust", {"delta_ms": 1000})
        await asyncio.sleep(gap_s)
    await asyncio.sleep(2.0)
    reports = await swarm.command("report", what="run")
    samples, last = [], {m: 0.0 for m in sent}
    delivered_all = 0
    for run_at in reports:
        got = 0
        for marker, t_sent in sent.items():
            if marker in run_at:
                latency = _ms(run_at[marker] - t_sent)
                samples.append(latency)
                last[marker] = max(last[marker], latency)
                got += 1
        delivered_all += got == len(sent)
    projector = [_ms(console.projector.run_at[m] - t) for m, t in sent.items() if m in console.projector.run_at]
    return {
        "phones": len(reports), "actions": rounds,
        "latency_ms": summarize(samples, expected=len(reports) * rounds),
        "last_phone_ms": summarize(list(last.values()), expected=rounds),
        "projector_ms": summarize(projector, expected=rounds),
        "phones_with_every_event": delivered_all,
    }


async def vote_storm(swarm, console: Console, window_s: float) -> dict:
    """(b) Every phone votes once in a single-choice poll within ``window_s``."""
    poll = next(p for p in console.polls if p["kind"] == "single")
    options = [o["id"] for o in poll["options"]]
    await swarm.command("watch_poll", poll_id=poll["id"])
    console.projector.watch_poll, console.projector.poll_totals = poll["id"], []
    await console.call("poll:open", {"poll_id": poll["id"]})
    await console.call("poll:reveal", {"poll_id": poll["id"], "revealed": True})
    await asyncio.sleep(1.0)
    start_at = time.time() + 0.5
    calls = await swarm.command("vote", poll_id=poll["id"], options=options, start_at=start_at,
                                window_s=window_s, total=swarm.phones)
    acked = [c for c in calls if c[2]]
    last_ack = max(c[1] for c in acked) if acked else time.time()

    def projector_total():
        totals = console.projector.poll_totals
        return totals[-1][1] if totals else 0
    await _until(lambda: projector_total() >= len(acked), timeout=10)
    await asyncio.sleep(1.0)  # anything after the final tally would be a late duplicate
    proj_final = next((t for t, total in console.projector.poll_totals if total == len(acked)), None)
    moderator_total = next((p["results"]["total"] for p in console.polls if p["id"] == poll["id"]), None)
    per_phone = await swarm.command("report", what="polls")
    phones_final = [_ms(next(t for t, total in totals if total == len(acked)) - last_ack)
                    for totals in per_phone if any(total == len(acked) for _, total in totals)]
    return {
        "phones": len(per_phone), "ballots_sent": len(calls), "ballots_acked": len(acked),
        "counted_projector": projector_total(), "counted_moderator": moderator_total,
        "ack_ms": summarize([_ms(c[1] - c[0]) for c in acked], expected=len(calls)),
        "projector_final_after_last_ballot_ms": None if proj_final is None else round(_ms(proj_final - last_ack), 1),
        "phones_final_after_last_ballot_ms": summarize(phones_final, expected=len(per_phone)),
        "projector_tally_updates": len(console.projector.poll_totals),
    }


async def question_storm(swarm, console: Console, askers: int, upvotes_per_phone: int, window_s: float) -> dict:
    """(c) ``askers`` phones ask within 1 s, the moderator approves each question, then every
    phone upvotes ``upvotes_per_phone`` of them within ``window_s``."""
    n = swarm.phones
    who = sorted({i * n // askers for i in range(askers)})
    known = {q["id"] for q in console.questions["items"]}
    start_at = time.time() + 0.5
    calls = await swarm.command("submit", askers=who, start_at=start_at, window_s=1.0)
    asked = [c for c in calls if c[2]]
    await _until(lambda: len({q["id"] for q in console.questions["items"]} - known) >= len(asked), timeout=10)
    new_ids = sorted({q["id"] for q in console.questions["items"]} - known)
    sent = {}
    for qid in new_ids:
        sent[qid] = time.time()
        await console.call("question:moderate", {"question_id": qid, "action": "approve"})
        await asyncio.sleep(0.05)
    await asyncio.sleep(2.0)
    before = await swarm.command("report", what="questions")
    approve_samples = [_ms(seen[qid] - t) for seen, _ in before for qid, t in sent.items() if qid in seen]

    base = console.projector.vote_sums[-1][1] if console.projector.vote_sums else 0
    start_at = time.time() + 0.5
    ups = await swarm.command("upvote", question_ids=new_ids, per_phone=upvotes_per_phone, start_at=start_at,
                              window_s=window_s, total=n)
    acked = [c for c in ups if c[2]]
    last_ack = max(c[1] for c in acked) if acked else time.time()

    def projector_sum():
        sums = console.projector.vote_sums
        return (sums[-1][1] if sums else 0) - base
    await _until(lambda: projector_sum() >= len(acked), timeout=10)
    await asyncio.sleep(1.0)
    proj_final = next((t for t, total in console.projector.vote_sums if total - base == len(acked)), None)
    return {
        "phones": n, "questions_asked": len(calls), "questions_acked": len(asked),
        "submit_ack_ms": summarize([_ms(c[1] - c[0]) for c in asked], expected=len(calls)),
        "approve_fanout_ms": summarize(approve_samples, expected=len(before) * len(new_ids)),
        "upvotes_sent": len(ups), "upvotes_acked": len(acked), "upvotes_counted_projector": projector_sum(),
        "upvote_ack_ms": summarize([_ms(c[1] - c[0]) for c in acked], expected=len(ups)),
        "projector_final_after_last_upvote_ms": None if proj_final is None else round(_ms(proj_final - last_ack), 1),
    }
