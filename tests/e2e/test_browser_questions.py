"""Audience Q&A in real browsers: a phone that goes offline, hostile texts on screen, and the
projector spotlight with long and CJK/Thai/Arabic questions."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import shoot
from support.server import TOKEN, LiveClient

HOSTILE = json.loads((Path(__file__).parents[1] / "data" / "hostile_texts.json").read_text(encoding="utf-8"))


@pytest.fixture
def live_server(generous_live_server):
    """Every page here comes from 127.0.0.1: generous question limits."""
    return generous_live_server


def _console_items(console):
    return console.evaluate("() => window.forumLive.state.questions.items.map(q => [q.text, q.status, q.votes])")


def test_a_phone_offline_asks_and_upvotes_and_exactly_one_copy_and_vote_appear_everywhere(pages):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    phones = [pages.open("/e/ILO22", 360, 740, mobile=True) for _ in range(3)]
    flaky = phones[2]
    phones[0].locator("#ask-text").fill("How do alliances keep going after the funding ends?")
    phones[0].locator("#ask-submit").click()
    console.locator("#mod-q-list li", has_text="alliances keep going").get_by_role("button", name="Approve").click()
    for phone in phones:
        expect(phone.locator("#q-list li", has_text="alliances keep going")).to_be_visible()

    # The Wi-Fi drops: the phone says so, and keeps what is sent in its outbox.
    flaky.context.set_offline(True)
    expect(flaky.locator("body.live-offline")).to_be_attached(timeout=10_000)
    flaky.locator("#ask-text").fill("Asked while offline: will this arrive once?")
    flaky.locator("#ask-submit").click()
    mine = flaky.locator("#mine-list li", has_text="Asked while offline")
    expect(mine.get_by_text("Not sent yet")).to_be_visible()
    card = flaky.locator("#q-list li", has_text="alliances keep going")
    card.get_by_role("button", name=re.compile("Upvote")).click()
    expect(card.get_by_role("button", name=re.compile("Remove your upvote"))).to_be_visible()
    stored = flaky.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('forum-live.outbox'))"
                            ".map(k => JSON.parse(localStorage.getItem(k)).length)")
    assert stored == [2]                                      # the question and the upvote wait on the phone
    flaky.wait_for_timeout(1500)
    assert not any("Asked while offline" in t for t, _, _ in _console_items(console))
    shoot(flaky, "phone-offline-outbox")

    # Back online: the outbox is replayed; the server keeps one copy and one vote.
    flaky.context.set_offline(False)
    expect(mine.get_by_text("Awaiting moderation")).to_be_visible(timeout=15_000)
    item = console.locator("#mod-q-list li", has_text="Asked while offline")
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Approve").click()
    for page in phones:
        expect(page.locator("#q-list li", has_text="Asked while offline")).to_have_count(1)
        seed = page.locator("#q-list li", has_text="alliances keep going")
        expect(seed.locator(".vote-count")).to_have_text("1")
    flaky.wait_for_timeout(1000)                              # any late replay would have landed by now
    items = _console_items(console)
    assert [t for t, _, _ in items].count("Asked while offline: will this arrive once?") == 1
    assert [v for t, _, v in items if t.startswith("How do alliances")] == [1]
    assert flaky.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('forum-live.outbox')).length") == 0
    shoot(flaky, "phone-questions-360")
    # While offline the browser logs each failed reconnection attempt; nothing else may fail.
    errors = [e for e in pages.errors if "ERR_INTERNET_DISCONNECTED" not in e]
    assert pages.foreign_requests() == [] and errors == []


def test_hostile_texts_show_intact_as_text_on_phone_console_and_projector(pages, live_server):
    phone_client = LiveClient(live_server.url, "/audience", {"event": "ILO22"})
    mod = LiveClient(live_server.url, "/moderator", {"token": TOKEN})
    try:
        expected = []
        for n, case in enumerate(c for c in HOSTILE if c["expect"] == "stored"):
            ack = phone_client.call("question:submit", {"client_id": f"hostile-{n:04d}", "text": case["text"]})
            assert ack["ok"], (case["name"], ack)
            assert mod.call("question:moderate", {"question_id": ack["question"]["id"], "action": "approve"})["ok"]
            expected.append(case["stored_as"])
        script = next(c["stored_as"] for c in HOSTILE if c["name"] == "script tag")
    finally:
        phone_client.close()
    dialogs = []
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    expect(phone.locator("#q-list li")).to_have_count(len(expected))
    shown = phone.locator("#q-list .q-text").evaluate_all("els => els.map(e => e.textContent)")
    assert sorted(shown) == sorted(expected)
    assert phone.locator("#q-list script, #q-list img, #q-list svg, #q-list a, #q-list iframe").count() == 0
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    console.get_by_role("tab", name=re.compile("Approved")).click()
    # The console fills its list once its socket has the snapshot: wait for it before reading.
    expect(console.locator("#mod-q-list .mq-text")).to_have_count(len(expected))
    texts = console.locator("#mod-q-list .mq-text").evaluate_all("els => els.map(e => e.textContent)")
    assert sorted(texts) == sorted(expected)
    item = console.locator("#mod-q-list li", has_text="<script>alert('xss')</script>")
    item.get_by_role("button", name="Highlight").click()
    projector = pages.open("/screen", 1920, 1080)
    expect(projector.locator("#question-text")).to_have_text(script)
    assert dialogs == [] and pages.errors == []
    shoot(phone, "phone-hostile-texts")


SPOTLIGHT = {
    "500": ("Why " + " ".join(["does the South-South cooperation network reach the youth in fragile states"] * 7))[:500],
    "chinese": "南南合作如何帮助东盟国家的青年获得体面工作？中国和东盟在技能发展网络中的经验有哪些可以推广到其他发展中国家？"
               "请刘先生具体谈谈项目的资金来源、合作伙伴以及未来五年的计划。",
    "thai": "ความร่วมมือใต้-ใต้ช่วยให้เยาวชนในประเทศอาเซียนได้งานที่มีคุณค่าได้อย่างไร และประสบการณ์ของมหาวิทยาลัยมหิดล"
            "ในการส่งเสริมการคุ้มครองทางสังคมสามารถนำไปใช้ในประเทศอื่นได้หรือไม่",
    "arabic": "كيف يمكن للتعاون بين بلدان الجنوب أن يساعد الشباب في الدول الهشة على إيجاد عمل لائق؟ وما هي الدروس المستفادة "
              "من تجربة مجموعة السبع زائد التي يمكن تطبيقها في منطقة الشرق الأوسط وشمال أفريقيا؟",
}


@pytest.mark.parametrize("kind", SPOTLIGHT)
def test_projector_spotlight_fits_long_and_cjk_thai_arabic_questions(pages, live_server, kind):
    phone_client = LiveClient(live_server.url, "/audience", {"event": "ILO22"})
    mod = LiveClient(live_server.url, "/moderator", {"token": TOKEN})
    try:
        panelist = mod.state()["event"]["panelists"][2]
        ack = phone_client.call("question:submit", {"client_id": f"spot-{kind}-0001", "text": SPOTLIGHT[kind],
                                                    "name": "Somchai P.", "panelist_id": panelist["id"]})
        qid = ack["question"]["id"]
        assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        assert phone_client.call("question:upvote", {"question_id": qid, "on": True})["ok"]
        assert mod.call("question:highlight", {"question_id": qid})["ok"]
    finally:
        phone_client.close()
        mod.close()
    projector = pages.open("/screen", 1920, 1080)
    text = projector.locator("#question-text")
    expect(text).to_have_text(SPOTLIGHT[kind].strip())
    expect(projector.get_by_text("Somchai P.")).to_be_visible()
    expect(projector.get_by_text(re.compile(f"to {panelist['name']}"))).to_be_visible()
    expect(projector.get_by_text("▲ 1 vote")).to_be_visible()
    projector.wait_for_timeout(600)                           # the fit runs on the next animation frames
    fit = projector.evaluate("""() => {
      const el = document.querySelector('#question-text'), box = el.parentElement;
      const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
      const meta = document.querySelector('.question-meta').getBoundingClientRect();
      return {fits: el.scrollHeight <= box.clientHeight + 1 && el.scrollWidth <= box.clientWidth + 1,
              inside: r.top >= b.top - 1 && r.bottom <= b.bottom + 1, metaOnScreen: meta.bottom <= innerHeight,
              fontPx: parseFloat(getComputedStyle(el).fontSize)};
    }""")
    assert fit["fits"] and fit["inside"] and fit["metaOnScreen"], fit
    assert fit["fontPx"] >= 30, fit                           # still readable from the back of the room
    shoot(projector, f"projector-spotlight-{kind}")
    assert pages.errors == []
