"""Phones in their own language, in a real browser: Thai from Accept-Language (the page, the
scripts' strings and a server refusal), Arabic right to left with a mixed Arabic-English question
in its order, a Chinese phone that votes and sees the results, and the switcher that changes the
language and keeps it across a reload; the projector and stage view in the event's screen language."""
import re

from playwright.sync_api import expect

from conftest import Pages, shoot
from forum_live.identity import stage_key
from support.server import ROOT, SECRET, TOKEN, Server, clients


def _online(page):
    expect(page.locator(".live-indicator")).to_have_attribute("data-status", "online")


def test_a_thai_phone_sees_thai_pages_scripts_and_server_refusals(pages):
    phone = pages.open("/e/ILO22", 390, 844, mobile=True, locale="th-TH")
    _online(phone)
    assert phone.evaluate("document.documentElement.lang") == "th"
    expect(phone.locator("#ask-heading")).to_have_text("ถามคำถาม")            # template (gettext)
    expect(phone.locator(".live-label")).to_have_text("ออนไลน์")              # script (i18n.js)
    expect(phone.locator("#now-heading")).not_to_have_text("Coming up")
    phone.locator("#ask-text").fill("ab")
    phone.locator("#ask-submit").click()
    expect(phone.locator("#ask-error")).to_have_text("คำถามสั้นเกินไป (อย่างน้อย 3 ตัวอักษร)")
    # A refusal from the server comes in the phone's language (translated at the edge).
    message = phone.evaluate("""async () => {
      try { await window.forumLive.emit("poll:vote", {poll_id: 987654, value: 1}); return "accepted"; }
      catch (err) { return err.message; }
    }""")
    assert message == "ไม่มีโพลหมายเลข 987654"
    assert not pages.errors, pages.errors
    shoot(phone, "phone-thai")


def test_an_arabic_phone_is_right_to_left_and_a_mixed_question_keeps_its_order(pages, live_server):
    phone = pages.open("/e/ILO22", 390, 844, mobile=True, locale="ar-EG")
    _online(phone)
    assert phone.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    expect(phone.locator("#ask-heading")).to_have_text("اطرح سؤالًا")
    # Logical CSS: the phase stripe of the "Now" card is at the start of the line, on the right.
    assert phone.evaluate("getComputedStyle(document.querySelector('#now')).borderRightWidth") == "6px"
    assert phone.evaluate("getComputedStyle(document.querySelector('#now')).borderLeftWidth") != "6px"
    text = "ما هو دور ILO في Alliance 8.7 بعد COVID-19؟"
    phone.locator("#ask-text").fill(text)
    phone.locator("#ask-name").fill("Helder (g7+)")
    phone.locator("#ask-submit").click()
    expect(phone.locator("#ask-ok")).to_contain_text("أُرسل")
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        pending = [q for q in mod.state()["questions"]["items"] if q["text"] == text]
        assert pending, "the question reached the moderation queue"
        assert mod.call("question:moderate", {"question_id": pending[0]["id"], "action": "approve"})["ok"]
    item = phone.locator("#q-list .q", has_text="ILO")
    expect(item).to_be_visible()
    # The question is its own bidi paragraph (dir=auto): Arabic first, so right to left, and
    # the English words and numbers inside stay in the written order.
    q_text = item.locator(".q-text")
    expect(q_text).to_have_text(text)
    assert q_text.evaluate("(el) => [el.getAttribute('dir'), getComputedStyle(el).direction]") == ["auto", "rtl"]
    # The name is isolated (dir=auto: unicode-bidi isolate), so "(g7+)" keeps its brackets in place.
    name = item.locator(".q-name")
    expect(name).to_have_text("Helder (g7+)")
    assert name.evaluate("(el) => [getComputedStyle(el).unicodeBidi, getComputedStyle(el).direction]") == [
        "isolate", "ltr"]
    # The vote button sits at the end of the row: on the left in a right-to-left page.
    box_q = item.locator(".q-body").bounding_box()
    box_vote = item.locator(".vote").bounding_box()
    assert box_vote["x"] + box_vote["width"] <= box_q["x"] + 1
    assert not pages.errors, pages.errors
    shoot(phone, "phone-arabic")


def test_a_chinese_phone_votes_and_sees_the_results(pages, live_server):
    phone = pages.open("/e/ILO22", 390, 844, mobile=True, locale="zh-CN")
    _online(phone)
    assert phone.evaluate("document.documentElement.lang") == "zh-Hans"
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        mod.state()
        created = mod.call("poll:create", {"kind": "single", "title": "下一个南南联盟应优先考虑哪个主题？",
                                           "options": ["青年公正转型", "技能发展"]})
        assert created["ok"], created
        poll_id = created["poll_id"]
        assert mod.call("poll:open", {"poll_id": poll_id})["ok"]
        card = phone.locator(f'#polls .poll-card[data-poll-id="{poll_id}"]')
        expect(card.locator(".poll-kicker")).to_have_text("投票：立即参与")
        card.get_by_role("button", name="技能发展").click()
        expect(card.locator(".poll-hint")).to_have_text("已收到投票。投票开放期间可以修改。")
        expect(card.locator(".results-none")).to_have_text("目前有 1 份回答。主持人公布后才显示结果。")
        assert mod.call("poll:close", {"poll_id": poll_id})["ok"]
        expect(card.locator(".poll-status")).to_have_text("投票已结束")
        assert mod.call("poll:reveal", {"poll_id": poll_id, "revealed": True})["ok"]
    expect(card.locator(".poll-kicker")).to_have_text("投票结果")
    mine = card.locator(".bar-row.is-mine")
    expect(mine.locator(".bar-label")).to_have_text("技能发展")
    expect(mine.locator(".bar-label")).to_have_attribute("data-mine-label", "您的选择")  # " · your vote" (CSS)
    expect(mine.locator(".bar-count")).to_have_text("1 票")
    expect(card.locator(".results-total")).to_have_text("1 份回答")
    assert not pages.errors, pages.errors
    shoot(phone, "phone-chinese-results")


def test_the_switcher_changes_the_language_and_keeps_it_after_a_reload(pages):
    phone = pages.open("/e/ILO22", 390, 844, mobile=True, locale="en-GB")
    _online(phone)
    expect(phone.locator("#ask-heading")).to_have_text("Ask a question")
    assert phone.locator(".lang-go").is_hidden()  # the script sends the choice at once
    draft = "ทำอย่างไรให้พันธมิตรอยู่ได้หลังทุนหมด"                 # half typed, not sent
    phone.locator("#ask-text").press_sequentially(draft)
    phone.locator("#lang-select").select_option("fr")
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    expect(phone.locator("#ask-heading")).to_have_text("Poser une question")
    expect(phone.locator("#ask-text")).to_have_value(draft)  # the switch (a page load) keeps it
    _online(phone)
    expect(phone.locator(".live-label")).to_have_text("En direct")
    phone.goto(re.sub(r"\?.*$", "", phone.url))  # the plain address again: the choice is remembered
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    expect(phone.locator("#ask-submit")).to_have_text("Envoyer la question")
    phone.reload()
    expect(phone.locator("#lang-select")).to_have_value("fr")
    phone.goto(phone.url.split("/e/")[0] + "/")  # the join page too
    expect(phone.locator(".join-title")).to_have_text("Rejoindre une session")
    assert not pages.errors, pages.errors


def test_the_projector_and_stage_view_speak_the_event_s_screen_language(browser, tmp_path):
    source = (ROOT / "src" / "forum_live" / "events" / "ilo-solution-forum-2022.toml").read_text("utf-8")
    event = tmp_path / "event-fr.toml"
    event.write_text(source.replace("[event]\n", '[event]\nscreen_language = "fr"\n', 1), "utf-8")
    server = Server(tmp_path, "gevent", args=("--event", str(event))).start()
    pages = Pages(browser, server)
    try:
        projector = pages.open("/screen", 1920, 1080, locale="en-GB")  # the browser's language does not count
        stage = pages.open(f"/stage?key={stage_key(SECRET, 'ILO22')}", 1280, 720)
        for page in (projector, stage):
            expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(projector.locator("#idle-kicker")).to_have_text(re.compile(r"^(Début à \d\d:\d\d|Début imminent)$"))
        expect(stage.locator("#sg-phase-label")).to_have_text("Pas commencé")
        with clients() as make:
            mod = make(server.url, "/moderator", {"token": TOKEN})
            phone = make(server.url, "/audience", {"event": "ILO22"})
            ack = phone.call("question:submit", {"client_id": "client-fr-0001",
                                                 "text": "Comment financer les alliances Sud-Sud ?"})
            assert ack["ok"], ack
            qid = ack["question"]["id"]
            assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
            assert mod.call("question:highlight", {"question_id": qid})["ok"]
        expect(projector.locator("#question-kicker")).to_have_text("Question du public")
        expect(projector.locator("#question-votes")).to_have_text("▲ 0 vote")
        expect(stage.locator("#sg-question-h")).to_have_text("Question du public")
        assert not pages.errors, pages.errors
        shoot(projector, "projector-french-question")
    finally:
        pages.close()
        server.stop()


FACES = """() => [...document.fonts].filter((f) => /Thai|SC|Arabic/.test(f.family))
  .map((f) => `${f.family} ${f.unicodeRange.slice(0, 12)}: ${f.status}`)"""


def test_the_switcher_names_use_the_vendored_faces_fetched_only_when_the_list_is_reached(pages):
    phone = pages.open("/e/ILO22", 1280, 800, locale="en-GB")  # a laptop: Chromium draws the list itself
    _online(phone)
    select = phone.locator("#lang-select")
    phone.evaluate("document.fonts.ready")
    # Untouched, the list uses the device's fonts: no Thai, Arabic or Chinese face is fetched.
    assert not [u for u in pages.requests if re.search(r"noto-sans-(thai|sc|arabic)", u)]
    assert all(f.endswith("unloaded") for f in phone.evaluate(FACES))
    # The pointer comes to it: the names switch to the vendored faces, which load before it opens.
    select.hover()
    family = select.evaluate("(el) => getComputedStyle(el.querySelector('option[value=th]')).fontFamily")
    assert "Noto Sans Thai" in family and "Noto Sans SC" in family, family
    expect(select).to_have_class(re.compile("is-vendored"))
    phone.wait_for_function("""() => ['Noto Sans Thai', 'Noto Sans Arabic', 'Noto Sans SC'].every((family) =>
      [...document.fonts].some((f) => f.family === family && f.status === 'loaded'))""")
    assert not pages.errors, pages.errors


def test_the_closed_switcher_shows_a_thai_page_s_language_in_the_vendored_thai_face(pages):
    """On a laptop without Thai fonts the closed list read "ภาษา [□□□]": it now draws the
    page's own language with the vendored stack, whose Thai face the page loads anyway; the
    other scripts' faces are still fetched only when the list is reached."""
    phone = pages.open("/e/ILO22", 1280, 800, locale="th-TH", extra_http_headers={"Accept-Language": "th"})
    _online(phone)
    select = phone.locator("#lang-select")
    assert "Noto Sans Thai" in select.evaluate("(el) => getComputedStyle(el).fontFamily")
    assert select.evaluate("(el) => el.options[el.selectedIndex].value") == "th"
    phone.wait_for_function("() => [...document.fonts].some((f) => f.family === 'Noto Sans Thai' && f.status === 'loaded')")
    phone.evaluate("document.fonts.ready")
    assert not [u for u in pages.requests if re.search(r"noto-sans-(sc|arabic)", u)]
    assert not pages.errors, pages.errors
