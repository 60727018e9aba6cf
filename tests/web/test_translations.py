"""The catalogs: complete and current in every language, every script key in them, the JSON
catalogs and the page language, and a phone's refusals in its language."""
import re

import pytest

from forum_live import catalogs
from forum_live.domain import polls as poll_rules
from forum_live.domain import questions as question_rules
from forum_live.domain.errors import ForumError
from forum_live.domain.text import clean_text
from forum_live.i18n import PHONE_LANGUAGES, SCREEN_LANGUAGES, TRANSLATIONS, babel_locale, js_catalog, negotiate
from forum_live.paths import ROOT
from forum_live.phone_text import MESSAGES, phone_message
from support.server import TOKEN as MODERATOR_TOKEN

OTHER_LANGUAGES = [code for code in PHONE_LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@pytest.fixture(scope="module")
def template():
    return catalogs.extract()


def test_every_catalog_has_every_message_translated_and_nothing_stale(template):
    # Extracts the code's messages afresh (as `python -m forum_live.catalogs update` would) and
    # compares every .po: no missing, untranslated, fuzzy or obsolete message, .mo compiled.
    assert catalogs.check(template) == []


def test_the_check_fails_on_a_missing_and_a_stale_message():
    template = catalogs.extract()  # its own copy: changed here
    template.add("A message the catalogs have never seen", None, [("static/js/x.js", 1)])
    first = next(m for m in template if m.id and not isinstance(m.id, tuple) and m.id != "Now")
    template.delete(first.id)
    problems = catalogs.check(template)
    assert "fr: missing 'A message the catalogs have never seen'" in problems
    assert f"th: stale {first.id!r}" in problems


def test_the_committed_template_is_the_extraction(template):
    with (catalogs.TRANSLATIONS / "messages.pot").open("rb") as fh:
        committed = catalogs.read_po(fh)
    assert {m.id for m in committed if m.id} == {m.id for m in template if m.id}


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_translations_keep_every_placeholder(code):
    for message in catalogs.read_catalog(code):
        if not message.id or not all(message.string if isinstance(message.id, tuple) else [message.string]):
            continue  # a screen-only message left to English (catalogs.check says which may be)
        if isinstance(message.id, tuple):
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            # The last form is the general one (Arabic's zero/one/two forms may spell the number).
            assert set(PLACEHOLDER.findall(message.string[-1])) == wanted, (code, message.id)
            assert all(set(PLACEHOLDER.findall(s)) <= wanted for s in message.string), (code, message.id)
        else:
            assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), (code, message.id)


def test_every_script_key_is_in_every_json_catalog():
    template = [m for m in catalogs.extract() if m.id and any(f.startswith("static/js/") for f, _ in m.locations)]
    keys = {m.id if isinstance(m.id, str) else m.id[0] for m in template}
    # The projector's and stage view's own messages: in the screen languages only.
    screen_only = {m.id if isinstance(m.id, str) else m.id[0] for m in template
                   if all(f.startswith(catalogs.SCREEN_SOURCES) for f, _ in m.locations)}
    # The scripts' t()/tn() calls all have a literal first argument (else extraction misses them).
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "static" / "js").glob("*.js"))
    calls = re.findall(r"(?<!function )\btn?\(\s*([^\s)])", source)
    assert calls and all(first in "\"'" for first in calls), "t()/tn() called with a non-literal message"
    assert len(keys) > 100
    # The screen languages' pages (projector, stage, console, rapporteur, report) have their own
    # messages, but no phone script's message is among them (a phone needs all 8 languages).
    assert screen_only
    phone_scripts = ("static/js/audience", "static/js/results.js", "static/js/live.js", "static/js/dom.js")
    assert not [m.id for m in template if (m.id if isinstance(m.id, str) else m.id[0]) in screen_only
                and any(f.startswith(phone_scripts) for f, _ in m.locations)]
    for code in OTHER_LANGUAGES:
        wanted = keys if code in SCREEN_LANGUAGES else keys - screen_only
        missing = wanted - set(js_catalog(code)["messages"])
        assert not missing, (code, sorted(missing))


@pytest.mark.parametrize("header, choices, expected", [
    ("th-TH,th;q=0.9,en;q=0.5", (), "th"),
    ("de-DE,de;q=0.9,fr;q=0.8,en;q=0.7", (), "fr"),
    ("en;q=0.2,ar;q=0.9", (), "ar"),
    ("zh-Hans-CN", (), "zh"),
    ("pt-BR", (), "pt"),
    ("de", (), "en"),
    ("", (), "en"),
    (None, (), "en"),
    ("fr;q=0", (), "en"),
    ("th", ("ru",), "ru"),          # ?lang= wins
    ("th", (None, "es"), "es"),     # then the cookie
    ("th", ("xx", None), "th"),     # an unknown choice is ignored
])
def test_the_language_of_a_request(header, choices, expected):
    assert negotiate(header, *choices) == expected


def test_pages_declare_their_language_and_direction(client):
    th = client.get("/e/ILO22", headers={"Accept-Language": "th"}).get_data(as_text=True)
    assert '<html lang="th" dir="ltr">' in th and "ถามคำถาม" in th
    ar = client.get("/e/ILO22?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in ar and "اطرح سؤالًا" in ar
    # The choice is remembered by its cookie: the join page follows it.
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)
    zh = client.get("/?lang=zh").get_data(as_text=True)
    assert '<html lang="zh-Hans" dir="ltr">' in zh and "加入会议" in zh
    # English stays the default, and the console is English whatever the phone chose.
    assert '<html lang="en" dir="ltr">' in client.get("/e/ILO22?lang=en").get_data(as_text=True)


def test_the_json_catalog_is_served_and_cached(client):
    response = client.get("/i18n/ru.json")
    assert response.status_code == 200 and response.headers["Cache-Control"].startswith("public")
    body = response.get_json()
    assert body["lang"] == "ru" and body["messages"]["{n} vote"] == ["{n} голос", "{n} голоса", "{n} голосов"]
    assert body["plural"] == {"one": 0, "few": 1, "many": 2}
    again = client.get("/i18n/ru.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/i18n/de.json").status_code == 404
    assert client.get("/i18n/ar.json").get_json()["dir"] == "rtl"


def _refusal(fn) -> str:
    with pytest.raises(ForumError) as caught:
        fn()
    return caught.value.message


# Each refusal a phone can meet, raised by the real rule: the table in phone_text must match it.
REFUSALS = [
    lambda: question_rules.clean_question("ab"),
    lambda: question_rules.clean_question("x" * 600),
    lambda: question_rules.clean_name("n" * 200),
    lambda: clean_text(3, field="Question", min_len=1, max_len=5),
    lambda: question_rules.check_votable("answered"),
    lambda: question_rules.check_questions_open(True, False),
    lambda: question_rules.clean_theme("Space travel", ["Skills development"]),
    lambda: poll_rules.clean_ballot("single", 99, [1, 2], 5, None),
    lambda: poll_rules.clean_ballot("multiple", [1, 2, 3], [1, 2, 3], 5, 2),
    lambda: poll_rules.clean_ballot("multiple", [1, 1], [1, 2, 3], 5, None),
    lambda: poll_rules.clean_ballot("multiple", 1, [1, 2, 3], 5, None),
    lambda: poll_rules.clean_ballot("rating", 9, [], 5, None),
    lambda: poll_rules.clean_ballot("wordcloud", "one two three four five", [], 5, None),
]


@pytest.mark.parametrize("raise_it", REFUSALS)
def test_a_phone_refusal_from_the_rules_is_translated(raise_it):
    message = _refusal(raise_it)
    assert any(p.fullmatch(message) for p, _ in MESSAGES), message
    for code in OTHER_LANGUAGES:
        assert phone_message(message, code) != message, (code, message)


def test_a_rate_limit_refusal_is_translated_with_its_numbers():
    message = "Too many questions from this phone: at most 3 per minute. Please wait 12 s and try again."
    assert phone_message(message, "fr") == ("Trop de questions depuis ce téléphone : 3 au plus par minute. "
                                            "Attendez 12 s et réessayez.")
    assert phone_message(message, "en") == message
    assert phone_message("Something only a moderator is told.", "fr") == "Something only a moderator is told."


def _event_file(tmp_path, language: str):
    source = (ROOT / "src" / "forum_live" / "events" / "ilo-solution-forum-2022.toml").read_text("utf-8")
    path = tmp_path / "event.toml"
    path.write_text(source.replace("[event]\n", f'[event]\nscreen_language = "{language}"\n', 1), "utf-8")
    return path


def test_the_projector_and_stage_view_speak_the_event_s_screen_language(tmp_path):
    from forum_live import create_app
    from forum_live.identity import stage_key, view_key
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "s",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FORUM_LIVE_ASYNC_MODE": "threading",
                      "FORUM_LIVE_EVENT_FILE": str(_event_file(tmp_path, "fr"))})
    client = app.test_client()
    # Whatever the browser says: the room's screens follow the event.
    screen = client.get(f"/screen?key={view_key('s', 'ILO22', 'projector')}", headers={"Accept-Language": "th"})
    page = screen.get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page and "Question du public" in page and "Organisé par" in page
    stage = client.get(f"/stage?key={stage_key('s', 'ILO22')}").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in stage and "Écran de scène" in stage
    assert "Rejoindre une session" not in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_an_event_file_with_another_screen_language_is_refused(tmp_path):
    from forum_live.eventfile import EventFileError, load_event_file
    with pytest.raises(EventFileError, match="screen_language"):
        load_event_file(_event_file(tmp_path, "th"))


def test_the_default_screens_stay_english(client):
    from forum_live.identity import view_key
    page = client.get(f"/screen?key={view_key('test-secret', 'ILO22', 'projector')}",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "Audience question" in page


@pytest.mark.parametrize("lang, expected", [
    ("fr", "Pas de sondage 987654."),
    ("ar", "لا يوجد الاستطلاع 987654."),
    (None, "No poll 987654."),   # no language: English
    ("xx", "No poll 987654."),   # an unknown one: English
])
def test_a_phone_s_acks_come_in_the_language_it_connected_with(connect, lang, expected):
    phone = connect("audience", **({"lang": lang} if lang else {}))
    ack = phone.call("poll:vote", {"poll_id": 987654, "value": 1})
    assert ack["ok"] is False and ack["code"] == "not_found" and ack["message"] == expected
    # A too-long question, refused by the rules, in the phone's language with its number.
    ack = phone.call("question:submit", {"client_id": "client-0001", "text": "x" * 700})
    assert ack["ok"] is False and "500" in ack["message"]
    assert (ack["message"] == "Question is too long (at most 500 characters).") == (expected.startswith("No"))


@pytest.mark.parametrize("lang, expected", [
    ("fr", "Pas de sondage 987654."),
    ("es", "No existe la encuesta 987654."),
    (None, "No poll 987654."),   # no language: English
    ("th", "No poll 987654."),   # a phone language the console does not speak: English
])
def test_a_console_s_acks_come_in_the_console_s_language(connect, lang, expected):
    console = connect("moderator", **({"lang": lang} if lang else {}))
    ack = console.call("poll:open", {"poll_id": 987654})
    assert ack["ok"] is False and ack["message"] == expected


def _console_page(client, path="/moderate", **headers):
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    return client.get(path, headers=headers)


def test_the_console_s_language_is_the_moderator_s_choice_remembered_per_browser(app):
    first = app.test_client()
    page = _console_page(first, **{"Accept-Language": "es-ES,fr;q=0.8"})
    assert '<html lang="es"' in page.get_data(as_text=True) and "Escaleta" in page.get_data(as_text=True)
    chosen = first.get("/moderate?lang=fr", headers={"Accept-Language": "es-ES"})
    assert '<html lang="fr"' in chosen.get_data(as_text=True)
    assert "fl_console_lang=fr" in chosen.headers.get("Set-Cookie", "")
    # Remembered: the plain address, the rapporteur's page and the report follow it, whatever the browser says.
    assert "Déroulé" in first.get("/moderate", headers={"Accept-Language": "es-ES"}).get_data(as_text=True)
    report = first.get("/moderate/report", headers={"Accept-Language": "es-ES"}).get_data(as_text=True)
    assert '<html lang="fr"' in report and "Compte rendu de séance" in report
    # A phone language the console does not speak: the best screen language of the header, else English.
    assert '<html lang="en"' in _console_page(app.test_client(), **{"Accept-Language": "th"}).get_data(as_text=True)
    # The phone's cookie does not change the console (and the console's does not change the phone).
    other = app.test_client()
    other.set_cookie("fl_lang", "fr")
    assert '<html lang="en"' in _console_page(other).get_data(as_text=True)


def test_a_console_message_is_needed_in_french_and_spanish_only(monkeypatch):
    """A console message left empty fails the check in French and Spanish, not in Thai."""
    read = catalogs.read_catalog

    def emptied(code):
        catalog = read(code)
        catalog["Run of show"].string = ""
        return catalog

    monkeypatch.setattr(catalogs, "read_catalog", emptied)
    problems = catalogs.check()
    assert "fr: untranslated 'Run of show'" in problems and "es: untranslated 'Run of show'" in problems
    assert "th: untranslated 'Run of show'" not in problems


def test_every_multi_line_trans_block_is_trimmed():
    """A ``{% trans %}`` block written over several lines is extracted trimmed (babel.cfg): without
    ``trimmed`` in the tag it is looked up with its line break and indentation, matches no
    message, and shows in English in every language (the trial saw the summary page do so)."""
    untrimmed = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for block in re.finditer(r"{%-?\s*trans\b([^%]*)%}(.*?){%-?\s*endtrans", path.read_text(encoding="utf-8"), re.S):
            if "\n" in block[2] and "trimmed" not in block[1]:
                untrimmed.append(f"{path.relative_to(ROOT)}: {block[2][:40]!r}")
    assert untrimmed == []


def test_the_summary_page_before_publication_is_in_the_phone_s_language(client):
    page = client.get("/e/ILO22/summary", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "publishes the session" not in page and "publie le compte rendu de la session" in page


@pytest.mark.parametrize("code", sorted(c for c in PHONE_LANGUAGES if c != "en"))
def test_the_upvote_button_s_name_keeps_its_visible_count_in_every_plural_form(code):
    """WCAG 2.5.3 Label in Name: the upvote button shows "▲ 0", so its name must carry the digit in
    every plural form (Arabic's zero, one and two forms said "no votes", "one vote", "two votes":
    axe's label-content-name-mismatch)."""
    from babel.messages.pofile import read_po
    with open(TRANSLATIONS / babel_locale(code) / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    labels = [m for m in catalog if m.pluralizable and m.id[0] in ("Upvote: {n} vote", "Remove your upvote: {n} vote")]
    assert len(labels) == 2
    assert [(m.id[0], form) for m in labels for form in m.string if "{n}" not in form] == []
