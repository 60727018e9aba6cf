"""Keeping the gettext catalogs in step with the code (docs/translating.md).

``python -m forum_live.catalogs update`` extracts every message (Python ``_()``/``N_()``,
templates' ``_()``/``ngettext()``/``{% trans %}``, scripts' ``t()``/``tn()``) into
``translations/messages.pot``, updates every language's ``.po`` (new messages empty, gone ones
dropped) and compiles the ``.mo`` files the server reads. ``check`` lists what a catalog lacks
or keeps: the test suite fails on any (tests/web/test_translations.py).
"""
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .i18n import PHONE_LANGUAGES, SCREEN_LANGUAGES, TRANSLATIONS, babel_locale
from .paths import ROOT

#: What is extracted from where, with which function names (a keyword's value: the argument
#: positions of the singular and plural, as Babel takes them).
SOURCES = [
    ("src/forum_live", "**/*.py", "python", {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2),
                                                    "said_n": (1, 2)}, {}),
    ("templates", "**/*.html", "jinja2", {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)},
     {"trimmed": "true"}),
    ("static/js", "**/*.js", "javascript", {"t": None, "tn": (1, 2)}, {"parse_template_string": "true"}),
]
#: Where the messages of the pages that speak the screen languages (SCREEN_LANGUAGES: English,
#: French, Spanish) alone are: the projector, the stage view, the console, the rapporteur's page and
#: the report. A message used only there is needed in those languages; every other one in every
#: phone language.
SCREEN_SOURCES = ("templates/screen/", "templates/stage/", "templates/_macros.html", "static/js/screen",
                  "static/js/stage.js", "templates/moderator/", "templates/rapporteur/", "templates/report/",
                  "static/js/moderator", "static/js/comod.js", "static/js/console-takeaways.js",
                  "static/js/timekeeping.js", "static/js/rapporteur.js", "static/js/report.js",
                  "static/js/takeaways.js", "static/js/lang-switch.js", "src/forum_live/services/audit_text.py",
                  "templates/admin/", "src/forum_live/web/admin.py", "src/forum_live/web/import_text.py",
                  "src/forum_live/web/rundown.py", "src/forum_live/web/report.py")


def extract() -> Catalog:
    """Every message of the code, with where it is used (paths relative to the repository)."""
    catalog = Catalog(project="forum-live", charset="utf-8")
    for folder, pattern, method, keywords, options in SOURCES:
        for path in sorted((ROOT / folder).glob(pattern)):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(ROOT).as_posix()
            for lineno, message, comments, context in extract_from_file(method, str(path), keywords=keywords,
                                                                         options=options, strip_comment_tags=True):
                catalog.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(code: str) -> Path:
    """The ``.po`` file of language ``code``."""
    return TRANSLATIONS / babel_locale(code) / "LC_MESSAGES" / "messages.po"


def read_catalog(code: str) -> Catalog:
    """The ``.po`` catalog of language ``code``."""
    with po_path(code).open("rb") as fh:
        return read_po(fh, locale=babel_locale(code))


def check(template: Catalog | None = None) -> list[str]:
    """What is wrong with the catalogs against the code (``template``: a fresh ``extract()``):
    one line per message a language misses, leaves untranslated or fuzzy, or keeps though the
    code no longer has it, and per ``.mo`` file out of step with its ``.po``. A message of the
    projector or stage view alone (SCREEN_SOURCES) may stay empty outside SCREEN_LANGUAGES."""
    template = template or extract()
    # A message is its id with its context (pgettext): "Start" the button and "Start" the column.
    wanted = {_key(m): m.id for m in template if m.id}
    screen_only = {_key(m) for m in template if m.id and all(f.startswith(SCREEN_SOURCES) for f, _ in m.locations)}
    problems = []
    for code in PHONE_LANGUAGES:
        if code == "en":
            continue
        catalog = read_catalog(code)
        have = {_key(m): m.id for m in catalog if m.id}
        for key in sorted(wanted.keys() - have.keys(), key=str):
            problems.append(f"{code}: missing {wanted[key]!r}")
        for key in sorted(have.keys() - wanted.keys(), key=str):
            problems.append(f"{code}: stale {have[key]!r}")
        for message in catalog:
            if not message.id or _key(message) not in wanted:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                problems.append(f"{code}: fuzzy {message.id!r}")
            elif not all(strings) and (code in SCREEN_LANGUAGES or _key(message) not in screen_only):
                problems.append(f"{code}: untranslated {message.id!r}")
        if catalog.obsolete:
            problems.append(f"{code}: {len(catalog.obsolete)} obsolete message(s) kept")
        mo = po_path(code).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != _compiled(catalog):
            problems.append(f"{code}: {mo.name} is not compiled from the .po (run python -m forum_live.catalogs update)")
    return problems


def _key(message) -> tuple:
    return (message.context or "", message.id)


def _compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def update() -> None:
    """Write ``messages.pot``, bring every ``.po`` in step with it and compile the ``.mo`` files."""
    template = extract()
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    with (TRANSLATIONS / "messages.pot").open("wb") as fh:
        write_po(fh, template, width=0, omit_header=False, sort_output=False)
    for code in PHONE_LANGUAGES:
        if code == "en":
            continue
        path = po_path(code)
        if path.exists():
            catalog = read_catalog(code)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=babel_locale(code), project="forum-live", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as fh:
            write_po(fh, catalog, width=0, include_previous=False)
        path.with_suffix(".mo").write_bytes(_compiled(read_catalog(code)))


def main(argv: list[str]) -> int:
    """``update`` the catalogs, or ``check`` them (exit status 1 and a list on any problem)."""
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        problems = check()
        print("\n".join(problems) or "catalogs complete")
        return 1 if problems else 0
    print("usage: python -m forum_live.catalogs update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
