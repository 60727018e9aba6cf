"""The audience summary: summary:publish (moderator, audited), summary_url on every client,
and the public page /e/<code>/summary (a friendly 404 until published)."""
import io
from datetime import UTC, datetime

import pytest
import segno

from forum_live.extensions import db_session
from forum_live.persistence.models import Takeaway
from forum_live.services.events import get_event

SUMMARY = "http://192.0.2.10:5000/e/ILO22/summary"


def test_publishing_sends_summary_url_to_every_client_and_is_audited(connect):
    phone, projector, mod = connect("audience"), connect("screen"), connect("moderator")
    assert phone.last("state")["summary_url"] is None and mod.last("state")["summary_url"] is None
    ack = mod.call("summary:publish", {"published": True})
    assert ack == {"ok": True}
    assert phone.last("summary_url") == projector.last("summary_url") == mod.last("summary_url") == SUMMARY
    assert connect("audience").last("state")["summary_url"] == SUMMARY
    entry = mod.last("audit")["entries"][0]
    assert (entry["name"], entry["summary"]) == ("summary:publish", "Published the audience summary")
    assert mod.call("summary:publish", {"published": False})["ok"]
    assert phone.last("summary_url") is None
    assert mod.last("audit")["entries"][0]["summary"] == "Withdrew the audience summary"


@pytest.mark.parametrize("payload", [{}, {"published": "yes"}, {"published": 1}, {"published": True, "url": "x"}, None])
def test_a_bad_publish_payload_is_refused_and_changes_nothing(connect, payload):
    mod = connect("moderator")
    version = mod.last("state")["audit"]["version"]
    ack = mod.call("summary:publish", payload)
    assert ack["ok"] is False and ack["code"] == "invalid_payload" and ack["message"]
    state = connect("moderator").last("state")
    assert state["summary_url"] is None and state["audit"]["version"] == version


def test_a_phone_cannot_publish(connect):
    phone = connect("audience")
    assert phone.call("summary:publish", {"published": True})["code"] == "forbidden"
    assert connect("audience").last("state")["summary_url"] is None


def test_the_summary_page_is_a_friendly_404_until_published(client, connect):
    response = client.get("/e/ILO22/summary")
    assert response.status_code == 404
    assert b"not published yet" in response.data and b"/e/ILO22" in response.data
    assert client.get("/e/NOPE/summary").status_code == 404
    connect("moderator").call("summary:publish", {"published": True})
    assert client.get("/e/ILO22/summary").status_code == 200
    assert client.get("/e/ilo22/summary").status_code == 302  # the code's own spelling


def test_the_summary_qr_code_is_there_only_while_published(client, connect):
    assert client.get("/e/ILO22/summary/qr.svg").status_code == 404
    assert client.get("/e/NOPE/summary/qr.svg").status_code == 404
    mod = connect("moderator")
    mod.call("summary:publish", {"published": True})
    response = client.get("/e/ILO22/summary/qr.svg")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<svg") and b"<path" in response.data
    expected = io.BytesIO()  # the QR of the summary's own address (not the join address)
    segno.make(SUMMARY, error="m").save(expected, kind="svg", scale=10, border=2, dark="#000", light="#fff",
                                        xmldecl=False)
    assert response.data == expected.getvalue()
    mod.call("summary:publish", {"published": False})
    assert client.get("/e/ILO22/summary/qr.svg").status_code == 404


def test_the_summary_shows_answered_questions_revealed_polls_and_chosen_takeaways_only(app, client, connect):
    mod, phone = connect("moderator"), connect("audience")
    asked = [phone.call("question:submit", {"client_id": f"client-{n:04d}", "text": text, "name": name})["question"]["id"]
             for n, (text, name) in enumerate([("<script>alert(1)</script> answered?", "<i>Ana</i>"),
                                               ("Approved but never answered?", None),
                                               ("Still pending here?", None)])]
    for qid in asked[:2]:
        mod.call("question:moderate", {"question_id": qid, "action": "approve"})
    mod.call("question:moderate", {"question_id": asked[0], "action": "answer"})
    state = mod.last("state")
    single, rating = state["polls"][0], state["polls"][1]
    for poll in (single, rating):
        mod.call("poll:open", {"poll_id": poll["id"]})
        phone.call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][0]["id"] if poll is single else 4})
        mod.call("poll:close", {"poll_id": poll["id"]})
    mod.call("poll:reveal", {"poll_id": single["id"], "revealed": True})
    with app.app_context(), db_session() as s:
        event = get_event(s, "ILO22")
        for text, chosen in [("Peers <b>own</b> the agenda", True), ("Not for the audience", False)]:
            s.add(Takeaway(event_id=event.id, text=text, for_summary=chosen, author="Rapporteur",
                           created_at=datetime.now(UTC)))
        s.commit()
    mod.call("summary:publish", {"published": True})
    page = client.get("/e/ILO22/summary").data.decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; answered?" in page and "<script>alert" not in page
    assert "&lt;i&gt;Ana&lt;/i&gt;" in page
    assert "Approved but never answered?" not in page and "Still pending here?" not in page
    assert single["title"] in page and rating["title"] not in page  # hidden results stay hidden
    assert "Peers &lt;b&gt;own&lt;/b&gt; the agenda" in page and "Not for the audience" not in page
    assert 'name="viewport"' in page
