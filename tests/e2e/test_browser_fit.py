"""Text that must fit where it is shown: the projector's timer strip under a key question, an
audience question or a poll (its clock never wraps, the "speaker · segment" label gives way),
on the projector and in the console's preview; the console's "Speaking" name; the message on
the stage view in the stage-cues dialog; the questions panel's count of dismissed questions."""
import re

import pytest
from playwright.sync_api import expect

from conftest import Pages, shoot
from forum_live.eventfile import DEFAULT_EVENT
from support.server import ROOT, TOKEN, Server, clients

#: A speaker's name as long as an event file allows (120 characters).
LONG_NAME = ("Dr Maria-Fernanda Antonella Quispe Huamán de los Santos Villanueva y Rodríguez-Castellanos "
             "Ferreira da Silva Nakamura-Okonkwo")[:120]
assert len(LONG_NAME) == 120

DEFAULT_FILE = ROOT / "src" / "forum_live" / "events" / DEFAULT_EVENT


@pytest.fixture
def long_name_server(tmp_path):
    """The default event, but its first panelist (Mr Helder da Costa) has a 120-character name."""
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    assert 'name = "Mr Helder da Costa"' in text
    event_file = tmp_path / "event.toml"
    event_file.write_text(text.replace('name = "Mr Helder da Costa"', f'name = "{LONG_NAME}"'), encoding="utf-8")
    server = Server(tmp_path, "gevent", env={"FORUM_LIVE_EVENT_FILE": str(event_file)}).start()
    yield server
    server.stop()


@pytest.fixture
def long_name_pages(browser, long_name_server):
    p = Pages(browser, long_name_server)
    yield p
    p.close()


# The strip's clock: its text on one line, whole, inside the strip; the label on one line, cut
# with an ellipsis when long, never over the clock. Returns the problems found.
STRIP_FITS = """() => {
  const strip = document.querySelector('#strip');
  if (strip.hidden) return ['the strip is hidden'];
  const clock = document.querySelector('#strip-clock'), label = document.querySelector('#strip-seg');
  // Line boxes of an element's text: its fragments' rectangles, those side by side counting once
  // (a fallback font for "·" or "−" is a fragment of its own on the same line).
  const lines = (el) => {
    const r = document.createRange(); r.selectNodeContents(el);
    let n = 0, bottom = -Infinity;
    for (const f of [...r.getClientRects()].sort((a, b) => a.top - b.top)) {
      if (f.top >= bottom - 1) { n += 1; bottom = f.bottom; } else bottom = Math.max(bottom, f.bottom);
    }
    return n;
  };
  const text = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  const s = strip.getBoundingClientRect(), c = text(clock), box = clock.getBoundingClientRect();
  const l = label.getBoundingClientRect();
  const out = [];
  const n = lines(clock);
  if (n !== 1) out.push(`the clock "${clock.textContent}" is on ${n} lines`);
  if (c.left < s.left || c.right > s.right || c.top < s.top || c.bottom > s.bottom)
    out.push(`the clock's text ${JSON.stringify(c)} is not inside the strip ${JSON.stringify(s)}`);
  if (c.width > box.width + 0.5) out.push(`the clock's text (${c.width} px) overflows its box (${box.width} px)`);
  if (c.height < 0.05 * innerHeight) out.push(`the clock shrank to ${c.height} px`);
  if (lines(label) > 1) out.push('the label wraps');
  if (l.right > s.right) out.push('the label runs off the strip');
  if (l.left < box.right && l.right > box.left) out.push('the label overlaps the clock');
  if (label.scrollWidth > label.clientWidth + 1 && getComputedStyle(label).textOverflow !== 'ellipsis')
    out.push('the label is cut without an ellipsis');
  return out;
}"""

SCENES = ("prompt", "question", "poll")


def _setup(server):
    """A question to highlight, an open poll; return (mod client, segments by label, ids)."""
    with clients() as make:
        phone = make(server.url, "/audience", {"event": "ILO22"})
        mod = make(server.url, "/moderator", {"token": TOKEN})
        state = mod.state()
        qid = phone.call("question:submit", {"client_id": "strip-question-0001",
                                             "text": "What is the first step for a new alliance?"})["question"]["id"]
        assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        poll = state["polls"][0]["id"]
        assert mod.call("poll:open", {"poll_id": poll})["ok"]
    return state, qid, poll


def _labels(state):
    """Each segment's strip label ("speaker · segment"), as the projector writes it."""
    names = {p["id"]: p["name"] for p in state["event"]["panelists"]}
    return {s["id"]: (f"{names[s['panelist_id']]} · {s['title']}" if s.get("panelist_id") else s["title"])
            for s in state["run"]["segments"]}


def _show(mod, scene, state, qid, poll):
    """Put ``scene`` on the projector: a key question's first prompt, the question, the poll."""
    if scene == "prompt":
        kq = state["event"]["key_questions"][0]
        assert mod.call("prompt:show", {"prompt_id": kq["prompts"][0]["id"]})["ok"]
    elif scene == "question":
        assert mod.call("question:highlight", {"question_id": qid})["ok"]
    else:
        assert mod.call("poll:show", {"poll_id": poll})["ok"]


@pytest.mark.parametrize("which", ["longest label of the default event", "120-character speaker name"])
def test_the_strip_clock_never_wraps_and_the_label_gives_way(long_name_pages, long_name_server, which):
    pages, live_server = long_name_pages, long_name_server
    state, qid, poll = _setup(live_server)
    labels = _labels(state)
    default_names = {p["id"] for p in state["event"]["panelists"] if p["name"] != LONG_NAME}
    if which.startswith("120"):
        segment = next(s["id"] for s in state["run"]["segments"] if labels[s["id"]].startswith(LONG_NAME))
    else:
        segment = max((s["id"] for s in state["run"]["segments"] if s.get("panelist_id") in default_names),
                      key=lambda i: len(labels[i]))
    projector = pages.open("/screen", 1920, 1080)
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    preview = console.frame_locator("#preview-iframe")
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        assert mod.call("timer:goto", {"segment_id": segment})["ok"]
        for phase in ("on-time", "time-up", "overtime"):
            if phase == "time-up":  # take the whole slot away: the clock counts on past zero
                planned_ms = next(s["planned_ms"] for s in state["run"]["segments"] if s["id"] == segment)
                assert mod.call("timer:adjust", {"delta_ms": -planned_ms})["ok"]
            for n, scene in enumerate(SCENES):
                _show(mod, scene, state, qid, poll)
                for where in (projector, preview):
                    strip = where.locator("#strip")
                    # Overtime comes 30 s after zero (domain.timer.TIME_UP_GRACE_MS): wait for it.
                    expect(strip).to_have_attribute("data-phase", phase, timeout=45_000 if n == 0 else 5_000)
                    expect(where.locator(f"#scene-{scene}")).to_be_visible()
                    expect(where.locator("#strip-seg")).to_have_text(labels[segment])
                    if phase != "on-time":
                        expect(where.locator("#strip-clock")).to_have_text(re.compile(r"^−\d\d:\d\d$"))
                    assert where.locator("body").evaluate(STRIP_FITS) == [], (which, phase, scene)
    shoot(projector, "projector-strip-" + ("long-name" if which.startswith("120") else "longest-label"))
    assert pages.errors == []


CONSOLE_SIZES = [(1366, 768), (1280, 720)]


@pytest.mark.parametrize("size", CONSOLE_SIZES, ids=[f"{w}x{h}" for w, h in CONSOLE_SIZES])
def test_the_speaking_field_shows_each_panelist_whole(pages, live_server, size):
    console = pages.open(f"/moderate?token={TOKEN}", *size)
    expect(console.locator(".live-indicator[data-status=online]")).to_be_visible()
    now = console.locator("#speakers-now")
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        state = mod.state()
        segment = next(s for s in state["run"]["segments"] if s.get("panelist_id"))
        assert mod.call("timer:goto", {"segment_id": segment["id"]})["ok"]
        for panelist in state["event"]["panelists"]:
            assert mod.call("speaker:set", {"panelist_id": panelist["id"]})["ok"]
            surname = panelist["name"].split(" ", 2)[-1]          # "Mr Helder da Costa" -> "da Costa"
            expect(now).to_have_text(re.compile(rf"^{re.escape(surname)} \d\d:\d\d$"))
            cut = now.evaluate("(el) => el.scrollWidth > el.clientWidth ? `${el.scrollWidth} > ${el.clientWidth}` : null")
            assert cut is None, (panelist["name"], cut)
            for button in ("#btn-airtime", "#btn-cues"):
                expect(console.locator(button)).to_be_in_viewport(ratio=1)
    shoot(console, f"console-speaking-{size[0]}x{size[1]}")


CUE = ("Two minutes left: please take one last question from the audience, then hand over to "
       "Mr Anir Chowdhury for the a2i Innovation Network. The Q&A moves to 11:35.")


def test_the_stage_cues_dialog_shows_the_message_that_is_up(pages, live_server):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    expect(console.locator(".live-indicator[data-status=online]")).to_be_visible()
    console.get_by_role("button", name="Stage cues").click()
    dialog = console.get_by_role("dialog", name=re.compile("Stage view"))
    dialog.locator("#cue-text").fill(CUE)
    dialog.get_by_role("button", name="Send", exact=True).click()
    now = dialog.locator("#cue-now")
    expect(now).to_contain_text(CUE)
    # All of it readable: nothing cut off, inside the dialog.
    assert now.evaluate("""(el) => {
      const r = el.getBoundingClientRect(), d = el.closest('dialog').getBoundingClientRect();
      return el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1
        && r.left >= d.left && r.right <= d.right && r.bottom <= d.bottom;
    }""")
    shoot(console, "console-cues-dialog-message")
    dialog.get_by_role("button", name="Clear message").click()
    expect(now).to_have_text("No message on the stage view.")


@pytest.mark.parametrize("size", CONSOLE_SIZES, ids=[f"{w}x{h}" for w, h in CONSOLE_SIZES])
def test_the_dismissed_count_is_readable_in_the_questions_panel_head(pages, live_server, size):
    console = pages.open(f"/moderate?token={TOKEN}", *size)
    expect(console.locator(".live-indicator[data-status=online]")).to_be_visible()
    note = console.locator("#dismissed-note")
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        for n in range(10):
            if n % 3 == 0:                                             # 3 questions a minute per phone
                phone = make(live_server.url, "/audience", {"event": "ILO22"})
            qid = phone.call("question:submit", {"client_id": f"dismiss-{size[0]}-{n:04d}",
                                                 "text": f"A question to dismiss, number {n}"})["question"]["id"]
            assert mod.call("question:moderate", {"question_id": qid, "action": "reject"})["ok"]
        expect(note).to_have_text("10 dismissed")
        cut = note.evaluate("(el) => el.scrollWidth > el.clientWidth + 1 ? `${el.scrollWidth} > ${el.clientWidth}` : null")
        assert cut is None, cut
        for control in ("#q-premod", "#q-per", "#btn-takeaways"):
            expect(console.locator(control)).to_be_in_viewport(ratio=1)
    shoot(console, f"console-dismissed-{size[0]}x{size[1]}")
