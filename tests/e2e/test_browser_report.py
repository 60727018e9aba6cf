"""After a show, in a real browser: the report prints to an A4 PDF, the console publishes the
summary, and a phone that saw "ended" follows its link to the summary."""
import re
import sqlite3
from datetime import UTC, datetime

from playwright.sync_api import expect

from conftest import ARTIFACTS, shoot
from support.server import TOKEN, LiveClient


def _run_a_short_show(server):
    """Through the wire, as consoles and phones do: two questions (one answered), a revealed
    poll, every segment started and left, so the show ends."""
    mod = LiveClient(server.url, "/moderator", {"token": TOKEN})
    phones = [LiveClient(server.url, "/audience", {"event": "ILO22"}) for _ in range(2)]
    try:
        assert mod.call("timer:start")["ok"]
        asked = [p.call("question:submit", {"client_id": f"client-e2e-{i}", "text": text, "name": name})["question"]["id"]
                 for i, (p, text, name) in enumerate(zip(phones, ["How do fragile states <b>start</b> an alliance?",
                                                                   "Who funds the peer exchanges after 2023?"],
                                                          ["Ana María", None]))]
        for qid in asked:
            assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        assert phones[1].call("question:upvote", {"question_id": asked[0], "on": True})["ok"]
        assert mod.call("question:moderate", {"question_id": asked[0], "action": "answer"})["ok"]
        poll = mod.state()["polls"][0]
        assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
        for p, option in zip(phones, poll["options"]):
            assert p.call("poll:vote", {"poll_id": poll["id"], "value": option["id"]})["ok"]
        assert mod.call("poll:close", {"poll_id": poll["id"]})["ok"]
        assert mod.call("poll:reveal", {"poll_id": poll["id"], "revealed": True})["ok"]
        for _ in range(len(mod.state()["run"]["segments"])):
            assert mod.call("timer:next")["ok"]
        mod.wait_for("run", lambda r: r["status"] == "ended")
    finally:
        for c in (mod, *phones):
            c.close()


def _takeaway(server, text, for_summary):
    """A rapporteur's takeaway, stored as the takeaway service stores it (model of revision 0002)."""
    path = server.database.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        event_id = db.execute("SELECT id FROM event WHERE code = 'ILO22'").fetchone()[0]
        db.execute("INSERT INTO takeaway (event_id, text, for_summary, author, created_at) VALUES (?, ?, ?, ?, ?)",
                   (event_id, text, for_summary, "Rapporteur", datetime.now(UTC).replace(tzinfo=None)))


def test_the_report_prints_to_pdf_and_a_phone_opens_the_published_summary(pages, live_server):
    phone = pages.open("/e/ILO22", 360, 740, mobile=True)
    projector = pages.open("/screen", 1920, 1080)
    expect(phone.locator("#now-heading")).to_have_text(re.compile("Coming up|Now"))
    _run_a_short_show(live_server)
    _takeaway(live_server, "Peer learning beats funding <i>alone</i>.", True)
    _takeaway(live_server, "Internal note: not for the audience.", False)

    # The phone says the session has ended; no summary link until it is published.
    expect(phone.locator("#now-segment")).to_have_text(re.compile("The session has ended"))
    expect(phone.locator("#now-summary")).to_be_hidden()
    # The projector's closing card (the timer scene after the show) still invites to join: there
    # is no summary to point at yet.
    mod = LiveClient(live_server.url, "/moderator", {"token": TOKEN})
    try:
        assert mod.call("scene:set", {"scene": "timer"})["ok"]
    finally:
        mod.close()
    expect(projector.locator("#idle-kicker")).to_have_text("Thank you for taking part")
    expect(projector.locator("#idle-join")).to_be_visible()
    expect(projector.locator("#idle-summary")).to_be_hidden()

    # The console publishes it from its Report… dialog.
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768)
    console.locator("#btn-report").click()
    dialog = console.locator("#report-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#summary-state")).to_have_text("Not published yet.")
    dialog.get_by_role("button", name="Publish the summary").click()
    expect(dialog.locator("#summary-state")).to_have_text(re.compile("^Published"))
    expect(dialog.get_by_role("button", name="Withdraw the summary")).to_be_visible()
    shoot(console, "console-report-dialog")

    # The projector's closing card now shows the summary's QR code (a real image of its address).
    expect(projector.locator("#idle-summary")).to_be_visible()
    expect(projector.locator("#idle-join")).to_be_hidden()
    expect(projector.locator("#summary-qr-url")).to_have_text(re.compile(r"/e/ILO22/summary$"))
    projector.wait_for_function("document.getElementById('summary-qr-img').naturalWidth > 0")
    shoot(projector, "projector-summary-qr")

    # The phone that was open shows the link at once, and the summary reads well at 360 px.
    link = phone.get_by_role("link", name="Read the session summary")
    expect(link).to_be_visible()
    link.click()
    phone.wait_for_url(re.compile(r"/e/ILO22/summary$"))
    expect(phone.get_by_role("heading", name="Takeaways")).to_be_visible()
    expect(phone.get_by_text("Peer learning beats funding <i>alone</i>.")).to_be_visible()
    expect(phone.get_by_text("Internal note")).to_have_count(0)
    expect(phone.get_by_text("How do fragile states <b>start</b> an alliance?")).to_be_visible()
    expect(phone.get_by_text("Who funds the peer exchanges")).to_have_count(0)  # approved, never answered
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width  # nothing wider than the phone
    shoot(phone, "phone-summary")

    # The report: final (not a draft), then printed by the browser to an A4 PDF.
    report = console.context.new_page()
    report.goto(live_server.url + "/moderate/report")
    expect(report.locator("h1")).to_have_text(re.compile("Building Multi-Stakeholder Alliances"))
    expect(report.locator("#draft-banner")).to_have_count(0)
    expect(report.locator("#question-counts")).to_contain_text("Answered")
    expect(report.locator("#takeaways")).to_contain_text("Peer learning beats funding <i>alone</i>.")
    report.emulate_media(media="print")
    expect(report.locator(".report-toolbar")).to_be_hidden()
    shoot(report, "report-print")
    pdf = report.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    pages_in_pdf = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages_in_pdf >= 3, pages_in_pdf
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report.pdf").write_bytes(pdf)
    assert pages.errors == [] and pages.foreign_requests() == []
