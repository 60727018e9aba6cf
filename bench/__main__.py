"""``python -m bench``: measure forum-live under a swarm of phones (docs/benchmarks.md).

  python -m bench run       side by side in one run: the bare python-socketio server and
                            forum-live under gevent, eventlet and threading, one process each
  python -m bench scaleout  forum-live on several processes behind nginx, sharing PostgreSQL
                            and a Redis message queue

Both print tables (Markdown) and write every number as JSON (``--json``). Every server runs on
127.0.0.1, on ports from ``--port`` up; every scenario stops by itself.
"""
import argparse
import asyncio
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from . import herd, scenarios, servers
from .stats import ratio, table
from .swarm import Swarm

#: Issue 16's targets, each against the bare server of the same async mode in the same run.
TARGETS = {
    "cpu_vs_bare": 2.0,             # server CPU of join, vote and questions, each
    "ack_p95_vs_bare": 3.0,         # vote ack and upvote ack p95
    "fanout_p95_vs_bare": 1.3,      # fan-out to every phone p95
    "join_all_vs_bare": 2.0,        # time until every phone joined
    "memory_kb_over_bare": 5.0,     # server RSS per connected phone, KB more than bare's
    "vote_final_after_last_ms": 1000.0,
    "herd_resnapshot_s": herd.RESNAPSHOT_S,  # issue 16 item 4: every phone's new snapshot after a restart
}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "scaleout"):
        p = sub.add_parser(name)
        p.add_argument("--phones", type=int, default=1000 if name == "run" else 3000)
        p.add_argument("--workers", type=int, default=4 if name == "run" else 6,
                       help="swarm processes the phones are spread over")
        p.add_argument("--scenarios", default="join,fanout,vote,questions,herd",
                       help="comma-separated, in this order: join,fanout,vote,questions,herd (join always "
                            "runs; herd, the server restarted under the phones, last, and on run only)")
        p.add_argument("--rounds", type=int, default=20, help="fan-out: moderator actions")
        p.add_argument("--gap", type=float, default=0.5, help="fan-out: seconds between actions")
        p.add_argument("--ramp", type=float, default=0.0,
                       help="join: the phones start within this many seconds (0: all at once)")
        p.add_argument("--vote-window", type=float, default=2.0)
        p.add_argument("--askers", type=int, default=20, help="question storm: phones that ask")
        p.add_argument("--upvotes", type=int, default=3, help="question storm: upvotes per phone")
        p.add_argument("--json", metavar="FILE", help="write the results here as JSON")
        p.add_argument("--quiet-load", type=float, default=None, metavar="LOAD",
                       help="before each target, wait (up to --quiet-wait s) until the 1-minute load "
                            "average is below LOAD: other work on a shared machine skews the numbers")
        p.add_argument("--quiet-wait", type=float, default=300.0)
        p.add_argument("--workdir", help="logs and databases (default: a new folder in /tmp)")
        p.add_argument("--profile", action="store_true",
                       help="run each forum-live server under py-spy (profiles in the workdir; "
                            "summarise with python -m bench.profile FILE)")
    run = sub.choices["run"]
    run.add_argument("--targets", default="bare:gevent,forum:gevent,forum:eventlet,forum:threading",
                     help="comma-separated kind:mode, kind forum or bare, mode gevent, eventlet or threading")
    run.add_argument("--database", default="sqlite",
                     help="forum-live's database: sqlite (a new file per target) or a PostgreSQL URL "
                          "(a new schema per target in it)")
    run.add_argument("--port", type=int, default=5800)
    scale = sub.choices["scaleout"]
    scale.add_argument("--processes", type=int, default=3)
    scale.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/forum_bench")
    scale.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    scale.add_argument("--port", type=int, default=5850, help="nginx here, the servers on the next ports")
    return parser.parse_args(argv)


async def measure(target, args) -> dict:
    """Start ``target``, run the scenarios against it, stop it; return its results. Each phone
    connects from a loopback address of its own (swarm.Phone.source_address)."""
    import os

    wanted = args.scenarios.split(",")
    if args.quiet_load is not None:
        deadline = time.time() + args.quiet_wait
        while os.getloadavg()[0] >= args.quiet_load and time.time() < deadline:
            await asyncio.sleep(5)
    target.start()
    result = {"target": target.name, "phones": args.phones,
              "loadavg_1m_before": round(os.getloadavg()[0], 2)}
    console = scenarios.Console(target.url, servers.TOKEN, servers.projector_key(scenarios.CODE))
    swarm = None
    try:
        await console.connect()
        time.sleep(0.5)
        rss_idle = target.rss()
        swarm = Swarm(args.phones, args.workers)
        cpu = target.cpu_seconds()
        result["join"] = await scenarios.join_stampede(swarm, target.url, args.ramp, own_address=True)
        await asyncio.sleep(1.0)
        rss_joined = target.rss()
        result["memory"] = {"rss_idle_mb": round(rss_idle / 2**20, 1), "rss_joined_mb": round(rss_joined / 2**20, 1),
                            "kb_per_phone": round((rss_joined - rss_idle) / 1024 / max(1, result["join"]["joined"]), 1)}
        steps = {"fanout": lambda: scenarios.fan_out(swarm, console, args.rounds, args.gap),
                 "vote": lambda: scenarios.vote_storm(swarm, console, args.vote_window),
                 "questions": lambda: scenarios.question_storm(swarm, console, args.askers, args.upvotes, 2.0)}
        result["cpu_s"] = {"join": round(target.cpu_seconds() - cpu, 2)}
        for name in ("fanout", "vote", "questions"):
            if name in wanted:
                cpu = target.cpu_seconds()
                result[name] = await steps[name]()
                result["cpu_s"][name] = round(target.cpu_seconds() - cpu, 2)
                result[name]["phones_still_connected"] = sum(await swarm.command("report", what="connected"))
        result["memory"]["rss_end_mb"] = round(target.rss() / 2**20, 1)
        if hasattr(target, "procs"):
            result["memory"]["rss_per_process_mb"] = [
                round(servers.psutil.Process(pid).memory_info().rss / 2**20, 1) for pid in target.pids()]
        if "herd" in wanted and hasattr(target, "restart"):  # last: it replaces the server process
            result["herd"] = await herd.reconnect_herd(swarm, console, target, args.askers)
            result["cpu_s"]["herd"] = result["herd"]["cpu_s_new_process"]
            result["herd"]["phones_still_connected"] = sum(await swarm.command("report", what="connected"))
        result["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    finally:
        if swarm is not None:
            await swarm.close()
        await console.close()
        target.stop()
    return result


def rows_of(result: dict) -> list[dict]:
    """Flatten one target's results into table rows: one per measured distribution."""
    rows = []
    for scenario, metrics in result.items():
        if not isinstance(metrics, dict) or scenario in ("memory", "cpu_s"):
            continue
        for metric, value in metrics.items():
            if isinstance(value, dict) and "p95" in value:
                rows.append({"target": result["target"], "scenario": scenario, "metric": metric,
                             "count": f"{value['count']}/{value['expected']}", **{k: value[k] for k in
                                                                                  ("p50", "p95", "p99", "max")}})
    return rows


def counts_of(result: dict) -> list[dict]:
    """One row of counts and single numbers per target."""
    j, f, v, q, m, h = (result.get(k, {}) for k in ("join", "fanout", "vote", "questions", "memory", "herd"))
    return [{
        "target": result["target"], "joined": f"{j.get('joined')}/{j.get('phones')}", "all joined s": j.get("all_joined_s"),
        "KB/phone": m.get("kb_per_phone"), "RSS MB": m.get("rss_joined_mb"),
        "every event": f"{f.get('phones_with_every_event')}/{f.get('phones')}" if f else None,
        "ballots counted": f"{v.get('counted_projector')}/{v.get('ballots_acked')}/{v.get('ballots_sent')}" if v else None,
        "final tally ms": v.get("projector_final_after_last_ballot_ms"),
        "upvotes counted": f"{q.get('upvotes_counted_projector')}/{q.get('upvotes_acked')}/{q.get('upvotes_sent')}"
        if q else None,
        "final upvotes ms": q.get("projector_final_after_last_upvote_ms"),
        "re-snapshot ≤10 s": f"{h.get('resnapshotted_within_10s')}/{h.get('phones')}" if h else None,
        "queued lost/doubled": f"{h.get('lost')}/{h.get('doubled')} of {h.get('queued')}" if "queued" in h else None,
        "still connected": min((result[k]["phones_still_connected"] for k in ("fanout", "vote", "questions", "herd")
                                if k in result), default=None),
        "server CPU s": round(sum(result.get("cpu_s", {}).values()), 1) or None,
        "load before/after": f"{result.get('loadavg_1m_before')}/{result.get('loadavg_1m_after')}",
    }]


def ratios(results: list[dict]) -> list[dict]:
    """forum-live / bare for every distribution, against the bare server of the same async mode
    (or the first bare server measured)."""
    bares = {r["target"].split("-", 1)[1]: r for r in results if r["target"].startswith("bare-")}
    if not bares:
        return []
    out = []
    for r in results:
        if r["target"].startswith("bare-"):
            continue
        mode = r["target"].split("-")[1]
        bare = bares.get(mode) or next(iter(bares.values()))
        for row in rows_of(r):
            b = next((x for x in rows_of(bare) if x["scenario"] == row["scenario"] and x["metric"] == row["metric"]),
                     None)
            if b:
                out.append({"forum / bare": f"{r['target']} / {bare['target']}", "scenario": row["scenario"],
                            "metric": row["metric"], **{p: ratio(row[p], b[p]) for p in ("p50", "p95", "p99", "max")}})
    return out


def _over(value, base):
    """``value / base`` rounded, or None when either is missing or the base is 0."""
    return round(value / base, 2) if isinstance(value, (int, float)) and isinstance(base, (int, float)) and base else None


def target_checks(results: list[dict], rat: list[dict]) -> list[dict]:
    """Issue 16's targets, measured: one row each per forum-live target, every ratio against the
    bare server of the same async mode in this run (the first bare one if none)."""
    bares = {r["target"].split("-")[1]: r for r in results if r["target"].startswith("bare-")}
    out = []
    for r in results:
        if r["target"].startswith("bare-"):
            continue
        bare = bares.get(r["target"].split("-")[1]) or next(iter(bares.values()), {})
        fan = next((x["p95"] for x in rat if x["forum / bare"].startswith(r["target"] + " ")
                    and x["scenario"] == "fanout" and x["metric"] == "latency_ms"), None)
        v, j, q = r.get("vote", {}), r.get("join", {}), r.get("questions", {})
        bj = bare.get("join", {})
        cpu, bcpu = r.get("cpu_s", {}), bare.get("cpu_s", {})
        kb, bkb = r.get("memory", {}).get("kb_per_phone"), bare.get("memory", {}).get("kb_per_phone")

        def p95(result, scenario, metric):
            return (result.get(scenario, {}).get(metric) or {}).get("p95")

        checks = [(f"server CPU of {name} vs bare", _over(cpu.get(name), bcpu.get(name)), TARGETS["cpu_vs_bare"], "<=")
                  for name in ("join", "vote", "questions")]
        checks += [
            ("vote ack p95 vs bare", _over(p95(r, "vote", "ack_ms"), p95(bare, "vote", "ack_ms")),
             TARGETS["ack_p95_vs_bare"], "<="),
            ("upvote ack p95 vs bare", _over(p95(r, "questions", "upvote_ack_ms"), p95(bare, "questions", "upvote_ack_ms")),
             TARGETS["ack_p95_vs_bare"], "<="),
            ("fan-out p95 vs bare", fan, TARGETS["fanout_p95_vs_bare"], "<="),
            ("all phones joined vs bare", _over(j.get("all_joined_s") if j.get("joined") == j.get("phones") else None,
                                                bj.get("all_joined_s")), TARGETS["join_all_vs_bare"], "<="),
            ("KB per phone over bare", round(kb - bkb, 1) if kb is not None and bkb is not None else None,
             TARGETS["memory_kb_over_bare"], "<="),
            ("ballots counted %", round(100 * v["counted_projector"] / v["ballots_sent"], 1) if v else None, 100.0, ">="),
            ("upvotes counted %", round(100 * q["upvotes_counted_projector"] / q["upvotes_sent"], 1)
             if q.get("upvotes_sent") else None, 100.0, ">="),
            ("final tally after last ballot, ms", v.get("projector_final_after_last_ballot_ms"),
             TARGETS["vote_final_after_last_ms"], "<="),
        ]
        if "fanout" in r:
            f = r["fanout"]
            checks.append(("phones with every event %", round(100 * f["phones_with_every_event"] / r["phones"], 1),
                           100.0, ">="))
        if "herd" in r:
            h = r["herd"]
            checks += [
                (f"every phone re-snapshotted within {TARGETS['herd_resnapshot_s']:g} s %",
                 round(100 * h["resnapshotted_within_10s"] / h["phones"], 1) if h["phones"] else None, 100.0, ">="),
                ("queued actions lost", h.get("lost"), 0.0, "<="),
                ("queued actions doubled", h.get("doubled"), 0.0, "<="),
            ]
        for name, value, goal, op in checks:
            met = None if value is None else (value <= goal if op == "<=" else value >= goal)
            out.append({"target": r["target"], "check": name, "measured": value, "goal": f"{op} {goal:g}",
                        "met": {True: "yes", False: "NO", None: "-"}[met]})
    return out


def versions() -> dict:
    """Versions of everything measured, and the machine."""
    import importlib.metadata as md
    import os
    import subprocess

    out = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
           "memory_gb": round(servers.psutil.virtual_memory().total / 2**30, 1)}
    for pkg in ("flask", "flask-socketio", "python-socketio", "python-engineio", "gevent", "gevent-websocket",
                "eventlet", "simple-websocket", "werkzeug", "sqlalchemy", "psycopg", "redis", "aiohttp"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    try:
        out["cpu"] = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    nginx = servers.nginx.nginx_binary()
    if nginx:
        out["nginx"] = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    return out


def report(results: list[dict], args, extra: dict | None = None) -> dict:
    """Print the tables; return everything as one JSON-able dict."""
    rows = [row for r in results for row in rows_of(r)]
    print("\n## Latencies (ms)\n")
    print(table(rows, ["target", "scenario", "metric", "count", "p50", "p95", "p99", "max"]))
    print("\n## Counts, memory and times\n")
    print(table([c for r in results for c in counts_of(r)],
                ["target", "joined", "all joined s", "KB/phone", "RSS MB", "every event", "ballots counted",
                 "final tally ms", "upvotes counted", "final upvotes ms", "re-snapshot ≤10 s", "queued lost/doubled",
                 "still connected", "server CPU s",
                 "load before/after"]))
    rat = ratios(results)
    if rat:
        print("\n## forum-live / bare\n")
        print(table(rat, ["forum / bare", "scenario", "metric", "p50", "p95", "p99", "max"]))
    checks = target_checks(results, rat)
    print("\n## Targets\n")
    print(table(checks, ["target", "check", "measured", "goal", "met"]))
    out = {"command": "python -m bench " + " ".join(sys.argv[1:]), "versions": versions(),
           "args": vars(args), "results": results, "ratios": rat, "targets": checks, **(extra or {})}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1), "utf-8")
        print(f"\nJSON: {args.json}")
    return out


async def main_async(args) -> None:
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="forum-bench-"))
    results = []
    started = time.time()
    if args.command == "run":
        for i, spec in enumerate(args.targets.split(",")):
            kind, mode = spec.split(":")
            target = servers.Single(kind, mode, args.port + i, workdir, args.database,
                                    profile=args.profile and kind == "forum")
            print(f"[{time.time() - started:6.1f}s] {target.name}: {args.phones} phones ...", flush=True)
            results.append(await measure(target, args))
    else:
        target = servers.ScaleOut(args.processes, args.port, workdir, args.postgres, args.redis,
                                  profile=args.profile)
        print(f"[{time.time() - started:6.1f}s] {target.name}: {args.phones} phones ...", flush=True)
        results.append(await measure(target, args))
    print(f"[{time.time() - started:6.1f}s] done; logs in {workdir}", flush=True)
    report(results, args)


def main(argv=None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
