"""Profanity check for short public text (word-cloud answers), behind one small function so
every feature that needs it shares one library and one word list.

Library: glin-profanity (MIT, maintained; its English dictionary, with Unicode normalisation
so "fück" is caught). Only the English list is used: the all-languages list flags everyday
words of the audience's languages (Portuguese and Spanish "con", Italian "bite").
"""
import functools

from glin_profanity import Filter


@functools.cache
def _filter() -> Filter:
    return Filter({"languages": ["english"], "cache_results": True, "max_cache_size": 5000})


def is_profane(text: str) -> bool:
    """True if ``text`` contains a word of the profanity list (case-insensitive, whole words)."""
    return bool(text) and _filter().is_profane(text)
