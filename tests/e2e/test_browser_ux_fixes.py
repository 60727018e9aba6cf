"""What a new user found walking the product, in real browsers: a double press of Next, the
projector's strip in overtime and its connection badge, "on screen" labels that follow the
projector, double-tapped upvotes, answered questions, closed polls and the word cloud."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from conftest import shoot
from support.server import TOKEN, clients, projector_key
from support.wait import until

WHITE = "rgb(255, 255, 255)"


@pytest.fixture
def live_server(generous_live_server):
    """Every page here comes from 127.0.0.1: generous question limits."""
    return generous_live_server


def _online(page):
    expect(page.locator(".live-indicator[data-status=online]")).to_be_visible(timeout=10_000)


def _on_air(page):
    return page.evaluate("() => window.forumLive.state.run.current_segment_id")


#: Two presses 120 ms apart, timed inside the page (Playwright's own clicks may land farther apart
#: on a loaded machine, where they would rightly count as two presses).
_PRESS_TWICE = """([selector, key]) => new Promise((done) => {
  const press = () => selector ? document.querySelector(selector).click()
    : document.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
  press();
  setTimeout(() => { press(); done(); }, 120);
})"""


#: True once the console counts its on-air segment as seen (static/js/moderator.js, SETTLE_MS).
_SEEN = "() => performance.now() - window.forumLive.onAir.changedAt >= 400"


def _both_presses_handled(console):
    """Wait until both presses of _PRESS_TWICE are done with. The second is either ignored (the
    first was still in flight: Next is busy) or sent for the segment the first left and refused
    with "Already moved on": which one depends on how fast the first ack came back, so either is
    right; Next is busy while a press is in flight, so "not busy" means both are answered."""
    expect(console.locator("#btn-next")).not_to_have_class(re.compile(r"\bis-busy\b"))
    assert console.locator(".toast", has_text="Already moved on").count() <= 1


def test_a_double_click_or_double_n_on_next_moves_on_one_segment(pages, live_server):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    _online(console)
    segs = console.evaluate("() => window.forumLive.state.run.segments.map(s => s.id)")
    console.locator("#btn-start").click()
    expect(console.locator(f'#ros-body tr.is-current[data-key="{segs[0]}"]')).to_be_attached()
    console.evaluate(_PRESS_TWICE, ["#btn-next", None])
    _both_presses_handled(console)
    expect(console.locator(f'#ros-body tr.is-current[data-key="{segs[1]}"]')).to_be_attached()
    assert _on_air(console) == segs[1]
    console.locator("body").click(position={"x": 5, "y": 5})  # keyboard focus back on the page
    console.evaluate("() => document.getElementById('toasts').replaceChildren()")
    console.wait_for_function(_SEEN)  # the operator has seen the new segment: the next press is for it
    console.evaluate(_PRESS_TWICE, [None, "n"])
    _both_presses_handled(console)
    expect(console.locator(f'#ros-body tr.is-current[data-key="{segs[2]}"]')).to_be_attached()
    assert _on_air(console) == segs[2]
    # A deliberate press a moment later still moves on.
    console.wait_for_function(_SEEN)
    console.keyboard.press("n")
    expect(console.locator(f'#ros-body tr.is-current[data-key="{segs[3]}"]')).to_be_attached()
    assert pages.errors == []


def test_projector_strip_turns_white_on_red_in_overtime_and_a_lost_connection_covers_nothing(pages, live_server):
    ctx = pages.browser.new_context(viewport={"width": 1920, "height": 1080}, device_scale_factor=1)
    pages.contexts.append(ctx)
    projector = ctx.new_page()
    projector.clock.install(time=datetime.now(UTC))
    projector.goto(f"{live_server.url}/screen?key={projector_key()}")
    _online(projector)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        mod.state()
        assert mod.call("timer:start")["ok"]
        assert mod.call("timer:adjust", {"delta_ms": -8 * 60_000})["ok"]   # the opening's 8 min gone
        assert mod.call("scene:set", {"scene": "join"})["ok"]
        strip = projector.locator("#strip")
        expect(strip).to_be_visible()
        # Overtime comes 30 s after zero: the projector's own clock is moved 40 s on to show it.
        projector.clock.set_system_time(datetime.now(UTC) + timedelta(seconds=40))
        expect(strip).to_have_attribute("data-phase", "overtime")
        colour = projector.evaluate("() => getComputedStyle(document.querySelector('#strip-clock')).color")
        assert colour == WHITE, f"the overtime strip's clock is {colour}"
        shoot(projector, "projector-strip-overtime")

        assert mod.call("scene:set", {"scene": "timer"})["ok"]
    expect(projector.locator("#screen[data-scene=timer]")).to_be_attached()
    projector.context.set_offline(True)
    expect(projector.locator("body.live-offline")).to_be_attached(timeout=10_000)
    expect(projector.locator(".live-indicator")).to_contain_text("Connection lost")
    expect(projector.locator(".live-banner")).to_be_hidden()
    # The phase badge and the clock are not covered; the countdown runs on from the local clock.
    for sel in ("#st-phase", "#st-clock"):
        hit = projector.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
          const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return !!el && document.querySelector(sel).contains(el); }""", sel)
        assert hit, f"{sel} is covered while disconnected"
    before = projector.locator("#st-clock").inner_text()
    expect(projector.locator("#st-clock")).not_to_have_text(before, timeout=5_000)  # still counting
    shoot(projector, "projector-offline-corner")
    projector.context.set_offline(False)


def test_phone_labels_upvotes_answered_questions_and_closed_polls(pages, live_server):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    phone = pages.open("/e/ILO22", 390, 844, mobile=True)
    _online(console)
    _online(phone)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        state = mod.state()
        asker = make(live_server.url, "/audience", {"event": "ILO22"})
        ids = []
        for n, text in enumerate(["How do alliances keep going after the funding ends?",
                                  "Which country has the best social dialogue model?"]):
            ack = asker.call("question:submit", {"client_id": f"ux-question-{n:04d}", "text": text})
            ids.append(ack["question"]["id"])
            assert mod.call("question:moderate", {"question_id": ids[-1], "action": "approve"})["ok"]

        # A double tap is one upvote, not on then off. Both taps land in one task of the page (no
        # wall-clock gap that a loaded machine could stretch past the 400 ms window), and every
        # upvote the phone queues is recorded as it is saved: the second tap must queue nothing.
        card = phone.locator("#q-list li", has_text="alliances keep going")
        vote = card.locator(".vote")
        queued = vote.evaluate("""(button) => {
            const wishes = [];
            const setItem = Storage.prototype.setItem;
            Storage.prototype.setItem = function (key, value) {
                if (key.startsWith("forum-live.outbox.")) {
                    for (const i of JSON.parse(value)) if (i.kind === "vote") wishes.push(i.payload.on);
                }
                return setItem.call(this, key, value);
            };
            button.click();
            button.click();
            Storage.prototype.setItem = setItem;
            return wishes;
        }""")
        assert queued == [True]
        expect(vote).to_have_attribute("aria-pressed", "true")
        expect(vote.locator(".vote-count")).to_have_text("1")

        # Highlighted: on the projector, so "On screen" / "On projector"; a poll on the projector
        # takes those labels away although the question stays highlighted.
        assert mod.call("question:highlight", {"question_id": ids[0]})["ok"]
        expect(card.locator(".q-badges")).to_contain_text("On screen")
        console_card = console.locator("#mod-q-list li", has_text="alliances keep going")
        console.locator('.q-tab[data-status="approved"]').click()
        expect(console.locator("#highlight-label")).to_have_text("On projector:")
        expect(console_card.locator(".mq-badge")).to_be_visible()
        poll = state["polls"][0]["id"]
        assert mod.call("poll:open", {"poll_id": poll})["ok"]
        assert mod.call("poll:show", {"poll_id": poll})["ok"]
        expect(card.locator(".q-badges")).not_to_contain_text("On screen")
        expect(console.locator("#highlight-label")).to_have_text("Highlighted:")
        expect(console_card.locator(".mq-badge")).to_be_hidden()
        expect(console.locator("#btn-show-highlight")).to_be_visible()
        shoot(console, "console-highlight-not-on-projector")

        # Closed without a reveal: the phone still shows the poll, as "Voting closed".
        assert mod.call("poll:close", {"poll_id": poll})["ok"]
        poll_card = phone.locator(f'#polls .poll-card[data-poll-id="{poll}"]')
        expect(poll_card.locator(".poll-status")).to_have_text("Voting closed")
        expect(poll_card.locator(".poll-results")).to_contain_text("Voting closed with")
        assert mod.call("poll:reveal", {"poll_id": poll, "revealed": True})["ok"]
        expect(poll_card.locator(".poll-kicker")).to_have_text("Poll results")
        # Reopened: results hidden again while people vote.
        assert mod.call("poll:open", {"poll_id": poll})["ok"]
        expect(poll_card.locator(".poll-results")).to_contain_text("Results are shown when the moderator reveals them")

        # Answered: no upvote button, after the open question in "Top".
        assert mod.call("question:moderate", {"question_id": ids[0], "action": "answer"})["ok"]
        expect(card.locator(".vote")).to_be_hidden()
        expect(card.locator(".q-final")).to_have_text("▲ 1")
        phone.locator('[data-order="top"]').first.click()
        phone.evaluate("() => window.scrollTo(0, 0)")
        def open_before_answered():
            texts = phone.locator("#q-list li .q-text").all_inner_texts()
            open_q, answered_q = ("Which country has the best social dialogue model?",
                                  "How do alliances keep going after the funding ends?")
            return open_q in texts and answered_q in texts and texts.index(open_q) < texts.index(answered_q)
        until(open_before_answered, timeout=5, what="the open question listed before the answered one")
        card.scroll_into_view_if_needed()
        shoot(phone, "phone-answered-and-closed-poll")
    assert pages.errors == []


def test_word_cloud_on_a_phone_rtl_counts_equal_sizes_no_mid_word_breaks(pages, live_server):
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    _online(phone)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        state = mod.state()
        cloud = next(p["id"] for p in state["polls"] if p["kind"] == "wordcloud")
        assert mod.call("poll:open", {"poll_id": cloud})["ok"]
        expect(phone.locator(".word-input")).to_have_attribute("placeholder", "One word or a short phrase")
        words = ["تضامن", "Solidarity", "Resilience", "Extraordinarily", "تضامن", "Solidarity",
                 "Resilience", "Extraordinarily", "Hope"]
        for word in words:
            voter = make(live_server.url, "/audience", {"event": "ILO22"})
            assert voter.call("poll:vote", {"poll_id": cloud, "value": word})["ok"], word
        refused = voter.call("poll:vote", {"poll_id": cloud, "value": "a fair deal now"})
        assert refused["code"] == "invalid_text"
        assert mod.call("poll:close", {"poll_id": cloud})["ok"]
        assert mod.call("poll:reveal", {"poll_id": cloud, "revealed": True})["ok"]
    items = phone.locator(f'#polls .poll-card[data-poll-id="{cloud}"] .word')
    expect(items).to_have_count(5)
    info = phone.evaluate("""() => [...document.querySelectorAll('#polls .word')].map(li => {
        const t = li.querySelector('.word-text').getBoundingClientRect();
        const c = li.querySelector('.word-count').getBoundingClientRect();
        return {text: li.querySelector('.word-text').textContent, count: li.dataset.count,
                size: getComputedStyle(li).fontSize,
                lines: Math.round(t.height / parseFloat(getComputedStyle(li).lineHeight)),
                countAfter: c.left >= t.right - 1, countNear: c.left - t.right < 12};
      })""")
    by_count = {}
    for w in info:
        by_count.setdefault(w["count"], set()).add(w["size"])
        assert w["countAfter"] and w["countNear"], f"the count of {w['text']!r} is not right after it: {w}"
        assert w["lines"] == 1, f"{w['text']!r} breaks inside the word: {w}"
    assert all(len(sizes) == 1 for sizes in by_count.values()), by_count
    assert max(float(w["size"].rstrip("px")) for w in info) <= 30
    phone.locator(f'#polls .poll-card[data-poll-id="{cloud}"]').scroll_into_view_if_needed()
    shoot(phone, "phone-word-cloud")
