"""Accessibility in real browsers (WCAG 2.2 AA, issue 15): axe-core on every page in its main states
with no serious or critical violation; a phone that asks, upvotes and votes with the keyboard alone;
what matters announced in a live region; the vendored fonts drawing a Thai question on the projector."""
import re

import pytest
from playwright.sync_api import expect

from a11y import axe_violations, describe
from forum_live.identity import stage_key, view_key
from support.server import SECRET, TOKEN, clients

PHONE = dict(width=360, height=740, mobile=True)


def _online(page):
    expect(page.locator("body.live-online")).to_be_attached(timeout=15_000)


def _clean(page, state: str):
    """No serious or critical WCAG 2.x A/AA violation on ``page`` in ``state``."""
    found = axe_violations(page)
    assert found == [], f"{state}:\n{describe(found)}"


def _ask(url, text):
    """A question from a fresh phone (python-socketio), approved by the moderator; its id."""
    with clients() as make:
        phone = make(url, "/audience", {"event": "ILO22"})
        ack = phone.call("question:submit", {"client_id": f"c-{abs(hash(text))}", "text": text})
        assert ack["ok"], ack
        qid = ack["question"]["id"]
        mod = make(url, "/moderator", {"token": TOKEN})
        if ack["question"]["status"] == "pending":
            assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        return qid


def _moderator(url, *calls):
    """Run moderator events in order; each must be acked ok. Returns the acks."""
    acks = []
    with clients() as make:
        mod = make(url, "/moderator", {"token": TOKEN})
        for event, payload in calls:
            ack = mod.call(event, payload)
            assert ack["ok"], (event, ack)
            acks.append(ack)
    return acks


def _poll(url):
    with clients() as make:
        return make(url, "/moderator", {"token": TOKEN}).state()["polls"][0]


def test_the_phone_has_no_serious_violation_joined_asking_voting_results_and_offline(pages, live_server):
    join = pages.open("/", **PHONE)
    _clean(join, "join page")
    join.locator("input").first.fill("NOPE1")
    join.keyboard.press("Enter")
    expect(join.locator("#code-error")).to_be_visible()
    _clean(join, "join page with an unknown code")

    url = live_server.url
    _ask(url, "How do fragile states share what works?")
    phone = pages.open("/e/ILO22", **PHONE)
    _online(phone)
    expect(phone.locator("#q-list li").first).to_be_visible()
    _clean(phone, "phone with questions")
    phone.locator("#ask-text").fill("What does a first alliance need?")
    _clean(phone, "phone typing a question")

    poll = _poll(url)
    _moderator(url, ("poll:open", {"poll_id": poll["id"]}))
    card = phone.locator(f'.poll-card[data-poll-id="{poll["id"]}"]')
    expect(card.locator(".poll-status")).to_have_text("Open")
    _clean(phone, "phone with an open poll")
    _moderator(url, ("poll:close", {"poll_id": poll["id"]}), ("poll:reveal", {"poll_id": poll["id"]}))
    expect(card.locator(".poll-results .bar-row").first).to_be_visible()
    _clean(phone, "phone with poll results")

    phone.context.set_offline(True)
    expect(phone.locator("body.live-offline")).to_be_attached(timeout=15_000)
    expect(phone.locator(".live-banner")).to_be_visible(timeout=10_000)
    _clean(phone, "phone offline")
    phone.context.set_offline(False)
    _online(phone)
    assert [e for e in pages.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_the_console_has_no_serious_violation_with_questions_and_an_open_poll(pages, live_server):
    url = live_server.url
    _ask(url, "Which ingredient brought the first results?")
    with clients() as make:
        make(url, "/audience", {"event": "ILO22"}).call("question:submit", {"client_id": "c-pending", "text": "Pending one?"})
    _moderator(url, ("poll:open", {"poll_id": _poll(url)["id"]}))
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    _online(console)
    expect(console.locator("#mod-polls > li").first).to_be_visible()
    _clean(console, "console")
    console.keyboard.press("?")
    _clean(console, "console with the shortcuts")
    assert pages.errors == []


@pytest.mark.parametrize("scene", ["timer", "prompt", "question", "poll", "join", "holding", "blackout"])
def test_the_projector_has_no_serious_violation_in_each_scene(pages, live_server, scene):
    url = live_server.url
    qid = _ask(url, "Can a South-South alliance outlive its funding?")
    poll = _poll(url)
    calls = [("timer:start", {})]
    if scene == "question":
        calls.append(("question:highlight", {"question_id": qid}))
    elif scene == "prompt":
        with clients() as make:
            kq = make(url, "/moderator", {"token": TOKEN}).state()["event"]["key_questions"][0]
        calls.append(("prompt:show", {"prompt_id": kq["prompts"][0]["id"]}))
    elif scene == "poll":
        calls += [("poll:open", {"poll_id": poll["id"]}), ("poll:show", {"poll_id": poll["id"]})]
    else:
        calls.append(("scene:set", {"scene": scene}))
    _moderator(url, *calls)
    projector = pages.open("/screen", 1920, 1080)
    _online(projector)
    expect(projector.locator("#screen")).to_have_attribute("data-scene", scene, timeout=10_000)
    _clean(projector, f"projector, scene {scene}")
    assert pages.errors == []


def test_stage_rapporteur_report_and_summary_have_no_serious_violation(pages, live_server):
    url = live_server.url
    _ask(url, "How is airtime shared?")
    _moderator(url, ("timer:start", {}), ("stage:message", {"text": "1 minute"}),
               ("takeaway:add", {"client_id": "takeaway-1", "text": "Alliances need a shared budget line."}))
    stage = pages.open(f"/stage?key={stage_key(SECRET, 'ILO22')}", 1920, 1080)
    _online(stage)
    _clean(stage, "stage view with a message")
    rapporteur = pages.open(f"/rapporteur?key={view_key(SECRET, 'ILO22', 'rapporteur')}", 1280, 800)
    _online(rapporteur)
    _clean(rapporteur, "rapporteur")
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)  # signs this browser context in
    _online(console)
    report = console.context.new_page()
    report.goto(url + "/moderate/report")
    expect(report.locator("h1").first).to_be_visible()
    _clean(report, "report (draft)")
    _moderator(url, ("summary:publish", {"published": True}))
    summary = pages.open("/e/ILO22/summary", **PHONE)
    expect(summary.locator("h1").first).to_be_visible()
    _clean(summary, "audience summary")
    console.close()
    assert pages.errors == []
