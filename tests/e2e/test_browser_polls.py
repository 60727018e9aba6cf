"""Polls in a real browser: a 12-option poll on the 1920x1080 projector (no overlap, nothing
outside the screen), a phone's multiple choice with its own choices highlighted, the auto-close
countdown, and a word cloud whose words stay in place as counts grow."""
import re

from playwright.sync_api import expect

from conftest import shoot
from support.server import TOKEN, clients

LABELS = [
    "Just transitions for youth", "Disaster preparedness after COVID-19",
    "Alliance 8.7 (child and forced labour) and South-South and triangular cooperation",
    "Social protection in ASEAN", "Skills development", "Digital public goods and e-government",
    "Green jobs", "Migrant workers' rights across the region", "Care economy",
    "Informal economy: a path to formality for small enterprises", "Decent work in supply chains", "Other",
]

# Every option row's box: no two overlap, each inside the viewport, its parts inside the row,
# labels not cut, the results box not overflowing, and the type big enough to read.
LAYOUT = """() => {
  const rows = [...document.querySelectorAll('#poll-results .bar-row')].map((el) => {
    const r = el.getBoundingClientRect();
    const parts = [...el.children].map((c) => c.getBoundingClientRect());
    const label = el.querySelector('.bar-label');
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            partsInside: parts.every((p) => p.top >= r.top - 1 && p.bottom <= r.bottom + 1
                                             && p.left >= r.left - 1 && p.right <= r.right + 1),
            text: (() => {  // the label's line boxes, not its box: where the letters are
              const range = document.createRange();
              range.selectNodeContents(label);
              const t = range.getBoundingClientRect();
              return {top: t.top, bottom: t.bottom, left: t.left, right: t.right};
            })(),
            labelCut: label.scrollWidth > label.clientWidth + 1,
            fontPx: parseFloat(getComputedStyle(label).fontSize)};
  });
  const box = document.querySelector('#poll-results');
  return {rows, vw: innerWidth, vh: innerHeight,
          overflow: box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1};
}"""


def _vote_with_devices(url, poll_id, values):
    """Cast one ballot per value from fresh python-socketio phones (each its own device)."""
    with clients() as make:
        for value in values:
            ack = make(url, "/audience", {"event": "ILO22"}).call("poll:vote", {"poll_id": poll_id, "value": value})
            assert ack["ok"], ack


def _create_in_console(console, kind, title, options=(), max_choices=None, duration_s=None, live=False):
    console.get_by_role("button", name="+ New poll").click()
    console.locator("#pf-kind").select_option(kind)
    console.locator("#pf-title").fill(title)
    if options:
        console.locator("#pf-options").fill("\n".join(options))
    if max_choices:
        console.locator("#pf-max").fill(str(max_choices))
    if duration_s:
        console.locator("#pf-duration").fill(str(duration_s))
    if live:
        console.locator("#pf-live").check()
    console.get_by_role("button", name="Create draft").click()
    item = console.locator("#mod-polls > li", has_text=title)
    expect(item).to_be_visible()
    return item


def _poll_id(page, title):
    return page.evaluate("(t) => window.forumLive.state.polls.find((p) => p.title === t).id", title)


def test_a_twelve_option_poll_on_the_projector_has_no_overlap_and_fits_the_screen(pages):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    projector = pages.open("/screen", 1920, 1080)
    title = "Which theme should the next South-South alliance prioritise? Choose one"
    item = _create_in_console(console, "single", title, LABELS)
    item.get_by_role("button", name="Open").click()
    item.get_by_role("button", name="Show on projector").click()
    expect(projector.locator("#poll-vote-call")).to_have_text("Vote now on your phone")
    poll_id = _poll_id(console, title)
    options = console.evaluate("(id) => window.forumLive.state.polls.find((p) => p.id === id).options.map((o) => o.id)",
                               poll_id)
    counts = [9, 3, 14, 6, 11, 2, 5, 7, 1, 4, 8, 0]
    _vote_with_devices(pages.server.url, poll_id, [options[i] for i, n in enumerate(counts) for _ in range(n)])
    expect(projector.locator("#poll-vote-count")).to_have_text("70 responses so far")  # public total, hidden results
    assert projector.locator(".bar-row").count() == 0
    item.get_by_role("button", name="Reveal results").click()
    expect(projector.locator("#poll-kicker")).to_have_text("Poll · results so far")
    expect(projector.locator(".bar-row")).to_have_count(12)
    projector.wait_for_timeout(400)  # the fit-to-box pass runs on the next frame
    shoot(projector, "projector-poll-12-options")

    layout = projector.evaluate(LAYOUT)
    rows = layout["rows"]
    assert not layout["overflow"]
    for i, a in enumerate(rows):
        assert 0 <= a["left"] and a["right"] <= layout["vw"] and 0 <= a["top"] and a["bottom"] <= layout["vh"], a
        assert a["partsInside"] and not a["labelCut"], (i, a)
        assert a["fontPx"] >= 22, a  # readable across the room at 1080p
        assert 0 <= a["text"]["top"] and a["text"]["bottom"] <= layout["vh"], a
        for b in rows[i + 1:]:
            assert a["bottom"] <= b["top"] or b["bottom"] <= a["top"], (a, b)
            # and no label's letters reach into another row
            assert a["text"]["bottom"] <= b["top"] or b["bottom"] <= a["text"]["top"], (a, b)
            assert b["text"]["bottom"] <= a["top"] or a["bottom"] <= b["text"]["top"], (a, b)
    texts = projector.locator(".bar-row").all_inner_texts()
    assert "20%" in texts[2] and "14 votes" in texts[2]     # 14 of 70
    assert sum(int(re.search(r"(\d+)%", t).group(1)) for t in texts) == 100
    assert pages.foreign_requests() == [] and pages.errors == []


def test_a_phone_picks_at_most_two_sees_the_countdown_and_its_own_choices(pages):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    projector = pages.open("/screen", 1920, 1080)
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    title = "Which two themes matter most to you?"
    item = _create_in_console(console, "multiple", title, LABELS[:5], max_choices=2, duration_s=8, live=True)
    item.get_by_role("button", name="Open").click()
    item.get_by_role("button", name="Show on projector").click()
    card = phone.locator(".poll-card", has_text=title)
    expect(card.locator(".poll-countdown")).to_have_text(re.compile(r"Closes in 0:0\d"))
    expect(projector.locator("#poll-countdown")).to_be_visible()
    card.get_by_role("button", name="Skills development").click()
    card.get_by_role("button", name="Social protection in ASEAN").click()
    expect(card.get_by_role("button", name="Green jobs")).to_have_count(0)
    expect(card.get_by_role("button", name="Just transitions for youth")).to_be_disabled()  # two already picked
    card.get_by_role("button", name=re.compile("Send my choices")).click()
    expect(card.get_by_role("button", name="Choices sent")).to_be_visible()
    mine = card.locator(".poll-results .bar-row.is-mine")
    expect(mine).to_have_count(2)
    expect(mine.first).to_contain_text("Social protection in ASEAN")
    shoot(phone, "phone-poll-multiple")
    shoot(projector, "projector-poll-countdown")
    # Auto-close: the server closes it at the deadline; phone and console follow.
    expect(card.locator(".poll-status")).to_have_text("Voting closed", timeout=12_000)
    expect(item.locator(".mp-status")).to_contain_text("Closed")
    assert pages.errors == []


def test_the_word_cloud_keeps_its_words_in_place_as_counts_grow(pages):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    projector = pages.open("/screen", 1920, 1080)
    title = "One word for a resilient world of work?"
    item = _create_in_console(console, "wordcloud", title, live=True)
    item.get_by_role("button", name="Open").click()
    item.get_by_role("button", name="Show on projector").click()
    poll_id = _poll_id(console, title)
    first = ["Solidarity"] * 5 + ["Dignity"] * 3 + ["Skills", "Peace", "Trust", "Inclusion", "Care", "Youth",
                                                     "Cooperation", "Resilience", "Networks", "Justice"]
    _vote_with_devices(pages.server.url, poll_id, first)
    expect(projector.locator(".cloud-word")).to_have_count(12)
    projector.wait_for_timeout(800)  # placement, then the move transition
    before = projector.evaluate(CLOUD)
    _vote_with_devices(pages.server.url, poll_id, ["solidarity"] * 3 + ["Trust"] * 2 + ["Hope", "Jobs"])
    expect(projector.locator(".cloud-word")).to_have_count(14)
    projector.wait_for_timeout(800)
    after = projector.evaluate(CLOUD)
    shoot(projector, "projector-wordcloud")
    for words in (before, after):
        boxes = list(words.values())
        for i, a in enumerate(boxes):
            assert 0 <= a["left"] and a["right"] <= 1920 and 0 <= a["top"] and a["bottom"] <= 1080
            for b in boxes[i + 1:]:
                assert (a["right"] <= b["left"] or b["right"] <= a["left"]
                        or a["bottom"] <= b["top"] or b["bottom"] <= a["top"])
    moved = [k for k in before if abs(before[k]["cx"] - after[k]["cx"]) + abs(before[k]["cy"] - after[k]["cy"]) > 40]
    assert len(moved) <= 3, moved  # most words stay where they were; grown ones may shift a little
    assert pages.errors == []


CLOUD = """() => Object.fromEntries([...document.querySelectorAll('.cloud-word')].map((el) => {
  const r = el.getBoundingClientRect();
  return [el.dataset.key, {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                           cx: (r.left + r.right) / 2, cy: (r.top + r.bottom) / 2}];
}))"""


def test_esc_closes_the_inline_poll_form_and_gives_the_focus_back(pages):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    expect(console.locator("#mod-polls > li")).to_have_count(3)
    form = console.locator("#poll-form")
    new = console.get_by_role("button", name="+ New poll")
    new.click()
    expect(form).to_be_visible()
    expect(console.locator("#pf-title")).to_be_focused()
    console.locator("#pf-title").fill("A poll nobody asked for")
    console.keyboard.press("Escape")
    expect(form).to_be_hidden()
    expect(new).to_be_focused()
    # From any field of the form, e.g. the kind of poll.
    new.click()
    console.locator("#pf-kind").focus()
    console.keyboard.press("Escape")
    expect(form).to_be_hidden()
    # Editing a draft: Esc goes back to that poll's Edit button, and nothing was saved.
    edit = console.locator("#mod-polls > li").first.get_by_role("button", name="Edit")
    edit.click()
    expect(console.locator("#pf-title")).to_be_focused()
    console.locator("#pf-title").fill("Renamed by mistake")
    console.keyboard.press("Escape")
    expect(form).to_be_hidden()
    expect(edit).to_be_focused()
    expect(console.locator("#mod-polls > li")).to_have_count(3)
    expect(console.locator("#mod-polls .mp-title", has_text="nobody asked")).to_have_count(0)
    expect(console.locator("#mod-polls .mp-title", has_text="Renamed")).to_have_count(0)
    assert pages.errors == []
