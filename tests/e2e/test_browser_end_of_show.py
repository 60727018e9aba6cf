"""The end of the show in real browsers: the console's End show asks whether questions stay open
for follow-up; phones then say the session has ended, show no "vote now" for the poll it
closed and take no question, until the moderator reopens questions for follow-up."""
import re

from playwright.sync_api import expect

from conftest import shoot
from support.server import TOKEN, clients

CLOSED = "The session has ended. Questions are closed."


def _online(page):
    expect(page.locator(".live-indicator[data-status=online]")).to_be_visible(timeout=10_000)


def _go_to_the_last_segment(console):
    """Press Go on the run of show's last row, as the moderator does (a change this console asked
    for counts as seen at once, so the Next that follows is aimed at the last segment)."""
    last = console.evaluate("() => window.forumLive.state.run.segments.at(-1).id")
    console.locator(f'#ros-body tr[data-key="{last}"] .btn-go').click()
    expect(console.locator(f'#ros-body tr.is-current[data-key="{last}"]')).to_be_attached()


def test_ending_the_show_closes_the_poll_and_the_questions_on_phones_until_reopened(pages, live_server):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    phone = pages.open("/e/ILO22", 390, 844, mobile=True)
    _online(console)
    _online(phone)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        state = mod.state()
        poll = state["polls"][0]
        assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    _go_to_the_last_segment(console)
    card = phone.locator(f'#polls .poll-card[data-poll-id="{poll["id"]}"]')
    kicker = card.locator(".poll-kicker")
    expect(kicker).to_have_text(re.compile("vote now", re.I))
    expect(phone.locator("#ask-submit")).to_be_enabled()
    phone.locator("#ask-text").fill("Will the slides be shared after the session?")  # typed, not sent

    # The last segment is on air: Next is "End show", and asks first.
    next_button = console.locator("#btn-next")
    expect(next_button).to_contain_text("End show")
    next_button.click()
    dialog = console.locator("#end-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Keep questions open for follow-up")).not_to_be_checked()
    shoot(console, "console-end-show-dialog")
    dialog.get_by_role("button", name="End the show").click()
    expect(dialog).to_be_hidden()
    expect(console.locator("#timer-followup")).to_contain_text("Questions are closed.")
    shoot(console, "console-after-the-end")

    # The phone: the session has ended, the poll is closed (no "vote now"), no question form.
    expect(phone.locator("#ask-closed")).to_be_visible()
    expect(phone.locator("#ask-closed")).to_have_text(CLOSED)
    expect(phone.locator("#ask-submit")).to_be_disabled()
    expect(phone.locator("#ask-text")).to_be_disabled()
    expect(phone.locator("#ask-text")).to_have_value("Will the slides be shared after the session?")
    expect(card.locator(".poll-status")).to_have_text("Voting closed")
    expect(kicker).not_to_have_text(re.compile("vote", re.I))
    assert "vote now" not in phone.locator("#polls").inner_text().lower()
    expect(phone.locator("#now-segment")).to_contain_text("The session has ended")
    phone.locator("#ask").scroll_into_view_if_needed()
    shoot(phone, "phone-after-the-end")

    # The moderator reopens questions for follow-up: the phone can ask again.
    console.locator("#btn-followup").click()
    expect(console.locator("#timer-followup")).to_contain_text("Questions stay open for follow-up.")
    expect(console.locator("#btn-followup")).to_have_text("Close questions")
    expect(phone.locator("#ask-closed")).to_be_hidden()
    expect(phone.locator("#ask-submit")).to_be_enabled()
    expect(phone.locator("#now-note")).to_contain_text("Questions stay open for follow-up")
    phone.locator("#ask-submit").click()
    expect(phone.locator("#mine-list")).to_contain_text("Will the slides be shared after the session?")
    expect(console.locator("#activity-list")).to_contain_text("Kept questions open for follow-up")
    assert pages.errors == []


def test_the_end_dialog_can_keep_questions_open_and_cancel_changes_nothing(pages, live_server):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    phone = pages.open("/e/ILO22", 390, 844, mobile=True)
    _online(console)
    _online(phone)
    _go_to_the_last_segment(console)
    expect(console.locator("#btn-next")).to_contain_text("End show")
    console.locator("body").click(position={"x": 5, "y": 5})
    console.keyboard.press("n")  # the N key asks too
    dialog = console.locator("#end-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert console.evaluate("() => window.forumLive.state.run.status") == "live"

    console.locator("#btn-next").click()
    dialog.get_by_label("Keep questions open for follow-up").check()
    dialog.get_by_role("button", name="End the show").click()
    expect(console.locator("#timer-followup")).to_contain_text("Questions stay open for follow-up.")
    expect(phone.locator("#now-segment")).to_contain_text("The session has ended")
    expect(phone.locator("#ask-closed")).to_be_hidden()
    expect(phone.locator("#ask-submit")).to_be_enabled()
    assert pages.errors == []
