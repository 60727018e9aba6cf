"""Polls: ballot rules and tallies for single choice, rating scale and word cloud."""
import unicodedata
from collections import Counter

from .errors import ForumError
from .text import clean_text

SINGLE, RATING, WORDCLOUD = "single", "rating", "wordcloud"
KINDS = (SINGLE, RATING, WORDCLOUD)
DRAFT, OPEN, CLOSED = "draft", "open", "closed"
WORD_MAX_CHARS = 40

#: Poll lifecycle: action -> (statuses it applies to, status it leads to).
TRANSITIONS = {"open": ((DRAFT, CLOSED), OPEN), "close": ((OPEN,), CLOSED)}


def next_status(current: str, action: str) -> str:
    """Return the status ``action`` (open, close) leads to; raises ForumError(invalid_state)."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise ForumError("invalid_state", f"A {current} poll cannot be {'opened' if action == 'open' else 'closed'}.")
    return target


def clean_ballot(kind: str, value: object, option_ids: list[int], scale_max: int) -> str:
    """Return the stored form of a ballot's ``value`` for a poll of ``kind``.

    single: an option id (int) of this poll -> "17"; rating: an int 1..scale_max -> "4";
    wordcloud: a word or short phrase (1-40 characters) -> the cleaned text.
    Raises ForumError(invalid_payload) for a wrong type or unknown option, invalid_text for a bad word.
    """
    if kind == SINGLE:
        if isinstance(value, bool) or not isinstance(value, int) or value not in option_ids:
            raise ForumError("invalid_payload", "Choose one of the poll's options.")
        return str(value)
    if kind == RATING:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= scale_max:
            raise ForumError("invalid_payload", f"A rating is a whole number from 1 to {scale_max}.")
        return str(value)
    return clean_text(value, field="Answer", min_len=1, max_len=WORD_MAX_CHARS)


def percentages(counts: list[int]) -> list[int]:
    """Return whole percentages of ``counts`` that add up to exactly 100 (all 0 if no votes).

    Largest remainder method (Hamilton): floor every share, then give the points left over to
    the largest remainders, earlier items first on ties. Integer arithmetic, so equal remainders
    compare equal (floats made 1/15 and 4/15 differ).
    """
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    floors = [c * 100 // total for c in counts]
    order = sorted(range(len(counts)), key=lambda i: (-(counts[i] * 100 % total), i))
    for i in order[: 100 - sum(floors)]:
        floors[i] += 1
    return floors


def word_key(word: str) -> str:
    """Return the counting key of a word-cloud answer: case, accents and spacing folded.

    Only accents are folded: the marks accented Latin, Greek and Cyrillic letters decompose to
    (U+0300-U+036F) and Arabic's optional vowel signs (U+064B-U+065F, U+0670). Other scripts'
    combining marks are letters or tones (Thai ข่าว "news" is not ขาว "white") and are kept.
    """
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return " ".join("".join(c for c in decomposed if not _is_accent(c)).split())


def _is_accent(ch: str) -> bool:
    return "\u0300" <= ch <= "\u036f" or "\u064b" <= ch <= "\u065f" or ch == "\u0670"


def tally(kind: str, values: list[str], options: list[tuple[int, str]], scale_max: int) -> dict:
    """Count ballots' stored ``values`` into results.

    single -> {"total", "options": [{"id", "label", "count", "percent"}]} in option order;
    rating -> {"total", "mean" (float or None), "distribution": [{"value", "count", "percent"}]};
    wordcloud -> {"total", "words": [{"text", "count"}]} most common first, each shown in its
    most common spelling; ties by first appearance so the layout stays stable.
    """
    total = len(values)
    if kind == SINGLE:
        counts = Counter(values)
        nums = [counts.get(str(oid), 0) for oid, _ in options]
        return {"total": total, "options": [
            {"id": oid, "label": label, "count": n, "percent": p}
            for (oid, label), n, p in zip(options, nums, percentages(nums))]}
    if kind == RATING:
        counts = Counter(int(v) for v in values)
        nums = [counts.get(v, 0) for v in range(1, scale_max + 1)]
        mean = round(sum(v * n for v, n in zip(range(1, scale_max + 1), nums)) / total, 2) if total else None
        return {"total": total, "mean": mean, "distribution": [
            {"value": v, "count": n, "percent": p}
            for v, n, p in zip(range(1, scale_max + 1), nums, percentages(nums))]}
    groups: dict[str, Counter] = {}
    for value in values:
        groups.setdefault(word_key(value), Counter())[value] += 1
    words = [{"text": spellings.most_common(1)[0][0], "count": sum(spellings.values())}
             for spellings in groups.values()]
    words.sort(key=lambda w: -w["count"])  # stable: ties keep first appearance
    return {"total": total, "words": words}
