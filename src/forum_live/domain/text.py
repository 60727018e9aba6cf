"""Cleaning text that strangers type: questions, names, poll answers."""
import re
import unicodedata

from .errors import ForumError

# Zero-width and bidi-control characters: invisible, used to spoof or garble text.
# Source: Unicode TR#9 (bidi controls) and the Cf category's zero-width characters.
_INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
    "\u061c",  # Arabic letter mark: a bidi control too
    "\u180e", "\u2061", "\u2062", "\u2063", "\u2064",  # invisible separators and operators
}
# Combining marks after one base character: Thai, Vietnamese and Devanagari need at most three;
# more is "Zalgo" text that stacks up over the lines around it.
MAX_COMBINING = 4
# A zero-width joiner inside an emoji sequence (family, flag-like) must survive.
_ZWJ = "\u200d"


def clean_text(raw: object, *, field: str, min_len: int, max_len: int, multiline: bool = False) -> str:
    """Return ``raw`` normalised (NFC, control and invisible characters removed, trimmed).

    More than MAX_COMBINING combining marks in a row are cut to that many. Emoji sequences
    (a ZWJ between two symbols) and right-to-left scripts are kept intact.
    Raises ForumError(invalid_payload) if ``raw`` is not a string, invalid_text if its cleaned
    length in characters (code points) is outside ``min_len``..``max_len``.
    """
    if not isinstance(raw, str):
        raise ForumError("invalid_payload", f"{field} must be text.")
    if len(raw) > max_len * 4:
        raise ForumError("invalid_text", f"{field} is too long (at most {max_len} characters).")
    text = unicodedata.normalize("NFC", raw)
    kept = []
    marks = 0
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        marks = marks + 1 if category in ("Mn", "Me") else 0
        if marks > MAX_COMBINING:
            continue
        if ch == _ZWJ and 0 < i < len(text) - 1 and _is_symbol(text[i - 1]) and _is_symbol(text[i + 1]):
            kept.append(ch)
        elif ch in _INVISIBLE:
            continue
        elif ch in "\n\r\t":
            kept.append("\n" if multiline and ch == "\n" else " ")
        elif category in ("Cc", "Cs"):  # controls; lone surrogates (not text, not storable)
            continue
        else:
            kept.append(ch)
    text = "".join(kept)
    if multiline:
        # Keep paragraphs, but never more than one blank line in a row (a run of empty lines
        # would push the rest off the projector).
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    else:
        text = " ".join(text.split())
    if len(text) < min_len:
        raise ForumError("invalid_text", f"{field} is too short (at least {_chars(min_len)}).")
    if len(text) > max_len:
        raise ForumError("invalid_text", f"{field} is too long (at most {_chars(max_len)}).")
    return text


def _chars(n: int) -> str:
    return f"{n} character" if n == 1 else f"{n} characters"


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or ch == "\ufe0f"
