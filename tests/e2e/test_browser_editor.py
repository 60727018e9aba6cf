"""The event editor in a real browser: a new panel built in /moderate/edit (3 panelists,
6 segments, a key question with 2 sub-questions; the poll on the console), a refused field shown
next to it, then run on the projector and a phone, with live edits during the show."""
import re

from a11y import axe_violations, describe
from playwright.sync_api import expect

from conftest import shoot
from forum_live.identity import stage_key
from support.server import SECRET, TOKEN, LiveClient, clients

PANELISTS = [("Ms Ana Lima", "Youth Network", "Apprenticeships that last"),
             ("Mr Bo Chen", "Skills Council", "Employers at the table"),
             ("Dr Cy Okafor", "University of Accra", "Measuring what works")]
KQ = "What makes a youth jobs alliance last?"
SEGMENTS = [("opening", "Welcome", "5", None, None),
            ("panelist", "Apprenticeships", "8", "Ms Ana Lima", KQ),
            ("panelist", "Employers", "8", "Mr Bo Chen", KQ),
            ("panelist", "Evidence", "8", "Dr Cy Okafor", KQ),
            ("qa", "Questions from the room", "12", None, None),
            ("closing", "Wrap-up", "4", None, None)]


def _save(page, key):
    page.locator(f'form[data-key="{key}"] [data-action="save"]').click()


def test_a_new_panel_built_in_the_editor_runs_on_the_projector_and_the_phones(pages, live_server):
    editor = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    editor.goto(live_server.url + "/moderate/edit")
    editor.on("dialog", lambda dialog: dialog.accept())  # "Remove …?"
    projector = pages.open("/screen", 1920, 1080)
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    segments, panelists, kqs = (editor.locator(f"#{i} > li") for i in ("ed-segments", "ed-panelists", "ed-kqs"))
    expect(segments).to_have_count(9)

    editor.fill("#f-event-title", "Youth jobs alliance")
    editor.fill("#f-event-venue", "Room B")
    _save(editor, "event")
    expect(editor.locator("#ed-title")).to_have_text("Youth jobs alliance")
    expect(phone.locator("#event-title")).to_have_text("Youth jobs alliance")  # at once on the phone

    for n, (name, org, talk) in enumerate(PANELISTS, start=6):
        editor.fill("#f-p-add-name", name)
        editor.fill("#f-p-add-organisation", org)
        editor.fill("#f-p-add-talk_title", talk)
        _save(editor, "p-add")
        expect(panelists).to_have_count(n)
        expect(editor.locator("#f-p-add-name")).to_be_focused()  # ready for the next one

    editor.fill("#f-k-add-text", KQ)
    editor.fill("#f-k-add-prompts", "Who pays for it?\nWho decides?")
    _save(editor, "k-add")
    expect(kqs).to_have_count(3)

    # A segment that breaks the event file's rules: each problem next to its field, nothing stored.
    editor.fill("#f-s-add-title", "")
    editor.fill("#f-s-add-minutes", "0")
    _save(editor, "s-add")
    expect(editor.locator("#f-s-add-minutes-error")).to_have_text("More than 0, please.")
    expect(editor.locator("#f-s-add-title-error")).to_have_text("Required.")
    expect(editor.locator("#f-s-add-minutes")).to_have_attribute("aria-invalid", "true")
    shoot(editor, "editor-field-errors")
    found = axe_violations(editor)
    assert found == [], describe(found)  # WCAG 2.x A/AA, with the errors shown
    expect(segments).to_have_count(9)

    for n, (kind, title, minutes, speaker, kq) in enumerate(SEGMENTS, start=10):
        editor.select_option("#f-s-add-kind", kind)
        editor.fill("#f-s-add-title", title)
        editor.fill("#f-s-add-minutes", minutes)
        if speaker:
            editor.select_option("#f-s-add-panelist_id", label=speaker)
        if kq:
            editor.select_option("#f-s-add-key_question_id", label=f"3. {kq}")
        _save(editor, "s-add")
        expect(segments).to_have_count(n)

    # The old panel goes: 9 segments, 5 panelists, 2 key questions.
    for left in range(14, 5, -1):
        segments.first.locator('[data-action="remove"]').click()
        expect(segments).to_have_count(left)
    for left in range(7, 2, -1):
        panelists.first.locator('[data-action="remove"]').click()
        expect(panelists).to_have_count(left)
    for left in (2, 1):
        kqs.first.locator('[data-action="remove"]').click()
        expect(kqs).to_have_count(left)
    expect(segments.first.locator('[name="title"]')).to_have_value("Welcome")
    expect(editor.locator("#f-k-add-text")).to_have_value("")
    shoot(editor, "editor-new-panel")

    # The poll, as today: on the console.
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    expect(console.locator("#ros-body tr")).to_have_count(6)
    console.get_by_role("button", name="+ New poll").click()
    console.locator("#pf-kind").select_option("single")
    console.locator("#pf-title").fill("Which idea first?")
    console.locator("#pf-options").fill("Apprenticeships\nEmployers\nEvidence")
    console.get_by_role("button", name="Create draft").click()
    poll = console.locator("#mod-polls > li", has_text="Which idea first?")
    expect(poll).to_be_visible()

    # Run it: the projector and the phone follow.
    console.locator("#btn-start").click()
    expect(projector.locator("#st-seg")).to_have_text("Welcome")
    console.locator("#btn-next").click()
    expect(projector.locator("#st-seg")).to_have_text("Apprenticeships")
    expect(projector.locator("#st-name")).to_have_text("Ms Ana Lima")
    expect(phone.locator("#now-segment")).to_contain_text("Apprenticeships")
    expect(phone.locator("#ask-to")).to_contain_text("Dr Cy Okafor")

    # Live edits: a fixed name shows at once; the segment on air cannot be removed (the reason is shown).
    on_air = segments.nth(1)
    expect(on_air).to_contain_text("On air")
    ana = panelists.first
    ana.locator('[name="name"]').fill("Ms Ana Lima-Souza")
    ana.locator('[data-action="save"]').click()
    expect(projector.locator("#st-name")).to_have_text("Ms Ana Lima-Souza")
    on_air.locator('[data-action="remove"]').click()
    expect(on_air.locator(".form-error")).to_contain_text("is on air")
    expect(segments).to_have_count(6)
    # Its new length acts as +/- time: 8 -> 10 minutes adds two.
    on_air.locator('[name="minutes"]').fill("10")
    on_air.locator('[data-action="save"]').click()
    expect(console.locator("#activity-list")).to_contain_text("+2:00 on air")
    expect(projector.locator("#st-clock")).to_have_text(re.compile(r"^\s*(10:00|09:5\d)\s*$"))

    poll.get_by_role("button", name="Open").click()
    phone.get_by_role("radio", name="Evidence").or_(phone.get_by_role("button", name="Evidence")).first.click()
    expect(poll.get_by_text("1 ballot")).to_be_visible()
    shoot(projector, "projector-new-panel")
    assert pages.foreign_requests() == []
    assert pages.errors == []


def test_the_editor_in_french_says_a_refused_field_in_french_and_shows_a_colleagues_edit(pages, live_server):
    editor = pages.open(f"/moderate?token={TOKEN}", 1366, 768, locale="fr-FR")
    editor.goto(live_server.url + "/moderate/edit")
    expect(editor.locator("html")).to_have_attribute("lang", "fr")
    expect(editor.locator("#ed-segments > li")).to_have_count(9)
    editor.fill("#f-s-add-title", "Pause")
    editor.fill("#f-s-add-minutes", "700")
    _save(editor, "s-add")
    expect(editor.locator("#f-s-add-minutes-error")).to_have_text("Au plus 600.")
    editor.fill("#f-event-booked_end", "2022-09-13T09:00")
    _save(editor, "event")
    expect(editor.locator('form[data-key="event"] #f-event-booked_end-error')).to_have_text(
        "Le créneau réservé doit finir après le début.")
    found = axe_violations(editor)
    assert found == [], describe(found)
    # A colleague's edit shows at once; a form being typed in keeps what was typed.
    second = editor.locator("#ed-panelists > li").nth(1).locator('[name="role"]')
    second.fill("Conseiller")
    colleague = LiveClient(live_server.url, "/moderator", {"token": TOKEN, "console": "console-colleague"})
    try:
        first = colleague.state()["event"]["panelists"][0]
        assert colleague.call("panelist:update", {"panelist_id": first["id"], "name": "M. Helder da Costa"})["ok"]
    finally:
        colleague.close()
    expect(editor.locator("#ed-panelists > li").first.locator('[name="name"]')).to_have_value("M. Helder da Costa")
    expect(second).to_have_value("Conseiller")
    assert pages.errors == []


def test_the_editor_sets_the_projector_s_language_and_the_open_projector_follows(pages, live_server):
    """A trial could not make the projector French once the database existed: the event editor
    now sets the event's screen language (en, fr, es; anything else is refused, naming the
    field), and an open projector and stage view load themselves again in it."""
    projector = pages.open("/screen", 1280, 720)
    stage = pages.open(f"/stage?key={stage_key(SECRET, 'ILO22')}", 1280, 720)
    for page in (projector, stage):
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator(".live-indicator[data-status=online]")).to_be_attached(timeout=10_000)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        refused = mod.call("event:edit", {"screen_language": "de"})
        assert refused["ok"] is False and "screen_language" in refused.get("fields", {}), refused
        assert mod.call("event:edit", {"screen_language": "fr"})["ok"]
    for page in (projector, stage):
        expect(page.locator("html")).to_have_attribute("lang", "fr", timeout=10_000)
    expect(projector.locator("#scene-idle")).to_be_visible()
    assert not pages.errors, pages.errors
