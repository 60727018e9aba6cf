"""The console on a 13-inch laptop (1366×768): every main control in view and usable from the
keyboard, the projector preview, connection awareness, and two consoles kept in step."""
import re

from playwright.sync_api import expect

from conftest import shoot
from support.server import TOKEN

W, H = 1366, 768

# The main controls, by panel: timer, projector scene, run of show, prompt deck, questions,
# polls, activity. Each must be fully inside the window and not covered or scrolled away.
MAIN_CONTROLS = [
    "#btn-start", "#btn-pause", "#btn-prev", "#btn-next", "#btn-minus", "#btn-plus",
    *[f'.scene-btn[data-scene="{s}"]' for s in ("timer", "prompt", "question", "poll", "join", "holding", "blackout")],
    "#preview",  # the preview frame is inert (no focus, no clicks): its figure is what is hit
    *[f"#ros-body tr:nth-child({i}) .btn-go" for i in range(1, 10)],
    "#end-projected",
    *[f"#prompts .kq.is-current .prompt:nth-child({i}) button" for i in range(1, 4)],
    *[f'.q-tab[data-status="{s}"]' for s in ("pending", "approved", "answered", "other")],
    "#btn-show-next", "#q-premod", "#q-per", "#q-filter-panelist",
    "#mod-q-list li:nth-child(1) .btn-approve", "#mod-q-list li:nth-child(1) .btn-reject",
    *[f"#mod-polls > li:nth-child({i}) {b}" for i in range(1, 4) for b in (".btn-open", ".btn-reveal", ".btn-show")],
    "#activity-list", "#btn-rename", "#presence", "#btn-takeaways",
]

VISIBLE_UNCOVERED = """(sel) => {
  const el = document.querySelector(sel);
  if (!el) return `${sel}: missing`;
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return `${sel}: not displayed`;
  if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) return `${sel}: outside the window ${JSON.stringify(r)}`;
  // The middle of the control must be the control itself: not covered, not scrolled out of its list.
  for (const [fx, fy] of [[.5, .5], [.15, .5], [.85, .5]]) {
    const hit = document.elementFromPoint(r.left + r.width * fx, r.top + r.height * fy);
    if (!hit || !(hit === el || el.contains(hit))) return `${sel}: covered by ${hit && (hit.id || hit.className || hit.tagName)}`;
  }
  return null;
}"""


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


def test_every_main_control_is_in_view_at_1366x768_without_scrolling(pages):
    console = _console(pages)
    projector = pages.open("/screen", 1920, 1080)
    _ask(pages, "How do fragile states start cooperating with each other, concretely, in the first year?")
    console.get_by_role("row", name=re.compile("Fragile-to-fragile")).get_by_role("button", name="Go").click()
    expect(console.locator("#timer-state")).to_have_text(re.compile("Running"))
    expect(console.locator("#mod-q-list li")).to_have_count(1)
    expect(console.locator("#n-projectors")).to_have_text("1")
    # The page itself never scrolls: the window is the whole console.
    assert console.evaluate("document.scrollingElement.scrollHeight <= innerHeight && "
                            "document.scrollingElement.scrollWidth <= innerWidth")
    problems = [p for sel in MAIN_CONTROLS if (p := console.evaluate(VISIBLE_UNCOVERED, sel))]
    assert problems == []
    shoot(console, "console-1366x768")
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
    expect(console.locator("#timer-state")).to_have_text(re.compile("Running"))
    # Space on a focused button presses it, and does not also pause the show.
    ring = tab_to("#prompts .kq.is-current .prompt:nth-child(2) button")
    assert focus_ring_ok(ring)
    console.keyboard.press("Space")
    expect(console.locator("#scene-now")).to_have_text(re.compile("Key question 1, prompt 2"))
    expect(console.locator("#timer-state")).to_have_text(re.compile("Running"))
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
        expect(where.locator("#holding-organisers li")).to_have_text(["International Labour Organization (ILO)", "GSSD Expo 2022"])
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
