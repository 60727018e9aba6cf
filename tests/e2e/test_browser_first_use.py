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
