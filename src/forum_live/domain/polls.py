"""Polls: kinds, lifecycle, ballot rules and tallies. Standard library only.

Kinds: single choice; multiple choice (up to ``max_choices``); rating scale (1..scale_max);
word cloud (short answers counted with case, accents and spacing folded); open text (each
answer moderated before it is shown).
"""
import unicodedata
from collections import Counter
from datetime import datetime

from .errors import ForumError
from .text import clean_text

SINGLE, MULTIPLE, RATING, WORDCLOUD, TEXT = "single", "multiple", "rating", "wordcloud", "text"
KINDS = (SINGLE, MULTIPLE, RATING, WORDCLOUD, TEXT)
CHOICE_KINDS = (SINGLE, MULTIPLE)
DRAFT, OPEN, CLOSED = "draft", "open", "closed"
WORD_MAX_CHARS = 40
#: A word-cloud answer is one word or a short phrase ("decent work", "social safety net").
WORD_MAX_WORDS = 3
TEXT_MAX_CHARS = 280
TITLE_MAX_CHARS = 300
LABEL_MAX_CHARS = 200
MIN_OPTIONS, MAX_OPTIONS = 2, 12
SCALE_MIN, SCALE_MAX = 2, 10
#: Auto-close: from 5 seconds to 1 hour after opening.
DURATION_MIN_S, DURATION_MAX_S = 5, 3600

# Moderation of open-text answers (other kinds' ballots carry none).
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
MODERATION_ACTIONS = {"approve": APPROVED, "reject": REJECTED}

#: Poll lifecycle: action -> (statuses it applies to, status it leads to).
TRANSITIONS = {"open": ((DRAFT, CLOSED), OPEN), "close": ((OPEN,), CLOSED)}


def next_status(current: str, action: str) -> str:
    """Return the status ``action`` (open, close) leads to; raises ForumError(invalid_state)."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise ForumError("invalid_state", f"A {current} poll cannot be {'opened' if action == 'open' else 'closed'}.")
    return target


def effective_status(status: str, closes_at: datetime | None, now: datetime) -> str:
    """The poll's status at ``now``: an open poll whose auto-close deadline has passed is closed,
    whether or not the server was there to close it (state computed from stored instants)."""
    if status == OPEN and closes_at is not None and now >= closes_at:
        return CLOSED
    return status


def check_definition(kind: str, title: object, options: list, max_choices: int | None,
                     scale_max: int, duration_s: int | None) -> tuple[str, list[str]]:
    """Check a poll's definition (console authoring; the event file has the same rules).

    Returns ``(title, option labels)`` cleaned. single/multiple need 2-12 options of 1-200
    characters; multiple takes ``max_choices`` 1..len(options) (None: no limit); rating a scale
    of 2..10; other kinds no options. ``duration_s`` (auto-close) is None or 5..3600 s.
    Raises ForumError(invalid_payload) or (invalid_text) naming the field.
    """
    if kind not in KINDS:
        raise ForumError("invalid_payload", f"Unknown poll kind {str(kind)[:20]!r}; one of {', '.join(KINDS)}.")
    title = clean_text(title, field="Title", min_len=1, max_len=TITLE_MAX_CHARS)
    labels = [clean_text(o, field=f"Option {i + 1}", min_len=1, max_len=LABEL_MAX_CHARS)
              for i, o in enumerate(options)]
    if kind in CHOICE_KINDS:
        if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
            raise ForumError("invalid_payload", f"A choice poll has {MIN_OPTIONS} to {MAX_OPTIONS} options.")
        if len({word_key(label) for label in labels}) != len(labels):
            raise ForumError("invalid_payload", "Two options have the same label.")
    elif labels:
        raise ForumError("invalid_payload", f"A {kind} poll has no options.")
    if max_choices is not None and (kind != MULTIPLE or not 1 <= max_choices <= len(labels)):
        raise ForumError("invalid_payload", "A maximum number of choices is for multiple-choice polls, "
                                            "from 1 to the number of options.")
    if not SCALE_MIN <= scale_max <= SCALE_MAX:
        raise ForumError("invalid_payload", f"A rating scale goes from 1 to {SCALE_MIN}..{SCALE_MAX}.")
    if duration_s is not None and not DURATION_MIN_S <= duration_s <= DURATION_MAX_S:
        raise ForumError("invalid_payload", f"Auto-close takes {DURATION_MIN_S} to {DURATION_MAX_S} seconds.")
    return title, labels


def clean_ballot(kind: str, value: object, option_ids: list[int], scale_max: int,
                 max_choices: int | None = None) -> str:
    """Return the stored form of a ballot's ``value`` for a poll of ``kind``.

    single: an option id (int) of this poll -> "17"; multiple: a list of 1..max_choices distinct
    option ids -> "17,19" (sorted); rating: an int 1..scale_max -> "4"; wordcloud: a word or short
    phrase (1-40 characters, at most WORD_MAX_WORDS words split at spaces) -> the cleaned text; text:
    an answer of 1-280 characters.
    Raises ForumError(invalid_payload) for a wrong type, unknown option or too many choices,
    invalid_text for a bad word or answer (the profanity check is the service's: not stdlib).
    """
    if kind == SINGLE:
        if not _is_int(value) or value not in option_ids:
            raise ForumError("invalid_payload", "Choose one of the poll's options.")
        return str(value)
    if kind == MULTIPLE:
        limit = max_choices or len(option_ids)
        if not isinstance(value, list) or not value or not all(_is_int(v) for v in value):
            raise ForumError("invalid_payload", "Choose one or more of the poll's options (a list of option ids).")
        if len(set(value)) != len(value):
            raise ForumError("invalid_payload", "Each option can be chosen once.")
        if any(v not in option_ids for v in value):
            raise ForumError("invalid_payload", "Choose among the poll's options.")
        if len(value) > limit:
            raise ForumError("invalid_payload", f"Choose at most {limit} options.")
        return ",".join(str(v) for v in sorted(value))
    if kind == RATING:
        if not _is_int(value) or not 1 <= value <= scale_max:
            raise ForumError("invalid_payload", f"A rating is a whole number from 1 to {scale_max}.")
        return str(value)
    if kind == WORDCLOUD:
        word = clean_text(value, field="Answer", min_len=1, max_len=WORD_MAX_CHARS)
        count = len(word.split())
        if count > WORD_MAX_WORDS:
            # Says what was wrong with this answer, not only the rule: the phone shows it by the box.
            raise ForumError("invalid_text", f"Too many words: that is {count}. The word cloud takes one word "
                                             f"or a short phrase of at most {WORD_MAX_WORDS} words.")
        return word
    return clean_text(value, field="Answer", min_len=1, max_len=TEXT_MAX_CHARS)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def wire_value(kind: str, stored: str) -> int | list[int] | str:
    """The ballot value as a client sends it, from its stored form (see clean_ballot)."""
    if kind in (SINGLE, RATING):
        return int(stored)
    if kind == MULTIPLE:
        return [int(v) for v in stored.split(",")]
    return stored


def percentages(counts: list[int]) -> list[int]:
    """Return whole percentages of ``counts``' total, each share rounded half up on its own (all
    0 if no votes): the one rounding rule of every percentage shown (projector, phones, console,
    CSV).

    Equal counts always show equal percentages (one vote each of three: 33 %, 33 %, 33 %), so the
    column may not add up to 100: each item is off by at most half a point (docs/protocol.md).
    A method that forces a total of 100 (largest remainder) must give one of equal items an
    extra point, which people read as a difference that is not there.
    """
    return shares(counts, sum(counts))


def shares(counts: list[int], respondents: int) -> list[int]:
    """Whole percentages of ``respondents`` who chose each item, rounded half up (0 if none):
    ``round_half_up(count * 100 / respondents)`` in integers, so no float rounding.

    For multiple choice, where each respondent may choose several items: the shares do not add
    up to 100, and must not be forced to (4 of 5 people choosing an item is 80%).
    """
    if respondents == 0:
        return [0] * len(counts)
    return [(200 * c + respondents) // (2 * respondents) for c in counts]


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


def tally(kind: str, values: list[str], options: list[tuple[int, str]], scale_max: int,
          answers: list[tuple[int, str, str]] | None = None) -> dict:
    """Count ballots' stored ``values`` (in the order they were first cast) into results.

    single -> {"total", "options": [{"id", "label", "count", "percent"}]} in option order,
    each percentage rounded on its own (see percentages: the column may not add up to 100);
    multiple -> the same, plus "choices" (options ticked in all); "percent" is the share of
    respondents who chose the option (see shares), so the column does not add up to 100;
    rating -> {"total", "mean" (float, 2 decimals, or None), "distribution": [{"value", "count",
    "percent"}]};
    wordcloud -> {"total", "words": [{"key", "text", "count"}]} most common first, each shown in
    its most common spelling, ties by first appearance; ``key`` (the folded form) never changes,
    so a client can keep each word in its place as counts grow;
    text -> {"total", "answers": [{"id", "text", "status"}]} from ``answers`` = (ballot id, text,
    moderation status) as given (the caller picks which answers a role may see).
    """
    return tally_counted(kind, list(Counter(values).items()), options, scale_max, answers)


def tally_counted(kind: str, counted: list[tuple[str, int]], options: list[tuple[int, str]], scale_max: int,
                  answers: list[tuple[int, str, str]] | None = None) -> dict:
    """``tally`` from ``counted`` = (stored value, number of ballots with it), each distinct
    value once, in the order the values were first cast: what ``SELECT value, count(*) … GROUP
    BY value ORDER BY min(id)`` returns, so the database counts and Python only shapes. The
    result is tally's for the same ballots, ties broken the same way."""
    total = sum(n for _, n in counted)
    if kind in CHOICE_KINDS:
        counts: Counter = Counter()
        for value, n in counted:
            for option in value.split(","):
                counts[option] += n
        nums = [counts.get(str(oid), 0) for oid, _ in options]
        pcts = percentages(nums) if kind == SINGLE else shares(nums, total)
        out = {"total": total, "options": [
            {"id": oid, "label": label, "count": n, "percent": p}
            for (oid, label), n, p in zip(options, nums, pcts)]}
        if kind == MULTIPLE:
            out["choices"] = sum(nums)
        return out
    if kind == RATING:
        counts = Counter()
        for value, n in counted:
            counts[int(value)] += n
        nums = [counts.get(v, 0) for v in range(1, scale_max + 1)]
        mean = round(sum(v * n for v, n in zip(range(1, scale_max + 1), nums)) / total, 2) if total else None
        return {"total": total, "mean": mean, "distribution": [
            {"value": v, "count": n, "percent": p}
            for v, n, p in zip(range(1, scale_max + 1), nums, percentages(nums))]}
    if kind == WORDCLOUD:
        groups: dict[str, Counter] = {}
        for value, n in counted:
            groups.setdefault(word_key(value), Counter())[value] += n
        words = [{"key": key, "text": spellings.most_common(1)[0][0], "count": sum(spellings.values())}
                 for key, spellings in groups.items()]
        words.sort(key=lambda w: -w["count"])  # stable: ties keep first appearance
        return {"total": total, "words": words}
    return {"total": total, "answers": [{"id": i, "text": t, "status": s} for i, t, s in (answers or [])]}
