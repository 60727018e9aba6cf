"""``python -m bench.report``: how long the post-session report and the workbook take to build
for a big event (docs/benchmarks.md). Not a test: it prints the times and the machine's load.

The event is the default one, run from start to end on a fake clock, with (defaults) 1,000
devices, 500 questions, 3,000 upvotes and 5 polls of 1,000 ballots each, stored straight in a
new SQLite database; then ``GET /moderate/report`` and ``GET /moderate/report.xlsx`` are timed
through Flask's test client (the whole request: database reads, computation, rendering). The
wall time depends on what else the machine runs; the CPU time of this process less so.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from forum_live.domain import polls as poll_rules  # noqa: E402
from forum_live.persistence.models import Ballot, Question, Takeaway, Vote  # noqa: E402
from forum_live.services import airtime, polls, rebalance  # noqa: E402
from forum_live.services import run_of_show as ros  # noqa: E402

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)
WORDS = ["solidarity", "Solidarity", "resilience", "skills", "decent work", "youth", "trust", "ความยืดหยุ่น",
         "partnership", "南南合作", "inclusion", "social protection", "تضامن", "innovation", "care"]
TOKEN = "bench-report-token"


def populate(session, event, devices: int = 1000, questions: int = 500, upvotes: int = 3000,
             poll_count: int = 5, ballots: int = 1000, takeaways: int = 30, seed: int = 14,
             texts: list[str] | None = None) -> None:
    """Run ``event``'s show from start to end on a fake clock (T0 = its scheduled start) and
    store the audience's activity in bulk: ``questions`` from random devices (statuses, names,
    panelists and themes spread), ``upvotes`` distinct (question, device) pairs on shown
    questions, ``poll_count`` polls (the event's, plus multiple-choice and open-text ones) with
    ``ballots`` ballots each, and ``takeaways``. ``texts``: question texts to use first (e.g.
    awkward ones). Deterministic for a ``seed``. Commits."""
    rnd = random.Random(seed)
    ids = [f"dev{n:05d}" for n in range(devices)]
    panel = [p.id for p in event.panelists]
    # The run of show: each segment a little off its plan, one rebalancing, a speaker change.
    now = T0 + timedelta(seconds=40)
    ros.start_show(event, now)
    for i, seg in enumerate(event.segments):
        if i == 1:
            rebalance.apply_rebalance(session, event, "spread", now)
        if seg.panelist_id is None and panel and seg.kind == "discussion":
            for k, pid in enumerate(panel):
                airtime.set_speaker(session, event, pid, now + timedelta(seconds=60 * k + 5))
        now += timedelta(milliseconds=seg.planned_ms + seg.adjust_ms + rnd.randint(-40, 70) * 1000)
        ros.next_segment(event, now)
    end = now
    while len(event.polls) < poll_count:
        kind = poll_rules.MULTIPLE if len(event.polls) % 2 else poll_rules.TEXT
        options = ["Funding", "Peer learning", "Data", "Policy dialogue"] if kind == poll_rules.MULTIPLE else []
        polls.create_poll(session, event, kind, f"Bench poll {len(event.polls) + 1}", options,
                          max_choices=2 if kind == poll_rules.MULTIPLE else None)
    statuses = ["answered"] * 3 + ["approved"] * 4 + ["pending", "rejected", "archived", "withdrawn", "merged"]
    rows = []
    for n in range(questions):
        text = (texts[n] if texts and n < len(texts)
                else f"Question {n}: how will South-South cooperation scale, and who funds it?")
        rows.append(Question(
            event_id=event.id, device_id=rnd.choice(ids), client_id=f"c{n:08d}", text=text,
            author_name=rnd.choice([None, None, "Somchai", "Ana María", "Nguyễn"]),
            panelist_id=rnd.choice([None, *panel]), theme=rnd.choice([None, *event.themes]),
            status=rnd.choice(statuses), created_at=T0 + timedelta(seconds=rnd.randint(0, 4800))))
    session.add_all(rows)
    session.flush()
    for q in rows:
        if q.status == "answered":
            q.answered_at, q.answered_by_id = q.created_at + timedelta(seconds=300), rnd.choice([None, *panel])
        if q.status == "merged":
            q.merged_into_id = rows[0].id
    shown = [q.id for q in rows if q.status in ("approved", "answered")] or [rows[0].id]
    pairs = set()
    while len(pairs) < min(upvotes, len(shown) * devices):
        pairs.add((rnd.choice(shown), rnd.choice(ids)))
    session.add_all(Vote(question_id=qid, device_id=dev, cast_at=T0 + timedelta(seconds=rnd.randint(0, 4800)))
                    for qid, dev in pairs)
    for poll in event.polls[:poll_count]:
        poll.status, poll.revealed, poll.opened_at = poll_rules.CLOSED, True, T0 + timedelta(minutes=60)
        option_ids = [o.id for o in poll.options]
        for dev in ids[:ballots]:
            if poll.kind == poll_rules.SINGLE:
                value = str(rnd.choice(option_ids))
            elif poll.kind == poll_rules.MULTIPLE:
                value = ",".join(str(v) for v in sorted(rnd.sample(option_ids, 2)))
            elif poll.kind == poll_rules.RATING:
                value = str(rnd.randint(1, poll.scale_max))
            elif poll.kind == poll_rules.WORDCLOUD:
                value = rnd.choice(WORDS)
            else:
                value = rnd.choice(["Fund peer exchanges", "More data, please", "Share the toolkits"])
            session.add(Ballot(poll_id=poll.id, device_id=dev, value=value,
                               moderation=rnd.choice(["approved", "rejected", "pending"]) if poll.kind == "text" else None,
                               cast_at=poll.opened_at + timedelta(seconds=rnd.randint(1, 90))))
    kqs = [kq.id for kq in event.key_questions]
    session.add_all(Takeaway(event_id=event.id, text=f"Takeaway {n}: alliances work when peers own the agenda.",
                             segment_id=rnd.choice(event.segments).id, panelist_id=rnd.choice([None, *panel]),
                             key_question_id=rnd.choice([None, *kqs]), for_summary=n % 3 == 0,
                             author=rnd.choice(["Rapporteur", "Console 1"]),
                             created_at=T0 + timedelta(seconds=60 * n)) for n in range(takeaways))
    session.commit()
    return end


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--upvotes", type=int, default=3000)
    parser.add_argument("--polls", type=int, default=5)
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests of each kind (after one warm-up)")
    args = parser.parse_args(argv)

    from forum_live import create_app
    from forum_live.extensions import db_session
    from forum_live.services.events import get_event

    workdir = Path(tempfile.mkdtemp(prefix="forum-bench-report-"))
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(workdir / "instance"),
                      "DATABASE_URL": f"sqlite:///{workdir / 'forum.db'}", "SECRET_KEY": "bench",
                      "FORUM_LIVE_MODERATOR_TOKEN": TOKEN, "FORUM_LIVE_ASYNC_MODE": "threading"})
    started = time.perf_counter()
    with app.app_context(), db_session() as session:
        event = get_event(session, app.config["FORUM_LIVE_EVENT_CODE"])
        populate(session, event, args.devices, args.questions, args.upvotes, args.polls, args.ballots)
    print(f"populated in {time.perf_counter() - started:.1f} s: {args.devices} devices, {args.questions} questions, "
          f"{args.upvotes} upvotes, {args.polls} polls x {args.ballots} ballots")
    client = app.test_client()
    client.get(f"/moderate?token={TOKEN}")
    results = {}
    for name, path in (("report page", "/moderate/report"), ("workbook (XLSX)", "/moderate/report.xlsx")):
        assert client.get(path).status_code == 200  # warm-up: templates compiled, caches filled
        times, cpu, size = [], [], 0
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert response.status_code == 200, response.status_code
            size = len(response.data)
        results[name] = (times, cpu, size)
    load = os.getloadavg()
    print(f"load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    print("| build | median (wall) | max (wall) | median CPU of this process | size | target |")
    print("|---|---|---|---|---|---|")
    for name, (times, cpu, size) in results.items():
        print(f"| {name} | {statistics.median(times):.2f} s | {max(times):.2f} s | {statistics.median(cpu):.2f} s "
              f"| {size / 1024:.0f} KiB | < 2 s |")


if __name__ == "__main__":
    main()
