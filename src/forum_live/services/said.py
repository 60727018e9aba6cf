"""A sentence kept as data, put into words in the reader's language when it is shown.

The audit trail's sentences (services.audit_text) are written when the action is done, but read
on consoles that may each speak another language (the moderator's choice: English, French,
Spanish). So a sentence is stored as its gettext message and the values that fill it, and it is
rendered at display time: by the console's script (static/js/i18n.js ``said``) or by ``render``
here with a catalog's ``gettext``/``ngettext``. English is ``render`` without a catalog.

Shape (JSON): ``{"m": msgid, "a": {name: value}}``, with ``"p"`` (the plural msgid) and ``"n"``
(the count, also the ``{n}`` placeholder) for a message with a plural. Placeholders are written
``{name}`` (as in the scripts' catalogs). A value is text or a number, put in as it is (the
event's content is never translated), another sentence (translated in turn), or a list of them
(joined with ", ").
"""
import re
from collections.abc import Callable

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def said(message: str, **args) -> dict:
    """The sentence ``message`` (an English msgid marked with N_) filled with ``args``."""
    return {"m": message, "a": args} if args else {"m": message}


def said_n(singular: str, plural: str, n: int, **args) -> dict:
    """The sentence of count ``n``: ``singular`` or ``plural`` (msgids with ``{n}``) and ``args``."""
    return {"m": singular, "p": plural, "n": n, "a": args}


def _same(message: str) -> str:
    return message


def _same_n(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def render(sentence: dict, gettext: Callable[[str], str] = _same,
           ngettext: Callable[[str, str, int], str] = _same_n) -> str:
    """``sentence`` (see the module docstring) in words, through ``gettext``/``ngettext`` (a
    catalog's; English without them). Raises TypeError/KeyError for something that is not one."""
    if "p" in sentence:
        text = ngettext(sentence["m"], sentence["p"], sentence["n"])
        values = {"n": sentence["n"], **sentence.get("a", {})}
    else:
        text, values = gettext(sentence["m"]), sentence.get("a", {})

    def value(found: re.Match) -> str:
        name = found.group(1)
        if name not in values:
            return found.group(0)
        return _word(values[name], gettext, ngettext)

    return _PLACEHOLDER.sub(value, text)


def _word(value, gettext, ngettext) -> str:
    if isinstance(value, dict):
        return render(value, gettext, ngettext)
    if isinstance(value, list):
        return ", ".join(_word(v, gettext, ngettext) for v in value)
    return str(value)
