"""``python -m bench.durability --trials 10``: SIGKILL the server during a storm of questions,
upvotes and ballots, restart it, and check that every acknowledged item is stored exactly once
(the same trial tests/live/test_durability.py runs once in CI). Prints one line per trial."""
import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support.durability import run_kill_trial  # noqa: E402


def main(argv=None) -> int:
    """Run the trials; exit status 1 if any acknowledged item was lost or duplicated."""
    parser = argparse.ArgumentParser(prog="python -m bench.durability", description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1000)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", ResourceWarning)
    failures = 0
    for n in range(args.trials):
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp:
            try:
                counts = run_kill_trial(Path(tmp), seed=args.seed + n)
                verdict = "ok"
            except AssertionError as exc:
                counts, verdict, failures = {}, f"LOST OR DUPLICATED: {exc}", failures + 1
        print(f"trial {n + 1:2d} seed {args.seed + n}: {verdict} {counts} ({time.monotonic() - started:.1f} s)",
              flush=True)
    print(f"{args.trials - failures}/{args.trials} trials kept every acknowledged item exactly once")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
