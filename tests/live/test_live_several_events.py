"""Two events running at once on one real server (issue 12): the organiser makes the second on
/admin, each has its moderator, projector, stage view and phones; both shows run side by side
and nothing of one ever reaches a client of the other."""
import json
import re

import pytest
import requests
import socketio

from forum_live.identity import view_key
from support.server import SECRET, TOKEN, clients, projector_key

pytestmark = pytest.mark.live
ORGANISER = "live-organiser-token"


def _make_event(url: str) -> tuple[str, str]:
    """Sign in on /admin and make event BRAVO1 from the shipped 60-minute template; return its
    code and its moderator token (from the link shown once)."""
    browser = requests.Session()
    assert browser.get(f"{url}/admin?token={ORGANISER}", timeout=10).status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"{url}/admin", timeout=10).text).group(1)
    page = browser.post(f"{url}/admin/events", data={"csrf_token": csrf, "source": "template", "code": "BRAVO1",
                                                     "template": "panel-60-minutes.toml", "room": "Hall B"}, timeout=10)
    assert page.status_code == 200, page.text[:500]
    link = re.search(r'id="moderator-link" href="([^"]+)"', page.text).group(1)
    return "BRAVO1", link.rsplit("token=", 1)[1]


def _run_show(make, url, code, auth, marker):
    """One event's show: its console, projector, stage view and three phones; questions carry
    ``marker``; a slot runs, a question is highlighted, a poll is voted on and revealed."""
    mod = make(url, "/moderator", auth)
    screen = make(url, "/screen", {"event": code, "key": projector_key(code)})
    stage = make(url, "/screen", {"event": code, "stage": view_key(SECRET, code, "stage")})
    phones = [make(url, "/audience", {"event": code}) for _ in range(3)]
    state = mod.state()
    assert state["event"]["code"] == code
    segment = state["run"]["segments"][1]["id"]
    assert mod.call("timer:goto", {"segment_id": segment})["ok"]
    acks = [p.call("question:submit", {"client_id": f"{marker}-q-{i:04d}", "text": f"{marker} question {i} from a phone?"})
            for i, p in enumerate(phones)]
    assert all(a["ok"] for a in acks), acks
    qid = acks[0]["question"]["id"]
    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
    for p in phones[1:]:
        assert p.call("question:upvote", {"question_id": qid, "on": True})["ok"]
    assert mod.call("question:highlight", {"question_id": qid})["ok"]
    assert mod.call("stage:message", {"text": f"{marker} wrap up"})["ok"]
    poll = mod.call("poll:create", {"kind": "single", "title": f"{marker} poll?", "options": [f"{marker} yes", "no"]})
    poll_id = poll["poll_id"]
    assert mod.call("poll:open", {"poll_id": poll_id})["ok"]
    options = mod.wait_for("polls", lambda ps: any(p["id"] == poll_id for p in ps))
    option = next(p for p in options if p["id"] == poll_id)["options"][0]["id"]
    for p in phones:
        assert p.call("poll:vote", {"poll_id": poll_id, "value": option})["ok"]
    assert mod.call("poll:reveal", {"poll_id": poll_id, "revealed": True})["ok"]
    screen.wait_for("scene", lambda s: s["name"] == "question" and s["question_id"] == qid)
    stage.wait_for("stage", lambda s: marker in json.dumps(s))
    phones[0].wait_for("polls", lambda ps: any(p["id"] == poll_id and p.get("results") for p in ps))
    return [mod, screen, stage, *phones], {"segment": segment, "question": qid, "poll": poll_id}


def test_two_events_at_once_share_nothing(server_factory):
    server = server_factory("gevent", env={"FORUM_LIVE_ORGANISER_TOKEN": ORGANISER})
    code, token = _make_event(server.url)
    with clients() as make:
        a_clients, a_ids = _run_show(make, server.url, "ILO22", {"token": TOKEN}, "ALPHA")
        b_clients, _b_ids = _run_show(make, server.url, code, {"event": code, "token": token}, "BRAVO")
        # A's clients again after B's show: A's state did not move.
        state = make(server.url, "/moderator", {"token": TOKEN}).state()
        assert state["run"]["current_segment_id"] == a_ids["segment"]
        assert [q["text"] for q in state["questions"]["items"] if "BRAVO" in q["text"]] == []
        for group, other, other_code in ((a_clients, "BRAVO", code), (b_clients, "ALPHA", "ILO22")):
            for client in group:
                with client.lock:
                    heard = json.dumps(client.events)
                assert other not in heard, (client.namespace, other)
                codes = set(re.findall(r'"code": "([A-Z0-9]{3,12})"', heard))
                assert other_code not in codes, (client.namespace, codes)
    # Each event's console refuses the other's token.
    with pytest.raises(socketio.exceptions.ConnectionError):
        with clients() as make:
            make(server.url, "/moderator", {"event": "ILO22", "token": token})
