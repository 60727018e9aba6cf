"""The organiser's page (/admin): sign-in, the list and its filters, making events four ways,
the moderator link shown once, archive and delete with their refusals, and every form behind
its CSRF token."""
import html
import io
import re

import pytest
from sqlalchemy import func, select

from forum_live.persistence import models
from forum_live.persistence.models import Event
from support.actors import Actor
from support.server import TOKEN as MODERATOR_TOKEN

ORGANISER = "organiser-token-for-tests-0001"


@pytest.fixture
def app_config():
    return {"FORUM_LIVE_ORGANISER_TOKEN": ORGANISER}


@pytest.fixture
def organiser(client):
    """A browser signed in on /admin, and its page's CSRF token."""
    assert client.get(f"/admin?token={ORGANISER}").status_code == 302
    page = client.get("/admin").get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _rows(client, query=""):
    page = client.get(f"/admin{query}").get_data(as_text=True)
    return re.findall(r'<tr data-code="(\w+)" data-state="(\w+)"', page)


def _flash(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'class="admin-flash[^"]*"[^>]*>([^<]+)<', page)]


def _make(client, csrf, **form):
    response = client.post("/admin/events", data={"csrf_token": csrf, **form}, follow_redirects=True)
    return response.get_data(as_text=True)


def _moderator_link(page: str) -> str | None:
    found = re.search(r'id="moderator-link" href="([^"]+)"', page)
    return found.group(1) if found else None


def test_admin_needs_the_organiser_token(client, app):
    assert client.get("/admin").status_code == 403
    assert client.get("/admin?token=forged").status_code == 403
    assert client.get(f"/admin?token={MODERATOR_TOKEN}").status_code == 403  # the moderator's is not the organiser's
    signed = client.get(f"/admin?token={ORGANISER}")
    assert signed.status_code == 302 and signed.headers["Location"] == "/admin"  # the token leaves the URL
    assert _rows(client) == [("ILO22", "upcoming")]
    assert app.config["FORUM_LIVE_ORGANISER_CREDENTIAL"].matches(ORGANISER)


def test_a_generated_organiser_token_is_kept_only_hashed(tmp_path):
    from forum_live import create_app
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "s",
              "DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FORUM_LIVE_ASYNC_MODE": "threading"}
    first = create_app(config).config["FORUM_LIVE_ORGANISER_CREDENTIAL"]
    again = create_app(config).config["FORUM_LIVE_ORGANISER_CREDENTIAL"]
    assert first.plain and again.plain is None and again.matches(first.plain)
    assert first.plain not in (tmp_path / "i" / "organiser_token.sha256").read_text()
    rotated = create_app({**config, "FORUM_LIVE_NEW_TOKENS": True})
    assert rotated.test_client().get(f"/admin?token={first.plain}").status_code == 403


def test_every_form_needs_the_csrf_token(organiser, app):
    client, _csrf = organiser
    for path in ("/admin/events", "/admin/events/ILO22/token", "/admin/events/ILO22/archive",
                 "/admin/events/ILO22/delete"):
        assert client.post(path, data={"source": "blank", "confirm": "ILO22"}).status_code == 403, path
    with app.extensions["forum_live.sessions"]() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 1
        assert s.scalar(select(Event)).archived_at is None


def test_make_events_four_ways_each_with_its_own_code_and_moderator_link(organiser, app):
    client, csrf = organiser
    blank = _make(client, csrf, source="blank", title="Youth and jobs", room="Hall A", start="2022-09-14T09:00")
    template = _make(client, csrf, source="template", template="panel-60-minutes.toml", room="Hall B",
                     start="2022-09-14T11:00", code="SKILLS")
    copy = _make(client, csrf, source="copy", copy_of="ILO22", room="Hall A", start="2022-09-15T10:30")
    event_file = client.get("/moderate/event.toml")  # needs a console session: the organiser has one
    assert event_file.status_code == 200
    text = event_file.get_data(as_text=True).replace('code = "ILO22"', 'code = "FILE22"')
    uploaded = client.post("/admin/events", data={"csrf_token": csrf, "source": "file", "room": "Hall B",
                                                  "file": (io.BytesIO(text.encode()), "forum.toml")},
                           content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    links = [_moderator_link(page) for page in (blank, template, copy, uploaded)]
    assert all(links) and len(set(links)) == 4
    rows = dict(_rows(client))
    assert set(rows) >= {"ILO22", "SKILLS", "FILE22"} and len(rows) == 5
    with app.extensions["forum_live.sessions"]() as s:
        events = {e.code: e for e in s.scalars(select(Event))}
        made = [e for e in events.values() if e.code != "ILO22"]
        assert all(e.moderator_digest for e in made) and events["ILO22"].moderator_digest is None
        blank_event = next(e for e in made if e.title == "Youth and jobs")
        assert blank_event.room == "Hall A" and len(blank_event.segments) == 1
        assert blank_event.scheduled_start_at.isoformat() == "2022-09-14T02:00:00+00:00"  # 09:00 in Bangkok
        assert len(events["SKILLS"].segments) == 7 and len(events["SKILLS"].panelists) == 3
        copied = next(e for e in made if e.title == events["ILO22"].title and e.code != "FILE22")
        assert [s.title for s in copied.segments] == [s.title for s in events["ILO22"].segments]
        assert copied.booked_end_at - copied.scheduled_start_at == (events["ILO22"].booked_end_at
                                                                    - events["ILO22"].scheduled_start_at)
        assert len(events["FILE22"].polls) == 3
    # The link is shown once: the event's page no longer has it.
    assert _moderator_link(client.get("/admin/events/SKILLS").get_data(as_text=True)) is None


def test_the_list_filters_by_day_and_room(organiser):
    client, csrf = organiser
    _make(client, csrf, source="blank", code="DAYTWO", room="Hall B", start="2022-09-14T09:00")
    _make(client, csrf, source="blank", code="DAYTWOA", room="Hall A", start="2022-09-14T14:00")
    assert [c for c, _ in _rows(client, "?day=2022-09-14")] == ["DAYTWO", "DAYTWOA"]
    assert [c for c, _ in _rows(client, "?room=hall+b")] == ["DAYTWO"]
    assert [c for c, _ in _rows(client, "?day=2022-09-13")] == ["ILO22"]
    assert _rows(client, "?day=2022-09-14&room=Nowhere") == []
    assert [c for c, _ in _rows(client, "?day=not-a-day")] == ["ILO22", "DAYTWO", "DAYTWOA"]  # ignored, not an error


@pytest.mark.parametrize("form,reason", [
    ({"source": "blank", "code": "ILO22"}, "already used"),
    ({"source": "blank", "code": "no spaces"}, "event.code: the code is 3 to 12 letters or digits"),
    ({"source": "blank", "start": "0001-01-01T00:00"}, "year must be between 2000 and 2999"),
    ({"source": "blank", "start": "9999-12-31T23:30"}, "year must be between 2000 and 2999"),
    ({"source": "blank", "room": "."}, "event.room: a room's name needs at least one letter or digit"),
    ({"source": "blank", "title": "x" * 201}, "event.title"),
    ({"source": "blank", "start": "tomorrow"}, "not a date"),
    ({"source": "template", "template": "../../etc/passwd"}, "no template"),
    ({"source": "copy", "copy_of": "NOPE"}, "no event"),
    ({"source": "file"}, "Choose an event file"),
    ({"source": "sideways"}, "Unknown way"),
])
def test_a_bad_form_is_refused_with_the_reason_and_stores_nothing(organiser, app, form, reason):
    client, csrf = organiser
    page = _make(client, csrf, **form)
    assert any(reason in message for message in _flash(page)), _flash(page)
    with app.extensions["forum_live.sessions"]() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 1


@pytest.mark.parametrize("body,reason", [
    (b"\xff\xfe not text", "not a text file"),
    (b"[event\ncode = ", "not valid TOML"),
    (b'[event]\ncode = "BAD1"\ntitle = "T"\ntimezone = "Mars/Olympus"\nstart = 2022-09-13T10:00:00\n'
     b'[moderator]\nname = "M"\n[[segments]]\nkind = "opening"\ntitle = "O"\nminutes = 5\n', "event.timezone"),
    (b"x" * (256 * 1024 + 1), "larger than 256 KB"),
])
def test_a_hostile_event_file_is_refused_and_stores_nothing(organiser, app, body, reason):
    client, csrf = organiser
    page = client.post("/admin/events", data={"csrf_token": csrf, "source": "file", "file": (io.BytesIO(body), "x.toml")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert any(reason in message for message in _flash(page)), _flash(page)
    with app.extensions["forum_live.sessions"]() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 1


def _made(client, csrf, code):
    return _moderator_link(_make(client, csrf, source="template", template="panel-60-minutes.toml", code=code))


def test_an_events_moderator_link_opens_that_console_only(organiser, app):
    client, csrf = organiser
    link = _made(client, csrf, "HALLB1")
    moderator = app.test_client()
    signed = moderator.get(link.replace("http://192.0.2.10:5000", ""))
    assert signed.status_code == 302 and signed.headers["Location"] == "/moderate?event=HALLB1"
    page = moderator.get("/moderate?event=HALLB1")
    assert page.status_code == 200 and "HALLB1" in page.get_data(as_text=True)
    # Its links carry the event (report, exports, import) ...
    assert "/moderate/report?event=HALLB1" in page.get_data(as_text=True)
    assert moderator.get("/moderate/report?event=HALLB1").status_code == 200
    assert moderator.get("/moderate/run-of-show.csv?event=HALLB1").status_code == 200
    # ... and nothing of the server's event opens with it.
    assert moderator.get("/moderate").headers["Location"] == "/moderate?event=HALLB1"  # its own, not the server's
    for path in ("/moderate/report", "/moderate/report.json", "/moderate/event.toml",
                 "/moderate/report?event=ILO22", "/admin"):
        assert moderator.get(path).status_code == 403, path
    # The server's moderator token does not open HALLB1.
    server = app.test_client()
    server.get(f"/moderate?token={MODERATOR_TOKEN}")
    assert server.get("/moderate").status_code == 200
    assert server.get("/moderate?event=HALLB1").status_code == 403
    assert server.get("/moderate/report.json?event=HALLB1").status_code == 403


def test_a_new_moderator_link_signs_the_old_one_out(organiser, app):
    client, csrf = organiser
    old = _made(client, csrf, "HALLB2").replace("http://192.0.2.10:5000", "")
    moderator = app.test_client()
    moderator.get(old)
    assert moderator.get("/moderate?event=HALLB2").status_code == 200
    page = client.post("/admin/events/HALLB2/token", data={"csrf_token": csrf}, follow_redirects=True)
    new = _moderator_link(page.get_data(as_text=True)).replace("http://192.0.2.10:5000", "")
    assert new != old
    assert moderator.get("/moderate?event=HALLB2").status_code == 403  # signed out
    assert app.test_client().get(old).status_code == 403
    assert app.test_client().get(new).status_code == 302


def test_archive_and_delete_are_refused_while_live_and_delete_takes_everything(organiser, app):
    client, csrf = organiser
    link = _made(client, csrf, "HALLB3")
    token = link.rsplit("token=", 1)[1]
    mod = Actor(app, "/moderator", {"event": "HALLB3", "token": token})
    phone, voter = Actor(app, "/audience", {"event": "HALLB3"}), Actor(app, "/audience", {"event": "HALLB3"})
    qid = phone.call("question:submit", {"client_id": "hall-b3-q1", "text": "Who funds the network?"})["question"]["id"]
    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
    assert voter.call("question:upvote", {"question_id": qid, "on": True})["ok"]
    poll = mod.call("poll:create", {"kind": "single", "title": "Which?", "options": ["A", "B"]})["poll_id"]
    assert mod.call("poll:open", {"poll_id": poll})["ok"]
    option = next(p for p in mod.last("polls") if p["id"] == poll)["options"][0]["id"]
    assert voter.call("poll:vote", {"poll_id": poll, "value": option})["ok"]
    assert mod.call("takeaway:add", {"client_id": "hall-b3-t1", "text": "Networks need funding."})["ok"]
    assert mod.call("timer:start", {})["ok"]
    assert ("HALLB3", "live") in _rows(client)
    page = client.post("/admin/events/HALLB3/archive", data={"csrf_token": csrf, "archived": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert any("is live" in m for m in _flash(page)) and 'id="live-note"' in page
    page = client.post("/admin/events/HALLB3/delete", data={"csrf_token": csrf, "confirm": "HALLB3"},
                       follow_redirects=True).get_data(as_text=True)
    assert any("is live" in m for m in _flash(page))
    # End the show: the last segment, then next.
    state = Actor(app, "/moderator", {"event": "HALLB3", "token": token}).last("state")
    last = state["run"]["segments"][-1]["id"]
    assert mod.call("timer:goto", {"segment_id": last})["ok"]
    assert mod.call("timer:next", {"keep_questions_open": False})["ok"]
    assert ("HALLB3", "ended") in _rows(client)
    page = client.post("/admin/events/HALLB3/delete", data={"csrf_token": csrf, "confirm": "hallb"},
                       follow_redirects=True).get_data(as_text=True)
    assert any("type the event's code (HALLB3) to confirm" in m for m in _flash(page))
    with app.extensions["forum_live.sessions"]() as s:
        ilo_before = _counts(s, "ILO22")
        assert all(_counts(s, "HALLB3")[name] for name in ("question", "vote", "ballot", "takeaway", "segment"))
    page = client.post("/admin/events/HALLB3/delete", data={"csrf_token": csrf, "confirm": "hallb3"},
                       follow_redirects=True).get_data(as_text=True)
    assert any("HALLB3 deleted" in m for m in _flash(page))
    assert "HALLB3" not in dict(_rows(client))
    with app.extensions["forum_live.sessions"]() as s:
        assert s.scalar(select(Event).where(Event.code == "HALLB3")) is None
        assert _orphans(s) == {}
        assert _counts(s, "ILO22") == ilo_before


def _counts(s, code):
    """Rows per table that belong to event ``code``."""
    event = s.scalar(select(Event).where(Event.code == code))
    q = select(models.Question.id).where(models.Question.event_id == event.id)
    p = select(models.Poll.id).where(models.Poll.event_id == event.id)
    return {
        "question": s.scalar(select(func.count()).select_from(models.Question).where(models.Question.event_id == event.id)),
        "vote": s.scalar(select(func.count()).select_from(models.Vote).where(models.Vote.question_id.in_(q))),
        "ballot": s.scalar(select(func.count()).select_from(models.Ballot).where(models.Ballot.poll_id.in_(p))),
        "takeaway": s.scalar(select(func.count()).select_from(models.Takeaway).where(models.Takeaway.event_id == event.id)),
        "segment": s.scalar(select(func.count()).select_from(models.Segment).where(models.Segment.event_id == event.id)),
        "action": s.scalar(select(func.count()).select_from(models.ModeratorAction)
                           .where(models.ModeratorAction.event_id == event.id)),
    }


def _orphans(s):
    """Rows whose event is gone, per table (none after a delete)."""
    events = select(Event.id)
    found = {}
    for model in (models.Panelist, models.KeyQuestion, models.Segment, models.Question, models.Poll,
                  models.ModeratorAction, models.FloorChange, models.PlanChange, models.StageCue, models.Takeaway,
                  models.DeviceJoin):
        n = s.scalar(select(func.count()).select_from(model).where(model.event_id.not_in(events)))
        if n:
            found[model.__tablename__] = n
    for model, parent, column in ((models.Vote, models.Question, "question_id"), (models.Ballot, models.Poll, "poll_id"),
                                  (models.PollOption, models.Poll, "poll_id"),
                                  (models.Prompt, models.KeyQuestion, "key_question_id")):
        n = s.scalar(select(func.count()).select_from(model).where(getattr(model, column).not_in(select(parent.id))))
        if n:
            found[model.__tablename__] = n
    return found


def test_the_server_event_cannot_be_deleted_and_an_archived_event_comes_back(organiser, app):
    client, csrf = organiser
    page = client.post("/admin/events/ILO22/delete", data={"csrf_token": csrf, "confirm": "ILO22"},
                       follow_redirects=True).get_data(as_text=True)
    assert any("was started with" in m for m in _flash(page))
    _made(client, csrf, "HALLB4")
    client.post("/admin/events/HALLB4/archive", data={"csrf_token": csrf, "archived": "1"})
    assert "HALLB4" not in dict(_rows(client)) and _rows(client, "?archived=1") == [("HALLB4", "archived")]
    client.post("/admin/events/HALLB4/archive", data={"csrf_token": csrf, "archived": "0"})
    assert ("HALLB4", "upcoming") in _rows(client)
    assert client.get("/admin/events/NOPE").status_code == 404


def test_only_the_organiser_moves_a_session_to_another_room(organiser, app):
    client, csrf = organiser
    link = _made(client, csrf, "HALLB5").replace("http://192.0.2.10:5000", "")
    page = client.post("/admin/events/HALLB5/room", data={"csrf_token": csrf, "room": "  Hall 1/2 "},
                       follow_redirects=True).get_data(as_text=True)
    assert any("Room saved" in m for m in _flash(page))
    page = client.post("/admin/events/HALLB5/room", data={"csrf_token": csrf, "room": "/"},
                       follow_redirects=True).get_data(as_text=True)
    assert any("letter or digit" in m for m in _flash(page))
    with app.extensions["forum_live.sessions"]() as s:
        assert s.scalar(select(Event).where(Event.code == "HALLB5")).room == "Hall 1/2"
    # The event's moderator cannot: the editor has no room (a typo would take another room's projector).
    token = link.rsplit("token=", 1)[1]
    mod = Actor(app, "/moderator", {"event": "HALLB5", "token": token})
    ack = mod.call("event:edit", {"room": "Hall B"})
    assert ack["ok"] is False and ack["code"] == "invalid_payload", ack
    with app.extensions["forum_live.sessions"]() as s:
        assert s.scalar(select(Event).where(Event.code == "HALLB5")).room == "Hall 1/2"


def test_an_events_moderator_typing_plain_moderate_gets_their_console(organiser, app):
    client, csrf = organiser
    link = _made(client, csrf, "HALLB6").replace("http://192.0.2.10:5000", "")
    moderator = app.test_client()
    moderator.get(link)
    response = moderator.get("/moderate")
    assert response.status_code == 302 and response.headers["Location"] == "/moderate?event=HALLB6"
    assert moderator.get("/moderate?event=ILO22").status_code == 403


def test_the_pages_refusals_speak_the_pages_language(organiser, app):
    client, csrf = organiser
    client.get("/admin?lang=fr")
    page = client.post("/admin/events/ILO22/delete", data={"csrf_token": csrf, "confirm": "ILO22"},
                       follow_redirects=True).get_data(as_text=True)
    assert any("est l’événement avec lequel ce serveur a démarré" in m for m in _flash(page)), _flash(page)
    page = _make(client, csrf, source="blank", code="ILO22")
    assert any("est déjà utilisé par un autre événement" in m for m in _flash(page)), _flash(page)
    page = _make(client, csrf, source="copy", copy_of="NOPE")
    assert any("Il n’y a pas d’événement avec le code 'NOPE' à copier" in m for m in _flash(page)), _flash(page)
