"""A room's projector and stage view follow the room (issue 12 item 3): the live event of the
room, else its next one, else the one that ended last; never an archived one; behind the room's key."""
from datetime import datetime
from urllib.parse import quote

import pytest
from sqlalchemy import select

from forum_live.domain.clock import utcnow
from forum_live.identity import room_key, view_key
from forum_live.persistence.models import Event
from forum_live.services.organising import archive_event, create_event, source_data
from support.actors import Actor


@pytest.fixture
def hall_b(app):
    """Two sessions in Hall B (09:00 and 11:00 Bangkok time), one in Hall A; their moderator tokens."""
    tokens = {}
    with app.extensions["forum_live.sessions"]() as s:
        for code, room, hour in (("HB1", "Hall B", 9), ("HB2", "hall b ", 11), ("HA1", "Hall A", 9)):
            data = source_data(s, "template", template="panel-60-minutes.toml", timezone="Asia/Bangkok")
            _event, tokens[code] = create_event(s, data, utcnow(), code=code, room=room,
                                                start=datetime(2022, 9, 13, hour, 0))
        s.commit()
    return tokens


def _now(client, app, room, view="screen"):
    key = room_key(app.config["SECRET_KEY"], room, view)
    response = client.get(f"/room/{quote(room)}/{view}/now.json?key={key}")
    assert response.status_code == 200
    return response.get_json()


def _end_show(app, code, token):
    mod = Actor(app, "/moderator", {"event": code, "token": token})
    last = mod.last("state")["run"]["segments"][-1]["id"]
    assert mod.call("timer:goto", {"segment_id": last})["ok"]
    assert mod.call("timer:next", {"keep_questions_open": False})["ok"]


def test_the_room_shows_its_live_event_else_the_next_else_the_last_ended(app, client, hall_b):
    assert _now(client, app, "Hall B")["event"] == "HB1"  # both upcoming: the earlier
    assert _now(client, app, "HALL B")["event"] == "HB1"  # one room, whatever the case
    mod2 = Actor(app, "/moderator", {"event": "HB2", "token": hall_b["HB2"]})
    assert mod2.call("timer:start", {})["ok"]  # HB2 starts first (HB1 ran late): the live one wins
    now = _now(client, app, "Hall B")
    assert now["event"] == "HB2"
    assert now["url"] == f"/screen?key={view_key(app.config['SECRET_KEY'], 'HB2', 'projector')}&event=HB2"
    _end_show(app, "HB2", hall_b["HB2"])
    assert _now(client, app, "Hall B")["event"] == "HB1"  # the next one, with its title card
    _end_show(app, "HB1", hall_b["HB1"])
    assert _now(client, app, "Hall B")["event"] == "HB1"  # both ended: the one that ended last
    stage = _now(client, app, "Hall B", "stage")
    assert stage["url"] == f"/stage?key={view_key(app.config['SECRET_KEY'], 'HB1', 'stage')}&event=HB1"
    assert _now(client, app, "Hall A")["event"] == "HA1"
    with app.extensions["forum_live.sessions"]() as s:
        for event in s.scalars(select(Event).where(Event.code.in_(["HB1", "HB2"]))):
            archive_event(s, event, utcnow())
        s.commit()
    assert _now(client, app, "Hall B") == {"event": None, "title": "", "url": None}
    assert _now(client, app, "Nowhere") == {"event": None, "title": "", "url": None}


def test_a_room_page_frames_the_event_page_and_needs_the_rooms_key(app, client, hall_b):
    secret = app.config["SECRET_KEY"]
    page = client.get(f"/room/Hall%20B/screen?key={room_key(secret, 'Hall B', 'screen')}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'src="/screen?key={view_key(secret, "HB1", "projector")}&amp;event=HB1"' in html
    for path in ("/room/Hall%20B/screen", "/room/Hall%20B/screen?key=forged",
                 f"/room/Hall%20B/screen?key={room_key(secret, 'Hall B', 'stage')}",  # the stage key is not the screen's
                 f"/room/Hall%20A/screen?key={room_key(secret, 'Hall B', 'screen')}",  # another room's key
                 f"/room/Hall%20B/stage?key={room_key(secret, 'Hall B', 'screen')}",
                 "/room/Hall%20B/screen/now.json?key=forged", f"/room/{'x' * 101}/screen?key=forged"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/room/Hall%20B/side/now.json?key={room_key(secret, 'Hall B', 'screen')}").status_code == 404
    empty = client.get(f"/room/Empty/screen?key={room_key(secret, 'Empty', 'screen')}").get_data(as_text=True)
    assert "No session is planned in this room." in empty


def test_a_room_whose_name_holds_a_slash_has_working_links(app, client):
    with app.extensions["forum_live.sessions"]() as s:
        create_event(s, source_data(s, "blank", timezone="UTC"), utcnow(), code="HALF1", room="Hall 1/2")
        s.commit()
    secret = app.config["SECRET_KEY"]
    for view in ("screen", "stage"):
        assert client.get(f"/room/Hall%201/2/{view}?key={room_key(secret, 'Hall 1/2', view)}").status_code == 200
    assert _now(client, app, "Hall 1/2")["event"] == "HALF1"
