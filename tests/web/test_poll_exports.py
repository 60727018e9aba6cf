"""CSV downloads of poll results and anonymous ballots, behind the moderator session."""
import csv
import io

import pytest

from support.server import TOKEN as MODERATOR_TOKEN


@pytest.fixture
def voted(connect):
    """The default event's single-choice poll with three ballots, one by a hostile phone."""
    mod = connect("moderator")
    poll = mod.last("state")["polls"][0]
    mod.call("poll:open", {"poll_id": poll["id"]})
    for choice in (0, 0, 3):
        connect("audience").call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][choice]["id"]})
    word = next(p for p in connect("moderator").last("state")["polls"] if p["kind"] == "wordcloud")
    mod.call("poll:open", {"poll_id": word["id"]})
    connect("audience").call("poll:vote", {"poll_id": word["id"], "value": "=HYPERLINK(\"http://evil\")"})
    return poll, word


def _rows(response):
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("what", ["results", "ballots"])
def test_exports_need_the_moderator_session(client, voted, what):
    assert client.get(f"/moderate/polls/{voted[0]['id']}/{what}.csv").status_code == 403


def test_results_csv_of_a_single_choice_poll(client, voted):
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    response = client.get(f"/moderate/polls/{voted[0]['id']}/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert "attachment" in disposition and "next-theme-results.csv" in disposition
    rows = _rows(response)
    assert rows[3] == ["Just transitions for youth", "2", "67"]
    assert rows[6] == ["Social protection in ASEAN", "1", "33"]
    assert rows[-1] == ["ballots", "3"]


def test_ballots_csv_is_anonymous_and_neutralises_formulas(client, voted):
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    rows = _rows(client.get(f"/moderate/polls/{voted[1]['id']}/ballots.csv"))
    assert rows[0] == ["ballot", "cast_at_utc", "value"]
    assert rows[1][0] == "1" and rows[1][2] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][1].endswith("+00:00")
    single = _rows(client.get(f"/moderate/polls/{voted[0]['id']}/ballots.csv"))
    assert [r[2] for r in single[1:]] == ["Just transitions for youth", "Just transitions for youth",
                                          "Social protection in ASEAN"]


def test_an_unknown_poll_is_404(client):
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    assert client.get("/moderate/polls/999/results.csv").status_code == 404


def test_equal_counts_show_equal_percentages_to_phones_the_projector_the_console_and_in_the_csv(client, connect):
    """One vote each for three options: 33 % each everywhere (the column adds up to 99)."""
    mod = connect("moderator")
    poll = mod.last("state")["polls"][0]
    mod.call("poll:open", {"poll_id": poll["id"]})
    for option in poll["options"][:3]:
        assert connect("audience").call("poll:vote", {"poll_id": poll["id"], "value": option["id"]})["ok"]
    mod.call("poll:close", {"poll_id": poll["id"]})
    mod.call("poll:reveal", {"poll_id": poll["id"], "revealed": True})
    for role in ("audience", "screen", "moderator"):
        shown = next(p for p in connect(role).last("state")["polls"] if p["id"] == poll["id"])
        assert [o["percent"] for o in shown["results"]["options"]][:3] == [33, 33, 33], role
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    rows = _rows(client.get(f"/moderate/polls/{poll['id']}/results.csv"))
    assert [r[2] for r in rows[3:6]] == ["33", "33", "33"]
