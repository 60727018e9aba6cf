"""Summarise a py-spy profile (``--format raw``: collapsed stacks, one sample count per line):
``python -m bench.profile FILE [--top 25] [--match forum_live]`` prints the functions with the
most samples on the stack (inclusive) and at the top of it (self)."""
import argparse
import re
from collections import Counter


def load(path: str) -> list[tuple[list[str], int]]:
    out = []
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if stack and count.isdigit():
            out.append((stack.split(";"), int(count)))
    return out


def frame_name(frame: str) -> str:
    """``fn (path/to/file.py:12)`` -> ``fn (file.py)``: one entry per function, not per line."""
    m = re.match(r"(.*) \((.*?):\d+\)$", frame)
    if not m:
        return frame
    path = m.group(2)
    short = "/".join(path.split("/")[-2:])
    return f"{m.group(1)} ({short})"


def summarise(path: str, top: int, match: str | None) -> str:
    stacks = load(path)
    total = sum(c for _, c in stacks)
    inclusive, selfish = Counter(), Counter()
    for frames, count in stacks:
        names = [frame_name(f) for f in frames]
        for name in set(names):
            inclusive[name] += count
        selfish[names[-1]] += count
    lines = [f"{path}: {total} samples (100/s)"]
    for title, counter in (("inclusive (on the stack)", inclusive), ("self (top of the stack)", selfish)):
        lines.append(f"\n{title}:")
        shown = 0
        for name, count in counter.most_common():
            if match and match not in name:
                continue
            lines.append(f"  {100 * count / total:5.1f}%  {name}")
            shown += 1
            if shown >= top:
                break
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", help="only functions whose name or file contains this")
    args = parser.parse_args(argv)
    print(summarise(args.file, args.top, args.match))


if __name__ == "__main__":
    main()
