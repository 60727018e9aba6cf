"""What phones and the stage view got wrong in a full show, in real browsers: a vote cast
offline says it waits and is confirmed once acked; a refused word-cloud answer says why, next to
its box; the ask form forgets "To" and "Theme" after sending; the stage view shows the audience
question on the projector; the "Top" list converges to the true order without moving under a
finger; and the phone's order rule is the domain's."""
import re

import pytest
from playwright.sync_api import expect

from conftest import shoot
from forum_live.identity import stage_key
from support.server import SECRET, TOKEN, clients


@pytest.fixture
def live_server(generous_live_server):
    """Every page here comes from 127.0.0.1: generous question limits."""
    return generous_live_server


def _online(page):
    expect(page.locator(".live-indicator[data-status=online]")).to_be_visible(timeout=10_000)


def _poll(mod, kind):
    """The default event's draft poll of ``kind``, opened."""
    poll = next(p for p in mod.state()["polls"] if p["kind"] == kind)
    assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    return poll


def _ballots(make, url, poll_id):
    """The poll's ballot count in a fresh moderator snapshot (the server's truth)."""
    state = make(url, "/moderator", {"token": TOKEN}).state()
    return next(p for p in state["polls"] if p["id"] == poll_id)["ballots"]


# ---- 5: a vote cast offline ------------------------------------------------------------------

def test_a_vote_cast_offline_says_it_waits_and_is_confirmed_once_the_server_acks_it(pages, live_server):
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    _online(phone)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        poll = _poll(mod, "single")
        card = phone.locator(".poll-card", has_text=poll["title"])
        choice = card.get_by_role("button", name=poll["options"][4]["label"])
        expect(choice).to_be_enabled()

        phone.context.set_offline(True)
        expect(phone.locator("body.live-offline")).to_be_attached(timeout=10_000)
        choice.click()
        hint = card.locator(".poll-hint")
        expect(hint).to_contain_text("Not sent yet")
        expect(hint).not_to_contain_text("received")
        expect(choice).to_have_attribute("aria-pressed", "true")      # the wish is shown as the pick
        assert _ballots(make, live_server.url, poll["id"]) == 0        # and nothing reached the server
        shoot(phone, "phone-poll-vote-offline")

        phone.context.set_offline(False)
        expect(hint).to_contain_text("Vote received", timeout=15_000)
        assert _ballots(make, live_server.url, poll["id"]) == 1
        mine = phone.evaluate("(id) => window.forumLive.state.mine.ballots[String(id)]", poll["id"])
        assert mine == poll["options"][4]["id"]
    errors = [e for e in pages.errors if "ERR_INTERNET_DISCONNECTED" not in e]
    assert errors == []


# ---- 6: a refused word-cloud answer ----------------------------------------------------------

@pytest.mark.parametrize(("answer", "reason"), [
    ("decent work for all", "Too many words: that is 4"),
    ("shit", "Not allowed in the word cloud"),
])
def test_a_refused_word_cloud_answer_says_why_next_to_its_box_and_keeps_the_text(pages, live_server, answer, reason):
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    _online(phone)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        poll = _poll(mod, "wordcloud")
        card = phone.locator(".poll-card", has_text=poll["title"])
        box = card.get_by_role("textbox")
        box.fill(answer)
        card.get_by_role("button", name="Send").click()
        expect(card.get_by_role("alert")).to_contain_text(reason)
        expect(box).to_have_value(answer)
        expect(box).to_have_attribute("aria-invalid", "true")
        shoot(phone, f"phone-wordcloud-refused-{len(answer)}")
        assert _ballots(make, live_server.url, poll["id"]) == 0

        # Editing the answer takes the reason away; a good answer is taken.
        box.fill("Solidarity")
        expect(card.get_by_role("alert")).to_have_count(0)
        card.get_by_role("button", name="Send").click()
        expect(card.locator(".poll-hint")).to_contain_text("Your answer: “Solidarity”")
        expect(box).not_to_have_attribute("aria-invalid", "true")
        assert _ballots(make, live_server.url, poll["id"]) == 1
    assert pages.errors == []


# ---- 9: the ask form after sending -----------------------------------------------------------

def test_after_sending_a_question_the_form_goes_back_to_all_panelists_and_no_theme(pages, live_server):
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    _online(phone)
    expect(phone.locator("#ask-to option")).to_have_count(6)           # all panelists + five
    phone.locator("#ask-name").fill("Somchai P.")
    phone.locator("#ask-text").fill("How will a2i share its network with ASEAN ministries?")
    phone.locator("#ask-to").select_option(label="Mr Anir Chowdhury")
    phone.locator("#ask-theme").select_option(index=2)
    phone.locator("#ask-submit").click()
    expect(phone.locator("#ask-ok")).to_be_visible()
    expect(phone.locator("#ask-to")).to_have_value("")
    expect(phone.locator("#ask-theme")).to_have_value("")
    expect(phone.locator("#ask-name")).to_have_value("Somchai P.")   # the name is the person's: kept
    phone.locator("#ask-text").fill("And what does the g7+ expect from the next alliance?")
    phone.locator("#ask-submit").click()
    expect(phone.locator("#mine-list li")).to_have_count(2)
    expect(phone.locator("#mine-list .status-pill", has_text="Awaiting moderation")).to_have_count(2)
    with clients() as make:
        state = make(live_server.url, "/moderator", {"token": TOKEN}).state()
    sent = {q["text"]: (q["panelist_id"], q["theme"]) for q in state["questions"]["items"]}
    chowdhury = next(p["id"] for p in state["event"]["panelists"] if p["name"] == "Mr Anir Chowdhury")
    assert sent["How will a2i share its network with ASEAN ministries?"] == (chowdhury, state["event"]["themes"][1])
    assert sent["And what does the g7+ expect from the next alliance?"] == (None, None)
    assert pages.errors == []


# ---- 10: the stage view shows the audience question on the projector ---------------------------

LONG_QUESTION = ("Mr da Costa, " + " ".join(
    ["how can fragile-to-fragile cooperation keep young people in decent jobs after the donors leave"] * 6))[:500]

FITS = """() => {
  const q = document.querySelector('#sg-question'), t = document.querySelector('#sg-question-text');
  const clock = document.querySelector('#sg-clock').getBoundingClientRect();
  const cards = document.querySelector('.sg-cards').getBoundingClientRect();
  const r = q.getBoundingClientRect();
  return {textFits: t.scrollHeight <= t.clientHeight + 1 && t.scrollWidth <= t.clientWidth + 1,
          onScreen: r.top >= 0 && r.bottom <= innerHeight && cards.bottom <= innerHeight + 1,
          clockClear: (clock.right <= r.left + 1 || clock.bottom <= r.top + 1) && clock.top >= 0 && clock.left >= 0,
          fontPx: parseFloat(getComputedStyle(t).fontSize), vh: innerHeight};
}"""


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_the_stage_view_shows_the_audience_question_while_the_projector_shows_it(pages, live_server, width, height):
    stage = pages.open(f"/stage?key={stage_key(SECRET, 'ILO22')}", width, height)
    projector = pages.open("/screen", 1920, 1080)
    _online(stage)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        phone = make(live_server.url, "/audience", {"event": "ILO22"})
        state = mod.state()
        da_costa = state["event"]["panelists"][0]
        qid = phone.call("question:submit", {"client_id": f"stage-{width}-0001", "text": LONG_QUESTION,
                                             "name": "Ana M.", "panelist_id": da_costa["id"]})["question"]["id"]
        assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        assert mod.call("timer:start")["ok"]
        question = stage.locator("#sg-question")
        expect(question).to_be_hidden()                                # approved is not on the projector

        assert mod.call("question:highlight", {"question_id": qid})["ok"]
        expect(projector.locator("#question-text")).to_have_text(LONG_QUESTION)
        expect(question).to_be_visible()
        expect(stage.locator("#sg-question-text")).to_have_text(LONG_QUESTION)
        expect(stage.locator("#sg-question-h")).to_have_text(f"Audience question to {da_costa['name']}")
        expect(stage.locator("#sg-question-name")).to_have_text("Ana M.")
        assert mod.call("stage:message", {"preset": "take-question"})["ok"]
        expect(stage.locator("#sg-message")).to_be_visible()
        stage.wait_for_timeout(400)                                    # the fit runs on the next frames
        shoot(stage, f"stage-{width}-audience-question")
        fits = stage.evaluate(FITS)
        assert fits["textFits"] and fits["onScreen"] and fits["clockClear"], fits
        assert fits["fontPx"] >= fits["vh"] * 0.025, fits                # readable from 5 m

        # The projector goes back to the timer, or blacks out: the stage view follows.
        assert mod.call("scene:set", {"scene": "timer"})["ok"]
        expect(question).to_be_hidden()
        assert mod.call("scene:set", {"scene": "question"})["ok"]
        expect(question).to_be_visible()
        assert mod.call("scene:set", {"scene": "blackout"})["ok"]
        expect(question).to_be_hidden()
    assert pages.errors == []


# ---- 11: the "Top" list converges to the true order ------------------------------------------

def _shown(page):
    return page.locator("#q-list .q-text").all_inner_texts()


def _true_top(make, url):
    state = make(url, "/audience", {"event": "ILO22"}).state()
    return [q["text"] for q in state["questions"]["items"] if q["status"] in ("approved", "answered")]


def _tops(page):
    return page.locator("#q-list li").evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))")


def _touch(page, cdp, kind):
    """A real touch (CDP input) on the text of the list's last question: nothing to press there."""
    points = []
    if kind == "touchStart":
        box = page.locator("#q-list .q-text").last.bounding_box()
        points = [{"x": box["x"] + 20, "y": box["y"] + box["height"] / 2}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_the_top_list_converges_to_the_true_order_without_moving_under_a_finger(pages, live_server):
    texts = ["Which alliance worked best for youth jobs in fragile states?",
             "How does a2i measure the reach of its innovation network?",
             "What will the ILO-China project fund in the next five years?"]
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        asker = make(live_server.url, "/audience", {"event": "ILO22"})
        ids = []
        for n, text in enumerate(texts):
            qid = asker.call("question:submit", {"client_id": f"top-{n:04d}", "text": text})["question"]["id"]
            assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
            ids.append(qid)
        assert asker.call("question:upvote", {"question_id": ids[0], "on": True})["ok"]

        reader = pages.open("/e/ILO22", 360, 740, mobile=True)
        other = pages.open("/e/ILO22", 360, 740, mobile=True)
        for page in (reader, other):
            _online(page)
            expect(page.locator("#q-list li")).to_have_count(3)
        reader.locator("#q-list").scroll_into_view_if_needed()
        assert _shown(reader) == texts                                 # 1, 0, 0 votes
        cdp = reader.context.new_cdp_session(reader)

        # A finger on the list: question 2 gets two upvotes (the other phone, another device).
        _touch(reader, cdp, "touchStart")
        tops = _tops(reader)
        other.locator("#q-list li", has_text=texts[1]).get_by_role("button", name=re.compile("Upvote")).click()
        assert make(live_server.url, "/audience", {"event": "ILO22"}).call(
            "question:upvote", {"question_id": ids[1], "on": True})["ok"]
        truth = [texts[1], texts[0], texts[2]]
        assert _true_top(make, live_server.url) == truth
        pill = reader.locator("#new-pill")
        expect(pill).to_be_visible()
        expect(pill).to_have_text(re.compile("re-sort", re.I))
        expect(reader.locator("#q-list li", has_text=texts[1]).locator(".vote-count")).to_have_text("2")
        assert _shown(reader) == texts                                 # nothing moved under the finger,
        assert _tops(reader) == tops                                   # not even by the pill's height
        shoot(reader, "phone-top-resort-pill")

        # The finger lifts: at rest the list takes the true order by itself.
        _touch(reader, cdp, "touchEnd")
        expect(reader.locator("#q-list .q-text").first).to_have_text(texts[1], timeout=10_000)
        assert _shown(reader) == truth
        expect(pill).to_be_hidden()

        # Again under a finger, and this time a tap on the pill re-sorts at once.
        _touch(reader, cdp, "touchStart")
        for _ in range(3):
            assert make(live_server.url, "/audience", {"event": "ILO22"}).call(
                "question:upvote", {"question_id": ids[2], "on": True})["ok"]
        expect(reader.locator("#q-list li", has_text=texts[2]).locator(".vote-count")).to_have_text("3")
        expect(pill).to_be_visible()
        assert _shown(reader) == truth
        _touch(reader, cdp, "touchEnd")
        pill.click()
        assert _shown(reader) == [texts[2], texts[1], texts[0]] == _true_top(make, live_server.url)
    assert pages.errors == []



# ---- the stage view after the end of the show -------------------------------------------------

def test_the_stage_view_shows_no_empty_next_card_once_the_show_has_ended(pages, live_server):
    stage = pages.open(f"/stage?key={stage_key(SECRET, 'ILO22')}", 1920, 1080)
    _online(stage)
    nxt = stage.locator(".sg-next")
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        segments = mod.state()["run"]["segments"]
        assert mod.call("timer:goto", {"segment_id": segments[-1]["id"]})["ok"]
        expect(nxt).to_be_visible()                                    # the last segment: "End of the session"
        expect(stage.locator("#sg-next-title")).to_have_text("End of the session")
        assert mod.call("timer:next")["ok"]                            # ends the show
        expect(nxt).to_be_hidden()                                     # no "Next –" card after the end
        assert mod.call("timer:previous")["ok"]                        # reopens the last segment
        expect(nxt).to_be_visible()
    assert pages.errors == []
