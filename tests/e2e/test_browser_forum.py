"""The foundation scenario in a real browser: console, projector and three phones."""
import re

from playwright.sync_api import expect

from conftest import shoot
from support.server import TOKEN

CLOCK = re.compile(r"^\s*−?\d{1,2}:\d{2}(:\d{2})?\s*$")


def _clock_text(page, selector):
    return page.locator(selector).first.inner_text().strip()


def test_a_slot_questions_and_a_poll_from_console_to_projector_and_phones(pages):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    projector = pages.open("/screen", 1920, 1080)
    phones = [pages.open("/e/ILO22", 360, 740, mobile=True) for _ in range(3)]
    expect(console.get_by_text("The plan ends 12:00, 10 min after the booked slot")).to_be_visible()
    shoot(projector, "projector-before-show")

    # The moderator starts the first panelist's slot: the projector counts down.
    console.get_by_role("row", name=re.compile("Fragile-to-fragile")).get_by_role("button", name="Go").click()
    expect(projector.get_by_text("Mr Helder da Costa")).to_be_visible()
    first = _clock_text(projector, "#st-clock")
    expect(projector.locator("#st-clock")).not_to_have_text(first, timeout=5_000)  # it counts down
    second = _clock_text(projector, "#st-clock")
    assert CLOCK.match(first) and CLOCK.match(second) and first != second
    assert second.startswith(("09:5", "09:4")), second
    shoot(projector, "projector-timer")
    shoot(console, "console-first-slot")  # the README's console.png is a show under way (test_browser_console)

    # Three phones ask; two upvote the first one once the moderator approves it.
    for i, phone in enumerate(phones):
        phone.locator("#ask-text").fill(f"Phone {i + 1}: how does fragile-to-fragile cooperation start?")
        phone.locator("#ask-submit").click()
        expect(phone.get_by_text("Awaiting moderation")).to_be_visible()
    shoot(phones[0], "phone")
    item = console.locator("#mod-q-list li", has_text="Phone 1:")
    expect(item).to_be_visible()
    item.get_by_role("button", name="Approve").click()
    for phone in phones[1:]:
        upvote = phone.get_by_role("button", name=re.compile("upvote", re.I))
        card = phone.locator("li", has_text="Phone 1:").filter(has=upvote)
        card.get_by_role("button", name=re.compile("Upvote")).click()
        expect(card.get_by_role("button", name=re.compile("Remove your upvote"))).to_be_visible()
    console.get_by_role("tab", name=re.compile("Approved")).click()
    approved = console.locator("#mod-q-list li", has_text="Phone 1:")
    approved.get_by_role("button", name=re.compile("Highlight")).click()
    expect(projector.get_by_text("Phone 1: how does fragile-to-fragile cooperation start?")).to_be_visible()
    shoot(projector, "projector-question")

    # A poll: opened, three phones vote, results revealed on the projector.
    poll = console.locator("#mod-polls > *", has_text="Which theme should the next")
    poll.get_by_role("button", name="Open").click()
    choices = ["Skills development", "Skills development", "Social protection in ASEAN"]
    for phone, choice in zip(phones, choices):
        phone.get_by_role("radio", name=choice).or_(phone.get_by_role("button", name=choice)).first.click()
    expect(poll.get_by_text("3 ballots")).to_be_visible()
    poll.get_by_role("button", name=re.compile("Reveal")).click()
    expect(projector.get_by_text("67%")).to_be_visible()
    expect(projector.get_by_text("33%")).to_be_visible()
    shoot(projector, "projector-poll")
    shoot(phones[0], "phone-poll")

    assert pages.foreign_requests() == []
    assert pages.errors == []
