"""The console on a 13-inch laptop (1366×768 and 1280×720): a show under way entirely in view
without scrolling the page, usable from the keyboard, the projector preview, connection
awareness, and two consoles kept in step."""
import re
import time

import pytest
from playwright.sync_api import expect

from conftest import shoot
from support.server import TOKEN, clients

W, H = 1366, 768


@pytest.fixture
def live_server(generous_live_server):
    """A show asks many questions from one address (127.0.0.1): lift the question limits."""
    return generous_live_server


# The main controls, by panel: timer, projector scene, run of show, prompt deck, questions,
# activity. Each must be fully inside the window and not covered or scrolled away (the polls
# and the run of show around the segment on air: see _show_in_view).
MAIN_CONTROLS = [
    "#btn-start", "#btn-pause", "#btn-prev", "#btn-next", "#btn-minus", "#btn-plus",
    *[f'.scene-btn[data-scene="{s}"]' for s in ("timer", "prompt", "question", "poll", "join", "holding", "blackout")],
    "#preview",  # the preview frame is inert (no focus, no clicks): its figure is what is hit
    "#end-projected",
    *[f"#prompts .kq.is-current .prompt:nth-child({i}) button" for i in range(1, 4)],
    *[f'.q-tab[data-status="{s}"]' for s in ("pending", "approved", "answered", "other")],
    "#btn-show-next", "#q-premod", "#q-per", "#q-filter-panelist",
    "#mod-q-list li:nth-child(1) .btn-approve", "#mod-q-list li:nth-child(1) .btn-reject",
    "#activity-list", "#btn-rename", "#presence", "#btn-keys", "#btn-takeaways",
]


def _console(pages, name=None):
    page = pages.open(f"/moderate?token={TOKEN}", W, H)
    expect(page.locator(".live-indicator[data-status=online]")).to_be_visible()
    if name:
        page.evaluate("(n) => localStorage.setItem('forum-live.console-name', n)", name)
        page.reload()
    expect(page.locator(".live-indicator[data-status=online]")).to_be_visible()
    return page


def _ask(pages, text):
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    phone.locator("#ask-text").fill(text)
    phone.locator("#ask-submit").click()
    expect(phone.get_by_text("Awaiting moderation")).to_be_visible()
    return phone


# A show under way: twenty questions waiting for moderation, one on the projector, two up next,
# three polls (one closed with its results shown, one open, one still a draft).
SHOW_QUESTIONS = [
    "How do fragile states start cooperating with each other, concretely, in the first year?",
    "What did the g7+ members learn from each other that no donor could have taught them?",
    "Could a2i's innovation labs work in a country without a national ID system?",
    "Which part of the ASEAN skills network would you keep if the funding were cut by half?",
    "How do you measure whether an alliance against child labour actually changes what happens on the farms?",
    "Is social protection in ASEAN moving towards one regional standard, or a patchwork of national schemes?",
    "Youth unemployment is rising in my country. What is the first thing a ministry of labour should copy from "
    "these examples, and what should it avoid?",
    "How are trade unions and employers involved in the South-South exchanges, not only governments?",
    "What happens to these networks when a government changes after an election?",
    "Do you share curricula and trainers across borders, or only experiences?",
    "Mr da Costa, how does fragile-to-fragile cooperation avoid repeating the mistakes of traditional aid?",
    "Can small island states join the ASEAN skills network as observers?",
    "What role does the private sector play in financing the a2i network after the pilot phase?",
    "Which of the five themes has the weakest evidence so far, and how will you close that gap?",
    "How do migrant workers benefit from these alliances when they move between countries of the South?",
    "Is there a platform where practitioners from different regions can keep talking after today?",
    "Professor Tejavivaddhana, how did COVID-19 change the priorities of the ASEAN Institute for Health "
    "Development, and did it open the door to more cooperation on social protection?",
    "What is the single biggest obstacle to scaling up triangular cooperation today?",
    "How do you make sure the voices of informal workers are heard in these networks?",
    "Could the panel name one concrete commitment each organisation will make before the next GSSD Expo?",
]
ON_PROJECTOR = "How can South-South cooperation reach young people in rural areas who are not online?"
UP_NEXT = ["What is the role of the ILO in keeping these alliances alive after the projects end?",
           "How are the results of these alliances shared with countries that are not members?"]
SIZES = [(1366, 768), (1280, 720)]


def _real_show(server, console):
    """Put the console in the state of a show under way (see SHOW_QUESTIONS); return the polls' ids.

    The default event is dated 2022, so starting it now is a rehearsal (the "Rehearsal" tag) and
    its plan is longer than its booked slot (the over-the-slot alerts): both always show."""
    with clients() as make:
        mod = make(server.url, "/moderator", {"token": TOKEN})
        state = mod.state()
        panelists = state["event"]["panelists"]
        segment = next(s for s in state["run"]["segments"] if s["title"] == "Fragile-to-fragile cooperation")
        assert mod.call("timer:goto", {"segment_id": segment["id"]})["ok"]
        phones = [make(server.url, "/audience", {"event": "ILO22"}) for _ in range(6)]

        def ask(n, text):
            ack = phones[n % len(phones)].call("question:submit", {
                "client_id": f"show-question-{n:04d}", "text": text, "name": ["Somchai P.", None, "Ana"][n % 3],
                "panelist_id": panelists[n % len(panelists)]["id"] if n % 2 else None})
            assert ack["ok"], ack
            return ack["question"]["id"]

        for n, text in enumerate([ON_PROJECTOR, *UP_NEXT]):
            qid = ask(100 + n, text)
            assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
            if n:
                assert mod.call("question:queue", {"question_id": qid, "position": n - 1})["ok"]
            else:
                spotlight = qid
        for n, text in enumerate(SHOW_QUESTIONS):
            ask(n, text)
        polls = [p["id"] for p in state["polls"]]
        assert mod.call("poll:open", {"poll_id": polls[0]})["ok"]
        options = next(p for p in state["polls"] if p["id"] == polls[0])["options"]
        for n, phone in enumerate(phones):
            assert phone.call("poll:vote", {"poll_id": polls[0], "value": options[n % 3]["id"]})["ok"]
        assert mod.call("poll:close", {"poll_id": polls[0]})["ok"]
        assert mod.call("poll:reveal", {"poll_id": polls[0], "revealed": True})["ok"]
        assert mod.call("poll:open", {"poll_id": polls[1]})["ok"]
        for n, phone in enumerate(phones[:4]):
            assert phone.call("poll:vote", {"poll_id": polls[1], "value": 3 + n % 3})["ok"]
        assert mod.call("question:highlight", {"question_id": spotlight})["ok"]
    expect(console.locator("#timer-panel")).to_have_attribute("data-state", "running")
    expect(console.locator('.q-tab[data-status="pending"] .q-tab-count')).to_have_text(str(len(SHOW_QUESTIONS)))
    expect(console.locator("#mod-q-list > li")).to_have_count(len(SHOW_QUESTIONS))
    expect(console.locator("#upnext-list > li")).to_have_count(len(UP_NEXT))
    expect(console.locator("#highlight-bar")).to_be_visible()
    expect(console.locator(f'#mod-polls > li[data-poll-id="{polls[1]}"]')).to_have_attribute("data-status", "open")
    ballots = {"en": "4 ballots", "fr": "4 bulletins", "es": "4 votos"}[console.evaluate("document.documentElement.lang")]
    expect(console.locator(f'#mod-polls > li[data-poll-id="{polls[1]}"] .mp-total')).to_have_text(ballots)
    # The banners of a real show take their room: the rehearsal tag and both over-the-slot alerts.
    expect(console.locator("#ros-rehearsal")).to_be_visible()
    expect(console.locator('#ros-alerts .alert[data-kind="warn"]')).to_be_visible()
    expect(console.locator("#ros-alerts .alert")).to_have_count(2)
    return polls


# Where an element is in view: its whole box inside the window and inside every ancestor that
# clips it (a scrolled list), and a grid of points over it hits the element itself (no bar, sticky
# heading, dialog or toast over it). Returns the problem, or null.
IN_VIEW = """(el) => {
  const name = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}"`;
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return `${name}: not displayed`;
  const box = (b) => `${Math.round(b.left)},${Math.round(b.top)} to ${Math.round(b.right)},${Math.round(b.bottom)}`;
  if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
    return `${name}: ${box(r)} is outside the ${innerWidth}x${innerHeight} window`;
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const cs = getComputedStyle(a);
    if (cs.overflowX === "visible" && cs.overflowY === "visible") continue;
    const c = a.getBoundingClientRect();
    const top = c.top + a.clientTop, left = c.left + a.clientLeft;
    const clip = {left, top, right: left + a.clientWidth, bottom: top + a.clientHeight};
    if (r.left < clip.left - 0.5 || r.top < clip.top - 0.5 || r.right > clip.right + 0.5 || r.bottom > clip.bottom + 0.5)
      return `${name}: ${box(r)} is cut by ${a.id || a.className} (${box(clip)})`;
  }
  const inset = Math.min(6, r.width / 4, r.height / 4);
  for (const fx of [0, .5, 1]) for (const fy of [0, .5, 1]) {
    const x = r.left + inset + (r.width - 2 * inset) * fx, y = r.top + inset + (r.height - 2 * inset) * fy;
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === el || el.contains(hit)))
      return `${name}: covered at ${Math.round(x)},${Math.round(y)} by ${hit && (hit.id || hit.className || hit.tagName)}`;
  }
  return null;
}"""


def _out_of_view(page, selector):
    """The problems of every element ``selector`` matches (see IN_VIEW); one if none matches."""
    found = page.locator(selector)
    if found.count() == 0:
        return [f"{selector}: missing"]
    return [p for p in found.evaluate_all(f"(els) => els.map({IN_VIEW})") if p]


def _show_in_view(page, open_poll):
    """What a moderator must see without scrolling, mid-show: returns what is not in view."""
    poll = f'#mod-polls > li[data-poll-id="{open_poll}"]'
    wanted = [
        *MAIN_CONTROLS,
        "#timer-big", "#timer-seg", "#timer-phase", "#ros-rehearsal", "#ros-alerts .alert",
        # the run of show around the segment on air: the one before, the one on air, the next two
        *[f"#ros-body {row}{cell}" for row in ("tr:has(+ tr.is-current)", "tr.is-current", "tr.is-current + tr",
                                              "tr.is-current + tr + tr") for cell in ("", " .btn-go", " .btn-auto")],
        # the prompts of the key question on air, text and button
        "#prompts .kq.is-current .kq-title", "#prompts .kq.is-current .prompt",
        # the open (or next) poll: its title, its tally and every control it has
        "#btn-new-poll", f"{poll} .mp-title", f"{poll} .mp-total",
        f"{poll} .mp-actions > :not([hidden])",
        # questions: the highlight bar, up next, and the first five of the current tab, whole
        "#highlight-bar", "#btn-clear-highlight", "#upnext-list > li", "#btn-show-next",
        *[f"#mod-q-list > li:nth-child({i})" for i in range(1, 6)],
    ]
    return [p for sel in wanted for p in _out_of_view(page, sel)]


def _wait_in_view(page, open_poll, timeout_s=5.0):
    """Wait until everything of _show_in_view is in view (lists scroll to what is on air or open
    once their size settles, on the next frames); return what is still out of view then."""
    deadline = time.monotonic() + timeout_s
    while (problems := _show_in_view(page, open_poll)) and time.monotonic() < deadline:
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return problems


#: The console's languages at each size: French and Spanish labels are longer than English ones.
SHOW_CASES = [(size, "en") for size in SIZES] + [((1366, 768), "fr"), ((1366, 768), "es")]


@pytest.mark.parametrize(("size", "lang"), SHOW_CASES, ids=[f"{w}x{h}-{lang}" for (w, h), lang in SHOW_CASES])
def test_a_real_show_is_in_view_without_scrolling(pages, live_server, size, lang):
    width, height = size
    console = pages.open(f"/moderate?token={TOKEN}", width, height, locale=lang)
    expect(console.locator(".live-indicator[data-status=online]")).to_be_visible()
    assert console.evaluate("document.documentElement.lang") == lang
    projector = pages.open("/screen", 1920, 1080)
    expect(console.locator("#n-projectors")).to_have_text("1")
    polls = _real_show(live_server, console)
    problems = _wait_in_view(console, polls[1])
    shoot(console, ("console" if size == (1366, 768) else f"console-show-{width}x{height}")  # console.png: the README's
          + ("" if lang == "en" else f"-{lang}"))
    assert problems == []
    # The page itself never scrolls: the window is the whole console.
    assert console.evaluate("document.scrollingElement.scrollHeight <= innerHeight && "
                            "document.scrollingElement.scrollWidth <= innerWidth")
    # The open poll closed: the next one (the draft after it) comes into view, ready to open.
    console.locator(f'#mod-polls > li[data-poll-id="{polls[1]}"] .btn-close').click()
    expect(console.locator(f'#mod-polls > li[data-poll-id="{polls[1]}"]')).to_have_attribute("data-status", "closed")
    expect(console.locator(f'#mod-polls > li[data-poll-id="{polls[2]}"] .btn-open')).to_be_in_viewport()
    assert _wait_in_view(console, polls[2]) == []
    projector.close()


def test_the_console_works_from_the_keyboard_alone_with_a_visible_focus(pages):
    console = _console(pages)
    pages.open("/screen", 1920, 1080)
    _ask(pages, "What is the first step for a new alliance?")
    expect(console.locator("#mod-q-list li")).to_have_count(1)
    console.locator("body").click(position={"x": 700, "y": 760})  # nothing focused, as after page load

    def tab_to(selector, limit=120):
        """Press Tab until `selector` has the focus; return how the focus looked there."""
        for _ in range(limit):
            console.keyboard.press("Tab")
            found = console.evaluate("""(sel) => {
              const el = document.activeElement, target = document.querySelector(sel);
              if (el !== target) return null;
              const cs = getComputedStyle(el);
              return {visible: el.matches(':focus-visible'), outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth)};
            }""", selector)
            if found:
                return found
        raise AssertionError(f"{selector} never got the focus")

    def focus_ring_ok(ring):
        return ring["visible"] and ring["outline"] != "none" and ring["width"] >= 2

    # Start the second segment from its row, with Enter.
    ring = tab_to("#ros-body tr:nth-child(2) .btn-go")
    assert focus_ring_ok(ring)
    console.keyboard.press("Enter")
    expect(console.locator("#timer-panel")).to_have_attribute("data-state", "running")
    # Space on a focused button presses it, and does not also pause the show.
    ring = tab_to("#prompts .kq.is-current .prompt:nth-child(2) button")
    assert focus_ring_ok(ring)
    console.keyboard.press("Space")
    expect(console.locator("#scene-now")).to_have_text(re.compile("Key question 1, prompt 2"))
    expect(console.locator("#timer-panel")).to_have_attribute("data-state", "running")
    ring = tab_to("#mod-q-list li:nth-child(1) .btn-approve")
    assert focus_ring_ok(ring)
    console.keyboard.press("Enter")
    expect(console.locator('.q-tab[data-status="approved"] .q-tab-count')).to_have_text("1")
    # Tabs move with the arrow keys (one tab stop for the tab list).
    tab_to('.q-tab[data-status="pending"]')
    console.keyboard.press("ArrowRight")
    expect(console.locator('.q-tab[data-status="approved"]')).to_have_attribute("aria-selected", "true")
    ring = tab_to("#mod-q-list li:nth-child(1) .btn-highlight")
    console.keyboard.press("Enter")
    expect(console.locator("#highlight-bar")).to_be_visible()
    # Scene buttons, each reachable; the holding slide by keyboard.
    for scene in ("timer", "prompt", "question", "join", "holding", "blackout"):
        assert focus_ring_ok(tab_to(f'.scene-btn[data-scene="{scene}"]'))
    tab_to('.scene-btn[data-scene="holding"]')
    console.keyboard.press("Enter")
    expect(console.locator('.scene-btn[data-scene="holding"]')).to_have_attribute("aria-pressed", "true")
    # Polls: open the first one from the keyboard.
    assert focus_ring_ok(tab_to("#mod-polls > li:nth-child(1) .btn-open"))
    console.keyboard.press("Enter")
    expect(console.locator("#mod-polls > li:nth-child(1)")).to_have_attribute("data-status", "open")
    # The timer controls and the rest of the console.
    for sel in ("#btn-pause", "#btn-prev", "#btn-next", "#btn-minus", "#btn-plus", "#btn-rename", "#activity-list"):
        assert focus_ring_ok(tab_to(sel)), sel
    tab_to("#btn-plus")
    console.keyboard.press("Enter")
    expect(console.locator("#activity-list li").first).to_contain_text("+1:00")
    # The focus stays on the button pressed (it is briefly disabled while the server answers).
    expect(console.locator("#btn-plus")).to_be_focused()
    console.keyboard.press("Enter")
    expect(console.locator("#activity-list li").first).to_contain_text("+1:00 on")
    expect(console.locator("#ros-body tr.is-current .ros-adjust")).to_have_text("+02:00")
    # The preview is a picture: the focus never goes into it.
    assert console.evaluate("document.activeElement.id") != "preview-iframe"
    shoot(console, "console-keyboard-focus")
    assert pages.errors == []


def test_the_preview_is_the_projector_page_itself(pages):
    console = _console(pages)
    frame_el = console.locator("#preview-iframe")
    assert frame_el.get_attribute("src").startswith("/screen?preview=1&key=")
    frame = console.frame_locator("#preview-iframe")
    expect(frame.locator("body.page-screen[data-view=preview]")).to_be_attached()
    expect(frame.locator("#idle-title")).to_have_text(re.compile("Building Multi-Stakeholder Alliances"))
    # The same page: the projector's scene sections, all of them, in the same order.
    projector = pages.open("/screen", 1920, 1080)
    ids = "() => [...document.querySelectorAll('.scene')].map((s) => s.id)"
    assert console.frame_locator("#preview-iframe").locator("body").evaluate(
        "() => [...document.querySelectorAll('.scene')].map((s) => s.id)") == projector.evaluate(ids)
    # What the room sees, the preview sees: the join scene, then the holding slide.
    console.locator('.scene-btn[data-scene="join"]').click()
    expect(frame.locator("#scene-join")).to_be_visible()
    expect(projector.locator("#scene-join")).to_be_visible()
    console.locator('.scene-btn[data-scene="holding"]').click()
    for where in (frame, projector):
        expect(where.locator("#scene-holding")).to_be_visible()
        expect(where.locator("#holding-organisers li")).to_have_text(
            ["International Labour Organization (ILO)", "GSSD Expo 2022"])
    # Scaled to fit: the 1920×1080 page fills the preview's frame exactly.
    box = console.locator("#preview-frame").bounding_box()
    scaled = console.locator("#preview-iframe").bounding_box()
    assert abs(scaled["width"] - box["width"]) < 2 and abs(scaled["height"] - box["height"]) < 2
    assert 300 < box["width"] < 400
    shoot(console, "console-preview-holding")
    shoot(projector, "projector-holding")
    console.locator('.scene-btn[data-scene="blackout"]').click()
    expect(projector.locator("#scene-blackout")).to_be_visible()
    expect(frame.locator("#scene-blackout")).to_be_visible()
    assert projector.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert pages.foreign_requests() == []


def test_no_projector_is_a_loud_warning_that_goes_away_when_one_connects(pages):
    console = _console(pages)
    warn = console.locator("#presence-warn")
    expect(warn).to_be_visible()
    expect(warn).to_have_text(re.compile("No projector connected"))
    expect(console.locator("#preview-alarm")).to_be_visible()
    shoot(console, "console-no-projector")
    projector = pages.open("/screen", 1920, 1080)
    expect(warn).to_be_hidden()
    expect(console.locator("#n-projectors")).to_have_text("1")
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    expect(console.locator("#n-phones")).to_have_text("1")
    projector.close()
    expect(warn).to_be_visible()
    phone.close()
    expect(console.locator("#n-phones")).to_have_text("0")


def test_two_consoles_show_the_same_state_and_a_stale_action_is_refused(pages):
    first = _console(pages, name="Rie")
    second = _console(pages)
    pages.open("/screen", 1920, 1080)
    expect(first.locator("#activity-with")).to_contain_text("Console")
    expect(second.locator("#activity-with")).to_contain_text("Rie")
    first.locator("#btn-start").click()
    for page in (first, second):
        expect(page.locator("#timer-state")).to_have_text(re.compile("Running"))
        expect(page.locator("#activity-list li").first).to_contain_text("Rie")
    first.locator("#btn-next").click()
    expect(second.locator("#ros-body tr.is-current")).to_contain_text("Fragile-to-fragile")
    # The second moderator presses Next on what they saw before the first one's Next: their
    # console still holds the older state version (as when the broadcast is on its way).
    second.evaluate("() => { window.forumLive.state.audit.version -= 1; }")
    second.locator("#btn-next").click()
    toast = second.locator(".toast-error")
    expect(toast).to_contain_text("Rie changed the show just before you")
    # Refused: the show did not move twice; both consoles show the same segment and version.
    for page in (first, second):
        expect(page.locator("#ros-body tr.is-current")).to_contain_text("Fragile-to-fragile")
    second.reload()
    expect(second.locator("#ros-body tr.is-current")).to_contain_text("Fragile-to-fragile")
    state = "() => { const s = window.forumLive.state; return [s.audit.version, s.run.current_segment_id, s.scene.name]; }"
    expect(second.locator(".live-indicator[data-status=online]")).to_be_visible()
    assert first.evaluate(state) == second.evaluate(state)
    shoot(second, "console-stale-refused")
    assert pages.errors == []
