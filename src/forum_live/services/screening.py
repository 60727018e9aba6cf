"""Screening question text with maintained per-language profanity word lists (glin-profanity).

A match never drops a question: it holds it for the moderator (status pending with a ``flag``
saying which words matched), also when pre-moderation is off. The languages are set with
``FORUM_LIVE_PROFANITY_LANGUAGES`` (glin-profanity's names, e.g. ``english``, ``thai``); an empty
list turns screening off.
"""
import functools

from glin_profanity import Filter
from glin_profanity.data.dictionary import dictionary

#: The languages of the default event's audience (ASEAN, South Asia, Lusophone states, China,
#: Europe), as glin-profanity names them.
DEFAULT_LANGUAGES = ("english", "french", "spanish", "portuguese", "chinese", "thai", "arabic", "hindi")
FLAG_MAX_CHARS = 200


@functools.lru_cache(maxsize=8)
def _filter(languages: tuple[str, ...]) -> Filter:
    return Filter({"languages": list(languages), "word_boundaries": True})


def check_languages(languages: tuple[str, ...]) -> None:
    """Raise ValueError naming any language glin-profanity has no word list for."""
    known = set(dictionary.available_languages)
    unknown = [lang for lang in languages if lang not in known]
    if unknown:
        raise ValueError(f"FORUM_LIVE_PROFANITY_LANGUAGES: no word list for {unknown}; known: {sorted(known)}")


def screen_text(text: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> str | None:
    """Return why ``text`` must wait for a moderator (the matched words), or None if it is clean."""
    if not languages:
        return None
    result = _filter(tuple(languages)).check_profanity(text)
    if not result["contains_profanity"]:
        return None
    words = ", ".join(sorted({str(w) for w in result.get("profane_words") or []}))
    return f"Word list: {words}"[:FLAG_MAX_CHARS]
