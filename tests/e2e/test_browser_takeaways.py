"""Takeaways during a show, in real browsers: the moderator notes them from the keyboard (T, type,
Enter) in a dialog that leaves the console's layout alone, the rapporteur on their own page
(tagged with what is on air, re-tagged by hand), and each sees the other's at once; edits and a
confirmed delete; a takeaway written offline on the rapporteur's page arrives exactly once."""
import re

from playwright.sync_api import expect

from conftest import shoot
from support.server import SECRET, TOKEN, LiveClient

W, H = 1366, 768
FRAGILE = re.compile(r"^Fragile-to-fragile coop")  # the segment chip, clipped


def rapporteur_path(code="ILO22"):
    from forum_live.identity import view_key
    return f"/rapporteur?key={view_key(SECRET, code, 'rapporteur')}"


def _online(page):
    expect(page.locator(".live-indicator[data-status=online]")).to_be_visible()
    return page


def _layout(console):
    """Where the console's panels are: a dialog must not move them."""
    return console.evaluate("() => [...document.querySelectorAll('.panel')].map(p => {"
                            "const r = p.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })")


def test_takeaways_noted_on_the_console_and_the_rapporteur_page_show_on_both(pages, live_server):
    console = _online(pages.open(f"/moderate?token={TOKEN}", W, H))
    pages.open("/screen", 1920, 1080)  # a projector, as in a real room
    rapporteur = _online(pages.open(rapporteur_path(), 1280, 800))
    expect(console.locator("#n-projectors")).to_have_text("1")

    # The show runs: Start, then Next to the first panelist's slot, all from the keyboard.
    console.keyboard.press(" ")
    expect(console.locator("#timer-state")).to_have_text(re.compile("Running"))
    console.keyboard.press("n")
    expect(console.locator("#timer-seg")).to_contain_text("Fragile-to-fragile")
    expect(rapporteur.locator("#rp-seg")).to_have_text("Fragile-to-fragile cooperation")
    expect(rapporteur.locator("#rp-speaker")).to_have_text("Speaking: Mr Helder da Costa")
    before = _layout(console)

    # The moderator: T opens the box with the cursor in it; Enter saves; the T is not typed.
    console.keyboard.press("t")
    dialog = console.locator("#takeaways-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".tk-form .tk-text")).to_be_focused()
    expect(dialog.locator(".tk-form .tk-text")).to_have_value("")
    expect(dialog.locator(".tk-segment option:checked")).to_contain_text("Fragile-to-fragile")
    expect(dialog.locator(".tk-panelist option:checked")).to_have_text("Mr Helder da Costa")
    expect(dialog.locator(".tk-kq option:checked")).to_contain_text("Key question 1")
    console.keyboard.type("Fragile states learn fastest from each other <b>peer to peer</b>")
    console.keyboard.press("Enter")
    expect(dialog.locator(".tk-form .tk-text")).to_have_value("")
    assert _layout(console) == before  # a <dialog>: nothing under it moved
    shoot(console, "console-takeaways-dialog")

    mine = rapporteur.locator(".tk-list .tk-item", has_text="Fragile states learn fastest")
    expect(mine).to_have_count(1)
    expect(mine.locator(".tk-author")).to_have_text("Console 1")
    expect(mine.locator(".tk-chip")).to_have_text([FRAGILE, "da Costa", "KQ 1"])
    expect(mine.locator(".tk-itext")).to_have_text("Fragile states learn fastest from each other <b>peer to peer</b>")
    assert mine.locator(".tk-itext b").count() == 0  # markup stays text

    # "Now speaking" changes on the console: the rapporteur's box follows what is on air.
    console.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    console.keyboard.press("3")  # now speaking: panelist 3 (Mr Yutong Liu)
    # The console shows the change once the server has it (bounded waits: a loaded CI machine
    # takes more than the default 5 s for the round trip and the rapporteur's broadcast).
    expect(console.locator('#speakers button[aria-pressed="true"]')).to_have_attribute(
        "title", re.compile("Yutong Liu"), timeout=15_000)
    box = rapporteur.locator(".tk-form")
    expect(box.locator(".tk-panelist option:checked")).to_have_text("Mr Yutong Liu", timeout=15_000)

    # The rapporteur: the box is ready; Shift+Enter is a new line; a tag changed by hand; for the summary.
    text = box.locator(".tk-text")
    expect(text).to_be_focused()
    rapporteur.keyboard.type("Alliances last when partners share the results")
    rapporteur.keyboard.press("Shift+Enter")
    rapporteur.keyboard.type("and the risks.")
    kq2 = rapporteur.evaluate("() => window.forumLive.state.event.key_questions[1].id")
    box.locator(".tk-kq").select_option(value=str(kq2))
    expect(box.locator(".tk-follow")).to_be_visible()
    box.locator(".tk-summary").check()
    text.focus()
    rapporteur.keyboard.press("Enter")
    expect(text).to_have_value("")
    expect(box.locator(".tk-follow")).to_be_hidden()  # tags follow the air again
    expect(box.locator(".tk-kq option:checked")).to_contain_text("Key question 1")

    console.locator("#btn-takeaways").click()  # the button opens the same box
    expect(dialog.locator(".tk-form .tk-text")).to_be_focused()
    theirs = dialog.locator(".tk-list .tk-item", has_text="Alliances last")
    expect(theirs).to_have_count(1)
    expect(theirs.locator(".tk-author")).to_have_text("Rapporteur")
    expect(theirs.locator(".tk-itext")).to_have_text("Alliances last when partners share the results\nand the risks.")
    expect(theirs.locator(".tk-chip")).to_have_text([FRAGILE, "Liu", "KQ 2"])
    expect(theirs.locator(".tk-item-summary")).to_be_checked()
    expect(console.locator("#takeaways-count")).to_have_text(" (2)")

    # The rapporteur corrects the moderator's takeaway and re-tags it; the console sees it.
    mine.get_by_role("button", name="Edit").click()
    editor = mine.locator(".tk-editor")
    editor.locator("textarea").fill("Fragile states learn fastest from each other, peer to peer.")
    editor.locator(".tk-edit-panelist_id").select_option(label="Mr Anir Chowdhury")
    editor.locator("textarea").press("Enter")
    expect(mine.locator(".tk-editor")).to_have_count(0)
    fixed = dialog.locator(".tk-list .tk-item", has_text="peer to peer.")
    expect(fixed.locator(".tk-edited")).to_have_text("edited")
    expect(fixed.locator(".tk-chip")).to_have_text([FRAGILE, "Chowdhury", "KQ 1"])

    # The moderator deletes the rapporteur's takeaway from the keyboard: Del asks, Enter on "Delete".
    theirs.focus()
    console.keyboard.press("Delete")
    expect(theirs.locator(".tk-confirm")).to_be_visible()
    expect(theirs.get_by_role("button", name="Keep")).to_be_focused()
    console.keyboard.press("Escape")  # Esc closes the question first, not the dialog
    expect(theirs.locator(".tk-confirm")).to_be_hidden()
    expect(dialog).to_be_visible()
    theirs.get_by_role("button", name="Delete").click()
    theirs.locator(".tk-confirm").get_by_role("button", name="Delete").click()
    expect(theirs).to_have_count(0)
    expect(rapporteur.locator(".tk-list .tk-item", has_text="Alliances last")).to_have_count(0)
    expect(console.locator("#takeaways-count")).to_have_text(" (1)")
    shoot(rapporteur, "rapporteur-1280x800")

    # The activity log says who did what.
    console.keyboard.press("Escape")
    expect(console.locator("#activity-list .act").first).to_contain_text("Deleted the takeaway by Rapporteur")
    expect(console.locator("#activity-list .act", has_text="Edited the takeaway by Console 1")).to_have_count(1)
    assert pages.errors == [] and pages.foreign_requests() == []


def test_a_takeaway_written_offline_waits_and_arrives_exactly_once(pages, live_server):
    rapporteur = _online(pages.open(rapporteur_path(), 1024, 768))
    mod = LiveClient(live_server.url, "/moderator", {"token": TOKEN})
    try:
        rapporteur.context.set_offline(True)
        expect(rapporteur.locator("body.live-offline")).to_be_attached(timeout=10_000)
        box = rapporteur.locator(".tk-form")
        box.locator(".tk-text").fill("Written while the Wi-Fi was down")
        box.locator(".tk-text").press("Enter")
        queued = rapporteur.locator(".tk-item.is-queued", has_text="Written while the Wi-Fi was down")
        expect(queued.locator(".tk-state")).to_contain_text("Not sent yet")
        stored = rapporteur.evaluate("() => JSON.parse(localStorage.getItem('forum-live.rapporteur-outbox.ILO22'))"
                                     ".map(i => [i.kind, i.payload.text])")
        assert stored == [["takeaway", "Written while the Wi-Fi was down"]]
        shoot(rapporteur, "rapporteur-offline-outbox")

        rapporteur.context.set_offline(False)
        saved = rapporteur.locator(".tk-item:not(.is-queued)", has_text="Written while the Wi-Fi was down")
        expect(saved).to_have_count(1, timeout=15_000)
        expect(rapporteur.locator(".tk-item.is-queued")).to_have_count(0)
        assert rapporteur.evaluate("() => localStorage.getItem('forum-live.rapporteur-outbox.ILO22')") is None
        fresh = LiveClient(live_server.url, "/moderator", {"token": TOKEN})
        texts = [t["text"] for t in fresh.state()["takeaways"]]
        fresh.close()
        assert texts == ["Written while the Wi-Fi was down"]
    finally:
        mod.close()
    assert pages.errors == [] and pages.foreign_requests() == []
