"""A room's projector in a real browser (issue 12 item 3): it shows the room's next session's
title card, then that session live, and moves on to the next session by itself when the first
ends and the next moderator starts."""
import re
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import expect

from conftest import Pages, shoot
from forum_live.identity import room_key
from support.server import SECRET, LiveClient, Server

ORGANISER = "browser-organiser-token"


@pytest.fixture
def live_server(tmp_path):
    server = Server(tmp_path, "gevent", env={"FORUM_LIVE_ORGANISER_TOKEN": ORGANISER}).start()
    yield server
    server.stop()


def _make(url, code, start, title):
    browser = requests.Session()
    browser.get(f"{url}/admin?token={ORGANISER}", timeout=10)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"{url}/admin", timeout=10).text).group(1)
    page = browser.post(f"{url}/admin/events", data={"csrf_token": csrf, "source": "template", "code": code, "title": title,
                                                     "template": "panel-60-minutes.toml", "room": "Hall B",
                                                     "start": start}, timeout=10)
    return re.search(r'id="moderator-link" href="[^"]*token=([^"]+)"', page.text).group(1)


def test_the_room_projector_moves_to_the_next_session_by_itself(browser, live_server):
    url = live_server.url
    first = _make(url, "HALLB1", "2099-09-13T09:00", "Morning session in Hall B")
    second = _make(url, "HALLB2", "2099-09-13T11:00", "Late morning session in Hall B")
    pages = Pages(browser, live_server)
    try:
        room = pages.open(f"/room/{quote('Hall B')}/screen?key={room_key(SECRET, 'Hall B', 'screen')}", 1280, 720)
        frame = room.frame_locator("#room-frame")
        expect(frame.locator("#idle-title")).to_have_text("Morning session in Hall B")
        expect(frame.locator("#idle-kicker")).to_contain_text("09:00")  # its start time (a date never reached)
        shoot(room, "room-next-session-1280")
        mod1 = LiveClient(url, "/moderator", {"event": "HALLB1", "token": first})
        state = mod1.state()
        assert mod1.call("timer:start", {})["ok"]
        expect(frame.locator("#screen")).to_have_attribute("data-scene", "timer", timeout=10_000)
        last = state["run"]["segments"][-1]["id"]
        assert mod1.call("timer:goto", {"segment_id": last})["ok"]
        assert mod1.call("timer:next", {"keep_questions_open": False})["ok"]
        # The first session ended: the room shows the next one's title card, then it live.
        expect(frame.locator("#idle-title")).to_have_text("Late morning session in Hall B", timeout=10_000)
        expect(room.locator("#room-frame")).to_have_attribute("data-event", "HALLB2")
        mod2 = LiveClient(url, "/moderator", {"event": "HALLB2", "token": second})
        assert mod2.call("timer:start", {})["ok"]
        expect(frame.locator("#screen")).to_have_attribute("data-scene", "timer", timeout=10_000)
        shoot(room, "room-second-session-live-1280")
        mod1.close()
        mod2.close()
        assert pages.foreign_requests() == []
        assert pages.errors == [], pages.errors
    finally:
        pages.close()
