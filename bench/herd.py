"""(e) The reconnect herd: the server restarts under every connected phone.

The phones reconnect as the phone page does (static/js/live.js: socket.io-client's reconnection,
min 1 s, max 5 s, factor 2, randomisation 0.5, a 10 s connect timeout) and keep an outbox as the
page does (static/js/outbox.js): what the user does while offline waits there and is sent, one
item at a time, on the first ``state`` after the reconnect; an item whose ack does not come
(timeout, or the connection dropped: socket.io-client 4.8 fails such acks at once) stays and is
sent again, with the same idempotency data: a ballot is the wanted value (one ballot per device
and poll), an upvote the wanted state with its client_id, a question its client_id.

During the outage every phone queues one action (even phones a ballot in an open rating poll,
odd phones an upvote of one approved question) and ``askers`` phones also a question. Two
subsets test the uncertain ack: the phones with index % 10 in (0, 3) send their actions just
before the SIGTERM (an ack may or may not come back: if not, the item is sent again after the
reconnect), and those with index % 10 in (5, 8) send each action again after its ack, as a page
whose ack was lost on the way (both subsets hold ballots and upvotes). The server must count
each action once: the projector's tally of the poll, the projector's votes on the question, and
the moderator's list of the herd's questions.

The bare server keeps its state in memory and comes back empty: there the phones queue nothing
and only the reconnect is measured.
"""
import asyncio
import math
import random
import time
import uuid

from .scenarios import _until
from .stats import summarize

#: socket.io-client's defaults as static/js/live.js sets them for every page.
PAGE_BACKOFF = {"min_ms": 1000, "max_ms": 5000, "factor": 2, "jitter": 0.5}
PAGE_CONNECT_TIMEOUT_S = 10.0
#: static/js/outbox.js: an item's ack timeout, the retry after a transient failure, and the
#: error codes that keep an item for a resend.
OUTBOX_ACK_TIMEOUT_S = 6.0
OUTBOX_RETRY_S = 5.0
TRANSIENT = {"timeout", "offline", "internal", "stale_state"}
#: Issue 16 item 4: every phone has its new snapshot within this long after the server is back.
RESNAPSHOT_S = 10.0
QUESTION_TEXT = "Herd question from phone {index}: what should the alliance do first after the restart?"
EVENTS = {"ballot": "poll:vote", "upvote": "question:upvote", "question": "question:submit"}


class Backoff:
    """socket.io-client's reconnection delay (its ``Backoff``, read in the vendored
    static/vendor/socket.io/socket.io.esm.min.js): ``min * factor ** attempt``, moved by up to
    ``jitter`` of itself up or down, then capped at ``max``; reset after a connect."""

    def __init__(self, min_ms=1000, max_ms=5000, factor=2, jitter=0.5, rng=None):
        self.min_ms, self.max_ms, self.factor, self.jitter = min_ms, max_ms, factor, jitter
        self.rng, self.attempts = rng or random.Random(), 0

    def duration_s(self) -> float:
        """The wait before the next attempt, in seconds."""
        ms = self.min_ms * self.factor ** self.attempts
        self.attempts += 1
        if self.jitter:
            r = self.rng.random()
            deviation = math.floor(r * self.jitter * ms)
            ms = ms + deviation if math.floor(10 * r) & 1 else ms - deviation
        return int(min(ms, self.max_ms)) / 1000

    def reset(self) -> None:
        self.attempts = 0


class HerdPhone:
    """One swarm phone's reconnection and outbox (runs in the worker's loop)."""

    def __init__(self, phone, items: list[dict], in_flight: bool, lose_ack: bool):
        self.phone, self.items, self.in_flight, self.lose_ack = phone, items, in_flight, lose_ack
        self.backoff = Backoff(**PAGE_BACKOFF, rng=random.Random(phone.index))
        self.outbox: list[dict] = []
        self.done: list[dict] = []
        self.queued = self.flushing = self.closing = False
        self.pending: set = set()
        self.reconnect_task = self.retry = None
        self.attempts, self.disconnects, self.errors = 0, 0, []

    def online(self) -> bool:
        sio = self.phone.sio
        return sio is not None and self.phone.namespace in sio.namespaces

    def queue(self) -> None:
        """The user's action, into the outbox (once)."""
        if not self.queued:
            self.queued = True
            self.outbox.extend(self.items)

    def on_disconnect(self) -> None:
        self.disconnects += 1
        for fut in self.pending:  # socket.io-client 4.8 fails every ack with a timeout at the disconnect
            if not fut.done():
                fut.set_result(None)
        if self.closing:
            return
        self.queue()  # the user taps while the phone is offline
        if self.reconnect_task is None:
            self.reconnect_task = asyncio.ensure_future(self.reconnect())

    def on_state(self) -> None:
        asyncio.ensure_future(self.flush())

    async def reconnect(self) -> None:
        """socket.io-client's Manager: wait the back-off, try, and again until connected."""
        phone = self.phone
        try:
            while not self.closing and not self.online():
                await asyncio.sleep(self.backoff.duration_s())
                if self.closing:
                    return
                self.attempts += 1
                auth = {**phone.connect_auth, **({"device": phone.token} if phone.token else {})}
                try:
                    await phone.sio.connect(phone.url, namespaces=[phone.namespace], auth=auth,
                                            transports=["websocket"], wait_timeout=PAGE_CONNECT_TIMEOUT_S)
                except Exception as exc:  # refused while the server is down: the next attempt
                    if len(self.errors) < 3:
                        self.errors.append(f"{type(exc).__name__}: {exc}"[:120])
            self.backoff.reset()
        finally:
            self.reconnect_task = None
        if not self.closing and not self.online():  # dropped again meanwhile
            self.reconnect_task = asyncio.ensure_future(self.reconnect())

    async def send(self, item: dict):
        """Emit ``item`` with an ack; the ack, or None (no ack within the outbox's timeout, or
        the connection dropped)."""
        fut = asyncio.get_running_loop().create_future()
        self.pending.add(fut)
        item["sends"] += 1
        try:
            await self.phone.sio.emit(EVENTS[item["kind"]], item["payload"], namespace=self.phone.namespace,
                                      callback=lambda *a: fut.done() or fut.set_result(a[0] if a else {}))
            return await asyncio.wait_for(fut, OUTBOX_ACK_TIMEOUT_S)
        except Exception:
            return None
        finally:
            self.pending.discard(fut)

    async def flush(self) -> None:
        """outbox.js flush: send what waits, in order, one at a time; stop at the first
        transient failure and look again in 5 s."""
        if self.retry is not None:
            self.retry.cancel()
            self.retry = None
        if self.flushing or self.closing:
            return
        self.flushing = True
        try:
            while self.outbox and self.online():
                item = self.outbox[0]
                ack = await self.send(item)
                if ack is None or (not ack.get("ok") and ack.get("code") in TRANSIENT):
                    break
                if ack.get("ok"):
                    item["acks"] += 1
                    item["duplicate_acks"] += bool(ack.get("duplicate"))
                    if item["lose_ack"] and item["acks"] == 1:
                        continue  # this ack "was lost": the page has not seen it and sends the item again
                else:
                    item["refused"] = ack.get("code")
                self.outbox.pop(0)
                self.done.append(item)
        finally:
            self.flushing = False
        if self.outbox and not self.closing:
            self.retry = asyncio.get_running_loop().call_later(
                OUTBOX_RETRY_S, lambda: asyncio.ensure_future(self.flush()))

    def report(self, since: float) -> dict:
        first = next((t for t in self.phone.states if t > since), None)
        return {"index": self.phone.index, "first_state": first, "attempts": self.attempts,
                "disconnects": self.disconnects, "online": self.online(), "errors": self.errors,
                "items": [{k: i[k] for k in ("kind", "sends", "acks", "duplicate_acks", "refused", "in_flight",
                                             "lose_ack", "text")} | {"pending": i in self.outbox}
                          for i in self.done + self.outbox]}

    def close(self) -> None:
        self.closing = True
        if self.retry is not None:
            self.retry.cancel()
        if self.reconnect_task is not None:
            self.reconnect_task.cancel()


def _item(kind: str, payload: dict, in_flight: bool, lose_ack: bool, text: str | None = None) -> dict:
    return {"kind": kind, "payload": payload, "in_flight": in_flight, "lose_ack": lose_ack, "text": text,
            "sends": 0, "acks": 0, "duplicate_acks": 0, "refused": None}


def arm(phone, poll_id: int | None, question_id: int | None, askers: set) -> HerdPhone:
    """Give ``phone`` the page's reconnection and its outbox items for the outage (none when
    ``poll_id`` is None: the bare server)."""
    in_flight, lose_ack = phone.index % 10 in (0, 3), phone.index % 10 in (5, 8)
    items = []
    if poll_id is not None:
        if phone.index % 2 == 0:
            items.append(_item("ballot", {"poll_id": poll_id, "value": 1 + phone.index % 5}, in_flight, lose_ack))
        else:
            items.append(_item("upvote", {"question_id": question_id, "on": True, "client_id": str(uuid.uuid4())},
                               in_flight, lose_ack))
        if phone.index in askers:
            text = QUESTION_TEXT.format(index=phone.index)
            items.append(_item("question", {"client_id": str(uuid.uuid4()), "text": text, "name": None,
                                            "panelist_id": None}, in_flight, lose_ack, text))
    phone.herd = HerdPhone(phone, items, in_flight, lose_ack)
    return phone.herd


async def send_in_flight(herds: list[HerdPhone]) -> int:
    """The in-flight subset sends its items now (the driver sends the SIGTERM right after)."""
    some = [h for h in herds if h.in_flight and h.items]
    for h in some:
        h.queue()
        asyncio.ensure_future(h.flush())
    await asyncio.sleep(0.02)  # the emits leave the phones' queues
    return len(some)


# ---- the driver's side ------------------------------------------------------------------------

async def reconnect_herd(swarm, console, target, askers: int, settle_s: float = 30.0) -> dict:
    """(e) Restart ``target`` under the swarm; see the module's docstring. ``settle_s``: how long
    after the server is back the phones get to re-snapshot and empty their outboxes."""
    exactly_once = target.kind == "forum"
    n = swarm.phones
    poll_id = question_id = None
    base_votes = 0
    if exactly_once:
        poll_id = next(p["id"] for p in console.polls if p["kind"] == "rating")
        await console.call("poll:open", {"poll_id": poll_id})
        await console.call("poll:reveal", {"poll_id": poll_id, "revealed": True})
        known = {q["id"] for q in console.questions["items"]}
        await swarm.command("submit", askers=[0], start_at=time.time(), window_s=0.0, tag="herd")
        await _until(lambda: {q["id"] for q in console.questions["items"]} - known, timeout=10)
        new = {q["id"] for q in console.questions["items"]} - known
        if not new:
            raise RuntimeError("reconnect herd: phone 0's question never reached the moderator")
        question_id = min(new)
        await console.call("question:moderate", {"question_id": question_id, "action": "approve"})
        await asyncio.sleep(1.0)
        base_votes = next((q["votes"] for q in console.projector.last_questions["items"] if q["id"] == question_id), 0)
    who = sorted({i * n // askers for i in range(askers)}) if exactly_once and askers else []
    armed = await swarm.command("herd_arm", poll_id=poll_id, question_id=question_id, askers=who)
    projector = arm(console.projector, None, None, set())
    await asyncio.sleep(0.5)
    in_flight = sum(await swarm.command("herd_send_now"))
    times = await asyncio.to_thread(target.restart)
    back = times["up_at"]

    def settled(reports):
        return all(r["first_state"] and not any(i["pending"] for i in r["items"]) for r in reports)
    deadline = back + settle_s
    reports = await swarm.command("herd_report", since=times["sigterm_at"])
    while not settled(reports) and time.time() < deadline:
        await asyncio.sleep(0.5)
        reports = await swarm.command("herd_report", since=times["sigterm_at"])
    await asyncio.sleep(1.5)  # the coalesced tallies (250 ms) reach the projector and the console
    reports = await swarm.command("herd_report", since=times["sigterm_at"])
    latencies = [1000 * (r["first_state"] - back) for r in reports if r["first_state"]]
    items = [i for r in reports for i in r["items"]]
    out = {
        "phones": len(reports), "armed": sum(armed), "in_flight_sent": in_flight,
        "down_ms": round(1000 * (back - times["sigterm_at"]), 1),
        "exit_ms": round(1000 * (times["exited_at"] - times["sigterm_at"]), 1),
        "reconnect_ms": summarize(latencies, expected=len(reports)),
        "resnapshotted": len(latencies),
        # phones re-snapshotted in each second after the server was back (index 0: the first second)
        "resnapshot_per_second": [sum(1 for x in latencies if k * 1000 <= x < (k + 1) * 1000)
                                  for k in range(int(max(latencies, default=0) // 1000) + 1)],
        "back_at": round(back, 3),
        "resnapshotted_within_10s": sum(1 for x in latencies if x <= 1000 * RESNAPSHOT_S),
        "reconnect_attempts_max": max((r["attempts"] for r in reports), default=0),
        "projector_resnapshotted": any(t > times["sigterm_at"] for t in console.projector.states),
        "errors": sorted({e for r in reports if not r["first_state"] for e in r["errors"]})[:5],
        "cpu_s_new_process": round(target.cpu_seconds(), 2),
    }
    projector.close()
    if exactly_once:
        out.update(_exactly_once(items, console, poll_id, question_id, base_votes))
    return out


def _exactly_once(items: list[dict], console, poll_id: int, question_id: int, base_votes: int) -> dict:
    """Each queued action counted once: expected from the phones' outboxes, counted from the
    projector (ballots, upvotes) and the moderator's list (questions, by their unique texts)."""
    poll = next((p for p in console.projector.last_polls if p["id"] == poll_id), None)
    ballots = (poll or {}).get("results", {}) or {}
    question = next((q for q in console.projector.last_questions["items"] if q["id"] == question_id), {})
    counted = {"ballot": ballots.get("total", 0), "upvote": question.get("votes", 0) - base_votes}
    texts = [q["text"] for q in console.questions["items"]]
    expected = {kind: sum(1 for i in items if i["kind"] == kind) for kind in EVENTS}
    lost = sum(max(0, expected[k] - counted[k]) for k in counted)
    doubled = sum(max(0, counted[k] - expected[k]) for k in counted)
    for i in items:
        if i["kind"] == "question":
            copies = texts.count(i["text"])
            lost += copies == 0
            doubled += max(0, copies - 1)
    resent = [i for i in items if i["sends"] > 1]
    return {
        "queued": len(items), "queued_by_kind": expected,
        "counted_by_kind": {**counted, "question": sum(1 for i in items if i["kind"] == "question"
                                                       and i["text"] in texts)},
        "acked": sum(1 for i in items if i["acks"]), "refused": sorted({i["refused"] for i in items if i["refused"]}),
        "refused_count": sum(1 for i in items if i["refused"]),
        "pending": sum(1 for i in items if i["pending"]),
        "in_flight_resent": sum(1 for i in resent if i["in_flight"]),
        "in_flight_acked_before_drop": sum(1 for i in items if i["in_flight"] and i["sends"] == 1 and i["acks"]),
        # sent again after the reconnect and acked as a duplicate: stored by the old process, its ack lost
        "in_flight_stored_before_drop": sum(1 for i in resent if i["in_flight"] and i["duplicate_acks"]),
        "ack_lost_resent": sum(1 for i in resent if i["lose_ack"]),
        "resends": sum(i["sends"] - 1 for i in items),
        "resends_acked_as_duplicate": sum(i["duplicate_acks"] for i in items),
        "lost": lost, "doubled": doubled,
    }
