"""The organiser's page in a real browser: an expo day made on /admin (two sessions in two rooms),
the moderator link opening that event's console only, a phone of that event asking a question
the console sees, at laptop and phone sizes, with axe's WCAG checks."""
import re

import pytest
from a11y import axe_violations, describe
from playwright.sync_api import expect

from conftest import Pages, shoot
from support.server import Server

ORGANISER = "browser-organiser-token"


@pytest.fixture
def live_server(tmp_path):
    server = Server(tmp_path, "gevent", env={"FORUM_LIVE_ORGANISER_TOKEN": ORGANISER}).start()
    yield server
    server.stop()


def _make(page, source: str, room: str, start: str, code: str, **choose):
    page.locator(f"input[name=source][value={source}]").check()
    for name, value in choose.items():
        page.locator(f"select[name={name}]").select_option(value)
    page.locator("input[name=room]").fill(room)
    page.locator("input[name=start]").fill(start)
    page.locator("input[name=code]").fill(code)
    page.locator("#btn-create").click()
    expect(page.locator("#moderator-link")).to_be_visible()
    return page.locator("#moderator-link").get_attribute("href")


def test_an_organiser_makes_an_expo_day_and_each_moderator_gets_their_own_console(browser, live_server):
    pages = Pages(browser, live_server)
    try:
        admin = pages.open(f"/admin?token={ORGANISER}", 1366, 768)
        expect(admin.locator("#events tr[data-code=ILO22]")).to_be_visible()
        link_b = _make(admin, "template", "Hall B", "2022-09-13T14:00", "HALLB", template="panel-60-minutes.toml")
        shoot(admin, "admin-event-made-1366")
        assert axe_violations(admin) == [], describe(axe_violations(admin))
        admin.locator("a", has_text="← Events").click()
        _make(admin, "copy", "Hall A", "2022-09-13T16:00", "HALLA2", copy_of="ILO22")
        admin.goto(live_server.url + "/admin?day=2022-09-13")
        expect(admin.locator("#events tbody tr")).to_have_count(3)
        admin.locator("#filter-room").select_option("Hall B")
        admin.get_by_role("button", name="Show").click()
        expect(admin.locator("#events tbody tr")).to_have_count(1)
        expect(admin.locator("#events tr[data-code=HALLB]")).to_contain_text("Upcoming")
        shoot(admin, "admin-list-1366")
        assert axe_violations(admin) == [], describe(axe_violations(admin))

        # HALLB's moderator, on their own laptop, with the link the organiser gave them.
        path = re.sub(r"^https?://[^/]+", "", link_b)
        console = pages.open(path, 1366, 768)
        expect(console).to_have_url(re.compile(r"/moderate\?event=HALLB$"))
        console.wait_for_function("() => window.forumLive && window.forumLive.state")
        assert console.evaluate("() => window.forumLive.state.event.code") == "HALLB"
        phone = pages.open("/e/HALLB", 390, 844, mobile=True)
        phone.locator("#ask-text").fill("How do the three speakers' networks fit together?")
        phone.locator("#ask-submit").click()
        expect(console.locator("#mod-q-list li", has_text="networks fit together")).to_be_visible()
        # The link opens nothing else: not the server's event's console, not /admin.
        for other in ("/moderate?event=ILO22", "/moderate/report?event=ILO22", "/admin"):
            assert console.request.get(live_server.url + other).status == 403, other
        # Live now: the organiser's list says so and refuses to archive it.
        console.get_by_role("button", name=re.compile("^Start")).first.click()
        admin.goto(live_server.url + "/admin")
        expect(admin.locator("#events tr[data-code=HALLB]")).to_contain_text("Live")

        small = pages.open("/admin", 390, 844, mobile=True)  # a new browser: not signed in
        expect(small.locator("body")).to_contain_text("organiser")
        small.goto(live_server.url + f"/admin?token={ORGANISER}")
        expect(small.locator("#events tr[data-code=HALLB]")).to_be_visible()
        assert small.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        shoot(small, "admin-list-390")
        small.locator("#events tr[data-code=HALLB] a").click()
        expect(small.locator("#btn-archive")).to_be_disabled()
        expect(small.locator("#live-note")).to_be_visible()
        assert small.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        shoot(small, "admin-event-390")
        assert axe_violations(small) == [], describe(axe_violations(small))
        assert pages.foreign_requests() == []
        assert pages.errors == [] or all("403" in e for e in pages.errors), pages.errors
    finally:
        pages.close()
