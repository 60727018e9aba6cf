"""What a new user met on a first run (issue 13), in real browsers: the console keeps its name
across reloads, the phone shows one true status after asking, the text limits agree with the
server, the projector labels what it shows, a double Save is one takeaway, phone buttons never
break a word at 360 px, and after the end nothing forward-looking is offered or warned of."""
import re

from playwright.sync_api import expect

from support.server import TOKEN, clients

W, H = 1366, 768


def _online(page):
    expect(page.locator(".live-indicator[data-status=online]")).to_be_visible(timeout=10_000)


def _console(pages, context_of=None):
    page = pages.open(f"/moderate?token={TOKEN}", W, H)
    _online(page)
    return page


def test_a_reloaded_console_keeps_its_name_and_another_browser_gets_another(pages):
    first = _console(pages)
    expect(first.locator("#you-label")).to_have_text("You: Console 1")
    first.reload()
    _online(first)
    expect(first.locator("#you-label")).to_have_text("You: Console 1")
    # The same browser, a new tab (the moderator closed the tab and opened the link again).
    again = first.context.new_page()
    again.goto(first.url)
    _online(again)
    expect(again.locator("#you-label")).to_have_text("You: Console 1")
    again.close()
    # Another browser (another laptop): another name; the first console is still itself.
    other = _console(pages)
    expect(other.locator("#you-label")).to_have_text("You: Console 2")
    expect(first.locator("#n-consoles")).to_have_text("2")
    first.locator("#btn-start").click()
    expect(other.locator("#activity-list .act").first.locator(".act-who")).to_have_text("Console 1")
    assert pages.errors == []


def _phone(pages):
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    _online(phone)
    return phone


def test_asking_too_fast_shows_the_refusal_alone_never_a_sent_beside_it(pages):
    phone = _phone(pages)
    ok, error = phone.locator("#ask-ok"), phone.locator("#ask-error")
    for n in range(3):  # the limit is three a minute from one phone
        phone.locator("#ask-text").fill(f"Question number {n + 1} about the alliances?")
        phone.locator("#ask-submit").click()
        expect(ok).to_contain_text("Sent.")
        expect(error).to_be_hidden()
    phone.locator("#ask-text").fill("A fourth question, one too many this minute?")
    phone.locator("#ask-submit").click()
    expect(error).to_contain_text("Too many questions")
    expect(ok).to_be_hidden()
    # The question waits on the phone and goes by itself after the wait (the outbox keeps a
    # rate-limited item: tests/e2e/test_browser_rate_limited_outbox.py); nothing says "Sent".
    expect(error).to_contain_text("Kept on this phone: it is sent by itself when the wait is over.")
    waiting = phone.locator("#mine-list li", has_text="A fourth question")
    expect(waiting.get_by_text("Not sent yet")).to_be_visible()
    assert "Sent." not in phone.locator("#ask").inner_text()
    assert pages.errors == []


def test_the_text_boxes_take_what_the_server_takes_and_the_counters_say_so(pages):
    phone = _phone(pages)
    box = phone.locator("#ask-text")
    box.fill("x" * 700)  # as a paste: the box keeps what the server takes
    expect(box).to_have_value("x" * 500)
    expect(phone.locator("#ask-count")).to_have_text("500 / 500")
    assert phone.locator("#ask-name").get_attribute("maxlength") == "60"
    console = _console(pages)
    console.locator("#btn-takeaways").click()
    tk = console.locator("#tk-text")
    tk.fill("y" * 700)
    expect(tk).to_have_value("y" * 500)
    expect(console.locator(".tk-count")).to_have_text("500 / 500")
    assert pages.errors == []


def test_a_double_click_on_save_saves_one_takeaway_and_says_nothing_false(pages):
    console = _console(pages)
    console.locator("#btn-takeaways").click()
    dialog = console.locator("#takeaways-dialog")
    dialog.locator(".tk-form .tk-text").fill("Peer learning beats donor advice")
    dialog.locator(".tk-save").dblclick()
    expect(dialog.locator(".tk-list .tk-item", has_text="Peer learning beats donor advice")).to_have_count(1)
    expect(dialog.locator(".tk-form .tk-text")).to_have_value("")
    expect(dialog.locator(".tk-error")).to_be_hidden()
    dialog.locator(".tk-save").click()  # again, on the box it just emptied: nothing to say
    expect(dialog.locator(".tk-error")).to_be_hidden()
    # Save on a box the moderator emptied by hand still says what is missing.
    dialog.locator(".tk-form .tk-text").fill("Peer")
    dialog.locator(".tk-form .tk-text").fill("")
    dialog.locator(".tk-save").click()
    expect(dialog.locator(".tk-error")).to_have_text("Write the takeaway first.")
    assert pages.errors == []


def _poll_with_ballots(url, live_results=False):
    """The event's first poll (a choice poll), made a draft again, opened and on the projector,
    with two ballots; returns its id."""
    with clients() as make:
        mod = make(url, "/moderator", {"token": TOKEN})
        poll = mod.state()["polls"][0]
        if poll["status"] != "draft":
            assert mod.call("poll:reset", {"poll_id": poll["id"], "confirm": True})["ok"]
        assert mod.call("poll:update", {"poll_id": poll["id"], "live_results": live_results})["ok"]
        assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
        assert mod.call("poll:show", {"poll_id": poll["id"]})["ok"]
        for n in range(2):
            phone = make(url, "/audience", {"event": "ILO22"})
            assert phone.call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][n]["id"]})["ok"]
        return poll["id"]


def test_the_projector_labels_the_results_it_really_shows(pages, live_server):
    projector = pages.open("/screen", 1920, 1080)
    _online(projector)
    kicker = projector.locator("#poll-kicker")
    poll_id = _poll_with_ballots(live_server.url)
    expect(kicker).to_have_text("Poll")  # voting, results hidden
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        # A plain reveal while voting goes on: results so far, not the "live results" option.
        assert mod.call("poll:reveal", {"poll_id": poll_id, "revealed": True})["ok"]
        expect(projector.locator("#poll-results")).to_be_visible()
        expect(kicker).not_to_have_text(re.compile("live", re.I))
        assert mod.call("poll:close", {"poll_id": poll_id})["ok"]
        expect(kicker).to_have_text(re.compile(r"^Poll · results$", re.I))
        # Closed, then revealed again: the final results.
        assert mod.call("poll:reveal", {"poll_id": poll_id, "revealed": False})["ok"]
        assert mod.call("poll:reveal", {"poll_id": poll_id, "revealed": True})["ok"]
        expect(kicker).to_have_text(re.compile(r"^Poll · results$", re.I))
    # A poll with the live-results option shows them while voting: those are live results.
    _poll_with_ballots(live_server.url, live_results=True)
    expect(kicker).to_have_text(re.compile(r"^Poll · live results$", re.I))
    assert pages.errors == []


# Words of the visible buttons that a line break cuts in two: a word whose letters sit on more
# than one line.
BROKEN_WORDS = """() => {
  const out = [];
  for (const btn of document.querySelectorAll('button, .btn, [role=button], a.link-btn')) {
    if (!btn.getClientRects().length || getComputedStyle(btn).visibility === 'hidden') continue;
    const walker = document.createTreeWalker(btn, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) out.push(`${btn.id || btn.className}: ${m[0]}`);
      }
    }
  }
  return out;
}"""


def test_no_phone_button_breaks_a_word_at_360_px(pages, live_server):
    phone = _phone(pages)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        polls = mod.state()["polls"]
        assert mod.call("poll:open", {"poll_id": polls[0]["id"]})["ok"]
    phone.locator("#ask-text").fill("How do fragile states start cooperating with each other?")
    phone.locator("#ask-submit").click()
    expect(phone.locator("#mine-list .mine-withdraw")).to_be_visible()
    phone.locator("#ask-text").fill("How do fragile states start")  # similar questions may show
    for width in (360, 320):
        phone.set_viewport_size({"width": width, "height": 740})
        assert phone.evaluate(BROKEN_WORDS) == [], width
    phone.screenshot(path="/tmp/c-shots/phone-buttons-360.png", full_page=True)
    assert pages.errors == []


def test_after_the_end_nothing_forward_looking_is_offered_or_warned_of(pages, live_server):
    console = _console(pages)
    phone = _phone(pages)
    phone.locator("#ask-text").fill("Will the slides be shared after the session?")
    phone.locator("#ask-submit").click()
    withdraw = phone.locator("#mine-list .mine-withdraw")
    expect(withdraw).to_be_visible()
    alerts = console.locator("#ros-alerts")
    expect(alerts).to_contain_text("after the booked slot")  # the seed's 90-minute plan in an 80-minute slot
    expect(console.locator("#q-fit")).to_contain_text("fit")
    last = console.evaluate("() => window.forumLive.state.run.segments.at(-1).id")
    console.locator(f'#ros-body tr[data-key="{last}"] .btn-go').click()
    expect(console.locator(f'#ros-body tr.is-current[data-key="{last}"]')).to_be_attached()
    console.locator("#btn-next").click()
    console.locator("#end-dialog").get_by_role("button", name="End the show").click()
    expect(alerts).to_contain_text("The show ended at")
    expect(alerts).not_to_contain_text("booked slot")
    expect(alerts).not_to_contain_text("plan ends")
    expect(console.locator("#q-fit")).to_have_text("Show ended")
    console.screenshot(path="/tmp/c-shots/console-ended-1366.png")
    # Questions closed: the phone offers no Withdraw (the server would refuse it).
    expect(phone.locator("#ask-closed")).to_be_visible()
    expect(phone.locator("#ask-ok")).to_be_hidden()  # no "Sent." beside "Questions are closed"
    expect(withdraw).to_be_hidden()
    phone.screenshot(path="/tmp/c-shots/phone-ended-360.png", full_page=True)
    # Reopened for follow-up: Withdraw is back.
    console.locator("#btn-followup").click()
    expect(withdraw).to_be_visible()
    assert pages.errors == []
