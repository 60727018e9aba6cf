"""Languages: which ones the pages speak, choosing one for a request, the gettext catalogs.

The catalogs are gettext files under ``translations/`` (``messages.pot``, one
``<lang>/LC_MESSAGES/messages.po`` and its compiled ``.mo`` per language; docs/translating.md).
Templates and server messages use them through Flask-Babel; the pages' scripts get the
messages of ``static/js`` as one JSON catalog per language (``js_catalog``, served at
``/i18n/<lang>.json``). The event's own content (titles, names, questions) is never translated.
"""
import functools
import gettext
import re
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DEFAULT = "en"

#: The phone pages' languages: code -> (name in that language, direction). English is the
#: source language (its catalog is the messages themselves). The order is the switcher's.
PHONE_LANGUAGES = {
    "en": ("English", "ltr"),
    "fr": ("Français", "ltr"),
    "es": ("Español", "ltr"),
    "pt": ("Português", "ltr"),
    "ar": ("العربية", "rtl"),
    "zh": ("中文（简体）", "ltr"),
    "ru": ("Русский", "ltr"),
    "th": ("ไทย", "ltr"),
}
#: The console, projector, stage view, rapporteur and report: a subset (docs/translating.md).
SCREEN_LANGUAGES = ("en", "fr", "es")
#: The cookie that keeps a phone's chosen language (set by the switcher, read on every page).
LANG_COOKIE = "fl_lang"
#: The cookie that keeps the console's, rapporteur's and report's language (the moderator's choice,
#: per browser; a separate cookie, so a phone tried on the same laptop does not change it).
CONSOLE_LANG_COOKIE = "fl_console_lang"
#: The catalog directory of each code (gettext names Simplified Chinese zh_Hans).
CATALOG_DIRS = {"zh": "zh_Hans"}
#: The BCP 47 tag a page declares in <html lang> for each code.
HTML_LANG = {"zh": "zh-Hans"}
#: Where the scripts' messages are: their own, and the sentences the server sends as data for a
#: script to put into words (the audit trail's, services/said.py).
JS_SOURCES = ("static/js/", "src/forum_live/services/audit_text.py")


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark for extraction")
    """Mark ``message`` for extraction without translating it here (it is translated later,
    in the reader's language)."""
    return message


class MessageTable:
    """English messages of the rules matched to the gettext messages that say them in another
    language: ``[(English regular expression, msgid)]``; the pattern's named groups fill the
    msgid's ``%(name)s`` placeholders. Used at the edges that speak a reader's language: the
    phones' acks (phone_text.py), the import dialog (web/import_text.py), the organiser page's
    refusals (web/admin.py)."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.rows = [(re.compile(pattern, re.S), msgid) for pattern, msgid in rows]

    def __iter__(self):
        """The rows: ``(compiled pattern, msgid)``."""
        return iter(self.rows)

    def match(self, message: object) -> tuple[str, dict[str, str]] | None:
        """``(msgid, {placeholder: value})`` of the first row ``message`` matches whole, else None
        (also for a message that is not a string)."""
        if not isinstance(message, str):
            return None
        for pattern, msgid in self.rows:
            found = pattern.fullmatch(message)
            if found:
                return msgid, found.groupdict()
        return None


def supported(code: object, languages=PHONE_LANGUAGES) -> str | None:
    """Return ``code`` as one of ``languages`` (``"pt-BR"`` -> ``"pt"``, ``"zh-Hans-CN"`` ->
    ``"zh"``), or None when it is not text or not one of them."""
    if not isinstance(code, str) or not code.strip():
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()[:8]
    return base if base in languages else None


def negotiate(accept_language: str | None, *choices: object, languages=PHONE_LANGUAGES) -> str:
    """The language of a request: the first of ``choices`` (a ``?lang=``, the cookie) that is
    supported, else the best of the ``Accept-Language`` header (RFC 9110 section 12.5.4: quality
    values, in order), else English."""
    for choice in choices:
        code = supported(choice, languages)
        if code:
            return code
    ranked = []
    for i, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = supported(tag, languages)
        if code and quality > 0:
            ranked.append((-quality, i, code))
    return min(ranked)[2] if ranked else DEFAULT


def direction(code: str) -> str:
    """``"rtl"`` for a right-to-left language (Arabic), else ``"ltr"``."""
    return PHONE_LANGUAGES.get(code, ("", "ltr"))[1]


def html_lang(code: str) -> str:
    """The tag for ``<html lang>``: ``"zh-Hans"`` for Simplified Chinese, else the code."""
    return HTML_LANG.get(code, code)


def babel_locale(code: str) -> str:
    """The Babel (CLDR) locale name of ``code``: ``"zh_Hans"`` for Simplified Chinese."""
    return CATALOG_DIRS.get(code, code)


@functools.lru_cache(maxsize=32)
def translations(code: str) -> NullTranslations:
    """The compiled catalog of ``code`` (English and unknown codes: no translation)."""
    if code == DEFAULT or code not in PHONE_LANGUAGES:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [babel_locale(code)])


def translate(lang: str, message: str, **params) -> str:
    """``message`` (an English msgid with ``%(name)s`` placeholders) in language ``lang``."""
    text = translations(lang).gettext(message)
    return text % params if params else text


@functools.lru_cache(maxsize=32)
def js_catalog(code: str) -> dict:
    """The JSON catalog of ``code`` for static/js/i18n.js: ``{"lang", "dir", "plural":
    {CLDR category: gettext form index}, "messages": {msgid: text or [forms]}}``, read from the
    ``.po`` file (only the messages of JS_SOURCES, translated and not fuzzy).
    Raises KeyError for a code that is not a phone language."""
    name, dir_ = PHONE_LANGUAGES[code]
    messages: dict = {}
    plural = {"other": 0}
    if code != DEFAULT:
        path = TRANSLATIONS / babel_locale(code) / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=babel_locale(code))
        for message in catalog:
            if not message.id or message.fuzzy or not any(f.startswith(JS_SOURCES) for f, _ in message.locations):
                continue
            if isinstance(message.id, tuple):
                forms = list(message.string)
                if all(forms):
                    messages[message.id[0]] = forms
            elif message.string:
                messages[message.id] = message.string
        plural = _plural_map(code, catalog.plural_forms)
    return {"lang": html_lang(code), "dir": dir_, "name": name, "plural": plural, "messages": messages}


def _plural_map(code: str, plural_forms: str) -> dict:
    """Which gettext plural form each CLDR category (as ``Intl.PluralRules`` names it) takes,
    found by trying the counts 0..1000 in both rules."""
    expr = plural_forms.split("plural=", 1)[1].rstrip(";")
    index_of = gettext.c2py(expr)
    rule = Locale.parse(babel_locale(code)).plural_form
    found: dict = {}
    for n in list(range(0, 1001)) + [1_000_000, 2_000_000]:
        found.setdefault(rule(n), index_of(n))
    return found
