"""Accessibility in real browsers (WCAG 2.2 AA, issue 15): axe-core on every page in its main states
with no serious or critical violation; a phone that asks, upvotes and votes with the keyboard alone;
what matters announced in a live region; the vendored fonts drawing a Thai question on the projector."""
import re

import pytest
from a11y import axe_violations, describe
from playwright.sync_api import expect

from forum_live.identity import stage_key, view_key
from support.server import SECRET, TOKEN, clients

PHONE = dict(width=360, height=740, mobile=True)


def _online(page):
    expect(page.locator("body.live-online")).to_be_attached(timeout=15_000)


def _clean(page, state: str):
    """No serious or critical WCAG 2.x A/AA violation on ``page`` in ``state``."""
    found = axe_violations(page)
    assert found == [], f"{state}:\n{describe(found)}"


def _ask(url, text):
    """A question from a fresh phone (python-socketio), approved by the moderator; its id."""
    with clients() as make:
        phone = make(url, "/audience", {"event": "ILO22"})
        ack = phone.call("question:submit", {"client_id": f"c-{abs(hash(text))}", "text": text})
        assert ack["ok"], ack
        qid = ack["question"]["id"]
        mod = make(url, "/moderator", {"token": TOKEN})
        if ack["question"]["status"] == "pending":
            assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        return qid


def _moderator(url, *calls):
    """Run moderator events in order; each must be acked ok. Returns the acks."""
    acks = []
    with clients() as make:
        mod = make(url, "/moderator", {"token": TOKEN})
        for event, payload in calls:
            ack = mod.call(event, payload)
            assert ack["ok"], (event, ack)
            acks.append(ack)
    return acks


def _poll(url):
    with clients() as make:
        return make(url, "/moderator", {"token": TOKEN}).state()["polls"][0]


def test_the_phone_has_no_serious_violation_joined_asking_voting_results_and_offline(pages, live_server):
    join = pages.open("/", **PHONE)
    _clean(join, "join page")
    join.locator("input").first.fill("NOPE1")
    join.keyboard.press("Enter")
    expect(join.locator("#code-error")).to_be_visible()
    _clean(join, "join page with an unknown code")

    url = live_server.url
    _ask(url, "How do fragile states share what works?")
    phone = pages.open("/e/ILO22", **PHONE)
    _online(phone)
    expect(phone.locator("#q-list li").first).to_be_visible()
    _clean(phone, "phone with questions")
    phone.locator("#ask-text").fill("What does a first alliance need?")
    _clean(phone, "phone typing a question")

    poll = _poll(url)
    _moderator(url, ("poll:open", {"poll_id": poll["id"]}))
    card = phone.locator(f'.poll-card[data-poll-id="{poll["id"]}"]')
    expect(card.locator(".poll-status")).to_have_text("Open")
    _clean(phone, "phone with an open poll")
    _moderator(url, ("poll:close", {"poll_id": poll["id"]}), ("poll:reveal", {"poll_id": poll["id"]}))
    expect(card.locator(".poll-results .bar-row").first).to_be_visible()
    _clean(phone, "phone with poll results")

    phone.context.set_offline(True)
    expect(phone.locator("body.live-offline")).to_be_attached(timeout=15_000)
    expect(phone.locator(".live-banner")).to_be_visible(timeout=10_000)
    _clean(phone, "phone offline")
    phone.context.set_offline(False)
    _online(phone)
    assert [e for e in pages.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_the_console_has_no_serious_violation_with_questions_and_an_open_poll(pages, live_server):
    url = live_server.url
    _ask(url, "Which ingredient brought the first results?")
    with clients() as make:
        ack = make(url, "/audience", {"event": "ILO22"}).call(
            "question:submit", {"client_id": "c-pending", "text": "Still awaiting moderation?"})
        assert ack["ok"], ack
    _moderator(url, ("poll:open", {"poll_id": _poll(url)["id"]}))
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    _online(console)
    expect(console.locator("#mod-polls > li").first).to_be_visible()
    _clean(console, "console")
    console.keyboard.press("?")
    _clean(console, "console with the shortcuts")
    assert pages.errors == []


def test_the_console_rapporteur_and_report_in_french_have_no_serious_violation(pages, live_server):
    """The same pages in French (longer labels, the language switcher, translated names)."""
    url = live_server.url
    _ask(url, "Qui finance les échanges entre pairs ?")
    _moderator(url, ("poll:open", {"poll_id": _poll(url)["id"]}))
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768, locale="fr-FR")
    _online(console)
    expect(console.locator("html")).to_have_attribute("lang", "fr")
    expect(console.locator("#mod-polls > li").first).to_be_visible()
    _clean(console, "console in French")
    rapporteur = console.context.new_page()  # the console's choice (cookie) holds for the rapporteur
    rapporteur.goto(url + f"/rapporteur?key={view_key(SECRET, 'ILO22', 'rapporteur')}")
    expect(rapporteur.locator("html")).to_have_attribute("lang", "fr")
    _online(rapporteur)
    _clean(rapporteur, "rapporteur in French")
    report = console.context.new_page()
    report.goto(url + "/moderate/report")
    expect(report.locator("html")).to_have_attribute("lang", "fr")
    _clean(report, "report (draft) in French")
    assert pages.errors == []


@pytest.mark.parametrize("scene", ["timer", "prompt", "question", "poll", "join", "holding", "blackout"])
def test_the_projector_has_no_serious_violation_in_each_scene(pages, live_server, scene):
    url = live_server.url
    qid = _ask(url, "Can a South-South alliance outlive its funding?")
    poll = _poll(url)
    calls = [("timer:start", {})]
    if scene == "question":
        calls.append(("question:highlight", {"question_id": qid}))
    elif scene == "prompt":
        with clients() as make:
            kq = make(url, "/moderator", {"token": TOKEN}).state()["event"]["key_questions"][0]
        calls.append(("prompt:show", {"prompt_id": kq["prompts"][0]["id"]}))
    elif scene == "poll":
        calls += [("poll:open", {"poll_id": poll["id"]}), ("poll:show", {"poll_id": poll["id"]})]
    else:
        calls.append(("scene:set", {"scene": scene}))
    _moderator(url, *calls)
    projector = pages.open("/screen", 1920, 1080)
    _online(projector)
    expect(projector.locator("#screen")).to_have_attribute("data-scene", scene, timeout=10_000)
    _clean(projector, f"projector, scene {scene}")
    assert pages.errors == []


def test_stage_rapporteur_report_and_summary_have_no_serious_violation(pages, live_server):
    url = live_server.url
    _ask(url, "How is airtime shared?")
    _moderator(url, ("timer:start", {}), ("stage:message", {"text": "1 minute"}),
               ("takeaway:add", {"client_id": "takeaway-1", "text": "Alliances need a shared budget line."}))
    stage = pages.open(f"/stage?key={stage_key(SECRET, 'ILO22')}", 1920, 1080)
    _online(stage)
    _clean(stage, "stage view with a message")
    rapporteur = pages.open(f"/rapporteur?key={view_key(SECRET, 'ILO22', 'rapporteur')}", 1280, 800)
    _online(rapporteur)
    _clean(rapporteur, "rapporteur")
    rapporteur.set_viewport_size({"width": 1280, "height": 300})  # a long run of show: the side list scrolls
    sizes = rapporteur.evaluate("() => [document.querySelector('.rp-side').scrollHeight, "
                                "document.querySelector('.rp-side').clientHeight]")
    assert sizes[0] > sizes[1], sizes
    _clean(rapporteur, "rapporteur with its side list scrolling")
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)  # signs this browser context in
    _online(console)
    report = console.context.new_page()
    report.goto(url + "/moderate/report")
    expect(report.locator("h1").first).to_be_visible()
    _clean(report, "report (draft)")
    _moderator(url, ("summary:publish", {"published": True}))
    summary = pages.open("/e/ILO22/summary", **PHONE)
    expect(summary.locator("h1").first).to_be_visible()
    _clean(summary, "audience summary")
    console.close()
    assert pages.errors == []


# ---- keyboard alone, and what is announced ----------------------------------------------------

def _tab_to(page, predicate: str, limit: int = 80):
    """Press Tab until ``predicate`` (a JS function of the focused element) holds; fail after ``limit``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => !!({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


FOCUS_SHOWN = """() => { const s = getComputedStyle(document.activeElement);
  return s.boxShadow !== 'none' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0); }"""


def _announced(page, text):
    expect(page.locator("#announcer")).to_contain_text(text, timeout=10_000)


def test_a_phone_asks_upvotes_and_votes_with_the_keyboard_alone_and_hears_what_changed(pages, live_server):
    url = live_server.url
    _ask(url, "How do fragile states share what works?")
    phone = pages.open("/e/ILO22", **PHONE)
    _online(phone)
    expect(phone.locator("#announcer")).to_be_attached()

    # Ask: Tab to the box, type, Tab to "Send question", Enter.
    _tab_to(phone, "(el) => el.id === 'ask-text'")
    assert phone.evaluate(FOCUS_SHOWN), "the focused question box shows no focus ring"
    phone.keyboard.type("Which ingredient made the alliance work?")
    _tab_to(phone, "(el) => el.id === 'ask-submit'")
    assert phone.evaluate(FOCUS_SHOWN), "the focused send button shows no focus ring"
    phone.keyboard.press("Enter")
    mine = phone.locator("#mine-list li", has_text="Which ingredient made the alliance work?")
    expect(mine).to_be_visible()
    expect(mine.locator(".status-pill")).to_have_attribute("data-status", "pending")  # the server has it

    # Its approval is announced.
    with clients() as make:
        mod = make(url, "/moderator", {"token": TOKEN})
        pending = [q for q in mod.state()["questions"]["items"] if q["text"].startswith("Which ingredient")]
        assert mod.call("question:moderate", {"question_id": pending[0]["id"], "action": "approve"})["ok"]
    _announced(phone, "Your question was approved")

    # Upvote the other question: Tab to its button, Space.
    _tab_to(phone, "(el) => el.matches('#q-list .vote') && /^Upvote/.test(el.getAttribute('aria-label'))"
                   " && el.closest('li').textContent.includes('fragile states')")
    assert phone.evaluate(FOCUS_SHOWN), "the focused upvote button shows no focus ring"
    phone.keyboard.press("Space")
    other = phone.locator("#q-list li", has_text="fragile states")
    expect(other.get_by_role("button", name=re.compile("Remove your upvote: 1 vote"))).to_be_visible()

    # A poll opens: announced; vote with Tab and Enter.
    poll = _poll(url)
    _moderator(url, ("poll:open", {"poll_id": poll["id"]}))
    _announced(phone, f"Poll: vote now · {poll['title']}")
    card = phone.locator(f'.poll-card[data-poll-id="{poll["id"]}"]')
    expect(card.locator(".poll-status")).to_have_text("Open")
    option = poll["options"][-1]["label"]
    _tab_to(phone, f"(el) => el.closest('.poll-card') && el.textContent.trim().startsWith({option!r})")
    assert phone.evaluate(FOCUS_SHOWN), "the focused poll option shows no focus ring"
    phone.keyboard.press("Enter")
    expect(card.locator(".poll-hint")).to_contain_text("Vote received")

    # The connection lost and back: both said.
    phone.context.set_offline(True)
    _announced(phone, "Connection lost")
    phone.context.set_offline(False)
    _announced(phone, "Connected again")
    assert [e for e in pages.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_reduced_motion_turns_animations_and_transitions_off(pages):
    phone = pages.open("/e/ILO22", **PHONE, reduced_motion="reduce")
    _online(phone)
    durations = phone.evaluate("""() => [...document.querySelectorAll('*')].map((el) => {
      const s = getComputedStyle(el); return [s.animationName, s.transitionDuration]; })""")
    assert all(name == "none" for name, _ in durations)
    assert all(all(float(d.rstrip("s")) == 0 for d in t.split(",")) for _, t in durations)


# ---- the vendored fonts ---------------------------------------------------------------------

FACE_STATUS = """(family) => [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === family)
  .map((f) => f.status)"""


def test_a_thai_question_on_the_projector_is_drawn_with_the_vendored_thai_face(pages, live_server):
    projector = pages.open("/screen", 1920, 1080)
    _online(projector)
    # Before any Thai text, the Thai faces are declared but not downloaded (unicode-range).
    thai_faces = projector.evaluate(FACE_STATUS, "Noto Sans Thai")
    assert thai_faces and set(thai_faces) == {"unloaded"}, thai_faces
    text = "ความร่วมมือใต้-ใต้ช่วยแรงงานเยาวชนได้อย่างไร"
    qid = _ask(live_server.url, text)
    _moderator(live_server.url, ("question:highlight", {"question_id": qid}))
    expect(projector.locator("#scene-question")).to_contain_text(text)
    projector.wait_for_function("() => document.fonts.status === 'loaded'")
    assert "loaded" in projector.evaluate(FACE_STATUS, "Noto Sans Thai")
    thai_loaded = projector.evaluate("""() => [...document.fonts].some((f) => f.status === 'loaded'
      && f.family.replace(/["']/g, '') === 'Noto Sans Thai' && f.unicodeRange.toUpperCase().includes('U+E01-E5B'))""")
    assert thai_loaded, projector.evaluate("() => [...document.fonts].map((f) => [f.family, f.status, f.unicodeRange])")
    # Chinese faces stay unloaded: no Chinese text on the screen.
    assert "loaded" not in projector.evaluate(FACE_STATUS, "Noto Sans SC"), projector.evaluate(
        "() => [...document.fonts].filter((f) => f.status !== 'unloaded').map((f) => [f.family, f.unicodeRange])")
    requested = [u for u in pages.requests if "/vendor/fonts/" in u]
    assert any("noto-sans-thai-thai-" in u for u in requested), requested
    assert not any("noto-sans-sc" in u for u in requested), requested
    assert pages.foreign_requests() == []
    assert pages.errors == []
