"""The swarm: phones made of python-socketio asyncio clients, spread over worker processes.

The driver (scenarios.py) sends each worker commands through a pipe; a worker runs its phones
in one asyncio loop and answers with what they measured. Every time is ``time.time()`` (one
machine, one clock for every process), in seconds; the driver turns them into milliseconds.
"""
import asyncio
import multiprocessing
import random
import time

AUDIENCE = "/audience"


class Phone:
    """One phone: an AsyncClient in /audience recording when each broadcast arrived (the
    driver's projector is the same recorder in /screen)."""

    def __init__(self, index: int, namespace: str = AUDIENCE, auth: dict | None = None):
        self.index, self.namespace = index, namespace
        self.auth = auth or {}      # added to the connect auth (the projector's view key)
        self.sio = None
        self.http = None
        self.token = None
        self.joined: dict = {}
        self.run_at: dict[int, float] = {}          # timer.adjust_ms -> arrival
        self.poll_totals: list[tuple[float, int]] = []   # (arrival, total) when the watched total changes
        self.question_seen: dict[int, float] = {}   # question id -> first arrival in the public list
        self.vote_sums: list[tuple[float, int]] = []     # (arrival, sum of upvotes) when it changes
        self.watch_poll = None
        self.last_run = None
        self.last_polls: list = []
        self.last_questions: dict = {"items": []}
        self.states: list[float] = []               # arrival of every ``state`` (each connect's snapshot)
        self.url = self.connect_auth = None
        self.herd = None                            # herd.HerdPhone once the reconnect herd armed it

    def on_run(self, run):
        self.last_run = run
        timer = run.get("timer") or {}
        self.run_at.setdefault(timer.get("adjust_ms"), time.time())

    def on_polls(self, polls):
        now = time.time()
        self.last_polls = polls
        for p in polls:
            if p.get("id") == self.watch_poll and p.get("results") is not None:
                total = p["results"]["total"]
                if not self.poll_totals or self.poll_totals[-1][1] != total:
                    self.poll_totals.append((now, total))

    def on_questions(self, questions):
        now = time.time()
        self.last_questions = questions
        items = questions.get("items", [])
        for q in items:
            self.question_seen.setdefault(q["id"], now)
        total = sum(q.get("votes", 0) for q in items)
        if not self.vote_sums or self.vote_sums[-1][1] != total:
            self.vote_sums.append((now, total))

    def source_address(self) -> str:
        """A loopback address of this phone's own (127.1.x.y), as phones on a venue LAN each
        have one: nginx's ``hash $remote_addr`` then spreads them over the processes."""
        return f"127.1.{self.index // 250}.{self.index % 250 + 1}"

    async def join(self, url: str, code: str, page: bool, own_address: bool, timeout: float):
        """Load the phone page (its cookie is the device token), connect, wait for ``state``."""
        import aiohttp
        import socketio

        t0 = time.time()
        out = {"start": t0, "page": None, "state": None, "error": None}
        connector = aiohttp.TCPConnector(limit=0, local_addr=(self.source_address(), 0) if own_address else None)
        self.http = aiohttp.ClientSession(connector=connector,
                                          timeout=aiohttp.ClientTimeout(total=None, sock_connect=timeout))
        try:
            if page:
                async with self.http.get(f"{url}/e/{code}", timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
                    await resp.read()
                    if resp.status != 200:
                        raise RuntimeError(f"page status {resp.status}")
                    cookie = resp.cookies.get("fl_device")
                    self.token = cookie.value if cookie else None
                out["page"] = time.time()
            self.sio = socketio.AsyncClient(reconnection=False, http_session=self.http)
            got_state = asyncio.get_running_loop().create_future()

            def on_state(state):
                self.states.append(time.time())
                if not got_state.done():
                    got_state.set_result(self.states[-1])
                self.token = state.get("device_token", self.token)
                self.last_run = state.get("run")
                if self.herd is not None:  # a snapshot after a reconnect: as the page, send what waited
                    self.on_polls(state.get("polls") or [])
                    self.on_questions(state.get("questions") or {"items": []})
                    self.herd.on_state()

            def on_disconnect(*_reason):
                if self.herd is not None:
                    self.herd.on_disconnect()
            self.sio.on("state", on_state, namespace=self.namespace)
            self.sio.on("disconnect", on_disconnect, namespace=self.namespace)
            self.sio.on("run", self.on_run, namespace=self.namespace)
            self.sio.on("polls", self.on_polls, namespace=self.namespace)
            self.sio.on("questions", self.on_questions, namespace=self.namespace)
            auth = {"event": code, **self.auth, **({"device": self.token} if self.token else {})}
            self.url, self.connect_auth = url, auth
            await self.sio.connect(url, namespaces=[self.namespace], auth=auth, transports=["websocket"],
                                   wait_timeout=timeout)
            out["state"] = await asyncio.wait_for(got_state, timeout)
        except Exception as exc:  # a failed join is a measured outcome, not a crash
            out["error"] = f"{type(exc).__name__}: {exc}"[:200]
        self.joined = out
        return out

    async def call(self, event: str, payload: dict, timeout: float):
        """Emit with an ack; return ``(sent, acked, ok)``."""
        sent = time.time()
        try:
            ack = await self.sio.call(event, payload, namespace=self.namespace, timeout=timeout)
            return sent, time.time(), bool(ack and ack.get("ok"))
        except Exception:
            return sent, None, False


async def _at(when: float):
    delay = when - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


class Worker:
    """The phones of one worker process, with global indices ``first .. first + count - 1``."""

    def __init__(self, first: int, count: int):
        self.phones = [Phone(first + i) for i in range(count)]

    async def join(self, url, code, start_at, ramp_s, total, page=True, own_address=False, timeout=30.0):
        async def one(phone):
            await _at(start_at + ramp_s * phone.index / max(1, total))
            return await phone.join(url, code, page, own_address, timeout)
        return await asyncio.gather(*(one(p) for p in self.phones))

    def connected(self):
        return [p for p in self.phones if p.sio is not None and p.sio.connected]

    async def vote(self, poll_id, options, start_at, window_s, total, timeout=20.0):
        async def one(phone):
            await _at(start_at + window_s * phone.index / max(1, total))
            return await phone.call("poll:vote", {"poll_id": poll_id, "value": options[phone.index % len(options)]},
                                    timeout)
        return await asyncio.gather(*(one(p) for p in self.connected()))

    async def submit(self, askers: list[int], start_at, window_s, timeout=20.0, tag="q"):
        mine = [p for p in self.connected() if p.index in set(askers)]

        async def one(phone):
            await _at(start_at + window_s * askers.index(phone.index) / max(1, len(askers)))
            return await phone.call("question:submit", {
                "client_id": f"bench-{phone.index:06d}-{tag}", "name": None, "panelist_id": None,
                "text": f"Question {phone.index} from the bench: how will the alliance reach its next partner?"},
                timeout)
        return await asyncio.gather(*(one(p) for p in mine))

    async def upvote(self, question_ids, per_phone, start_at, window_s, total, seed=8, timeout=20.0):
        async def one(phone):
            rng = random.Random(seed * 100_003 + phone.index)
            picks = rng.sample(question_ids, min(per_phone, len(question_ids)))
            await _at(start_at + window_s * phone.index / max(1, total))
            return [await phone.call("question:upvote", {"question_id": q, "on": True}, timeout) for q in picks]
        nested = await asyncio.gather(*(one(p) for p in self.connected()))
        return [c for calls in nested for c in calls]

    def watch_poll(self, poll_id):
        for p in self.phones:
            p.watch_poll, p.poll_totals = poll_id, []

    def herd_arm(self, poll_id, question_id, askers):
        """The reconnect herd: every connected phone reconnects as the page does, with its items."""
        from . import herd

        self.herds = [herd.arm(p, poll_id, question_id, set(askers)) for p in self.connected()]
        return [len(self.herds)]

    async def herd_send_now(self):
        from . import herd

        return [await herd.send_in_flight(self.herds)]

    def herd_report(self, since):
        return [h.report(since) for h in self.herds]

    def report(self, what: str):
        if what == "connected":
            return [len(self.connected())]
        if what == "run":
            return [p.run_at for p in self.phones if p.joined.get("state")]
        if what == "polls":
            return [p.poll_totals for p in self.phones if p.joined.get("state")]
        if what == "questions":
            return [(p.question_seen, p.vote_sums) for p in self.phones if p.joined.get("state")]
        raise ValueError(what)

    async def close(self):
        for h in getattr(self, "herds", []):
            h.close()
        await asyncio.gather(*(p.sio.disconnect() for p in self.connected()), return_exceptions=True)
        await asyncio.gather(*(p.http.close() for p in self.phones if p.http is not None), return_exceptions=True)


def worker_main(conn, first: int, count: int) -> None:
    """Entry of a worker process: run commands ``(name, kwargs)`` from ``conn`` until ``close``."""
    async def loop():
        worker = Worker(first, count)
        aloop = asyncio.get_running_loop()
        while True:
            name, kwargs = await aloop.run_in_executor(None, conn.recv)
            try:
                if name == "close":
                    await worker.close()
                    conn.send(("ok", None))
                    return
                if name in ("report", "watch_poll", "herd_arm", "herd_report"):
                    result = getattr(worker, name)(**kwargs)
                else:
                    result = await getattr(worker, name)(**kwargs)
                conn.send(("ok", result))
            except Exception as exc:
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
    asyncio.run(loop())


class Swarm:
    """``phones`` phones over ``workers`` processes, driven from the driver's asyncio loop."""

    def __init__(self, phones: int, workers: int):
        ctx = multiprocessing.get_context("spawn")
        self.phones, self.workers = phones, []
        per, extra = divmod(phones, workers)
        first = 0
        for w in range(workers):
            count = per + (1 if w < extra else 0)
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(child, first, count), daemon=True)
            proc.start()
            self.workers.append((proc, parent))
            first += count

    async def command(self, name: str, command_timeout: float = 120.0, **kwargs) -> list:
        """Send ``name`` with ``kwargs`` to every worker; return the flat list of their results."""
        loop = asyncio.get_running_loop()
        for _, conn in self.workers:
            conn.send((name, kwargs))

        def receive(conn):
            if not conn.poll(command_timeout):
                raise TimeoutError(f"swarm command {name} took over {command_timeout}s")
            return conn.recv()
        answers = await asyncio.gather(*(loop.run_in_executor(None, receive, c) for _, c in self.workers))
        out = []
        for status, result in answers:
            if status != "ok":
                raise RuntimeError(f"swarm command {name} failed: {result}")
            if isinstance(result, list):
                out.extend(result)
        return out

    async def close(self):
        try:
            await self.command("close", command_timeout=30)
        finally:
            for proc, conn in self.workers:
                proc.join(5)
                if proc.is_alive():
                    proc.kill()
                conn.close()
