"""CSV exports of poll results and anonymous ballots (stdlib csv), safe to open in a spreadsheet."""
import csv
import io

#: Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): = + - @
#: and tab / carriage return, and their full-width forms, which some spreadsheets also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: object) -> object:
    """Return ``cell`` for a CSV file: text that starts like a formula gets a leading
    apostrophe, which spreadsheets show as text and never evaluate; numbers pass unchanged.
    Source: OWASP's CSV Injection guidance. Text that itself starts with an apostrophe gets one
    more, so one leading apostrophe is always the one added and ``unneutralise`` gives back the
    text exactly as typed."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS + ("'",)):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """The text a CSV cell written by ``to_csv`` stands for: its first apostrophe, if any, removed
    (the inverse of ``neutralise`` on text)."""
    return cell[1:] if cell.startswith("'") else cell


def to_csv(rows: list[list]) -> str:
    """Write ``rows`` (the first is the header) as CSV text, every cell neutralised, with a
    UTF-8 byte-order mark so spreadsheets read accents and other scripts correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[neutralise(c) for c in row] for row in rows])
    return "\ufeff" + out.getvalue()


def results_rows(kind: str, title: str, results: dict) -> list[list]:
    """The rows of a poll's results CSV, from domain.polls.tally's ``results`` for ``kind``:
    one row per option, rating value, word or answer, then totals."""
    rows: list[list] = [["poll", title], []]
    if kind in ("single", "multiple"):
        rows.append(["option", "votes", "percent"])
        rows += [[o["label"], o["count"], o["percent"]] for o in results["options"]]
    elif kind == "rating":
        rows.append(["rating", "votes", "percent"])
        rows += [[d["value"], d["count"], d["percent"]] for d in results["distribution"]]
        rows.append(["mean", results["mean"] if results["mean"] is not None else "", ""])
    elif kind == "wordcloud":
        rows.append(["word", "count"])
        rows += [[w["text"], w["count"]] for w in results["words"]]
    else:
        rows.append(["answer", "moderation"])
        rows += [[a["text"], a["status"]] for a in results["answers"]]
    rows.append(["ballots", results["total"]])
    if kind == "multiple":
        rows.append(["choices", results["choices"]])
    return rows


def ballot_rows(kind: str, ballots: list[tuple[str, str, str | None]]) -> list[list]:
    """The rows of the anonymous ballots CSV: ``ballots`` = (cast_at ISO 8601 UTC, the value as a
    person reads it, moderation status or None) in the order first cast. No device id: a number
    per ballot only."""
    header = ["ballot", "cast_at_utc", "value"] + (["moderation"] if kind == "text" else [])
    rows = [header]
    for n, (cast_at, value, status) in enumerate(ballots, start=1):
        rows.append([n, cast_at, value] + ([status or ""] if kind == "text" else []))
    return rows
