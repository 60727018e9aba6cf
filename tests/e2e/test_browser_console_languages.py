"""The console, rapporteur and report in the moderator's language, in a real browser: the
switcher turns the console French and the choice survives a reload (and holds for the
rapporteur's page), a refusal in an ack comes in French, and the report in Spanish prints the
event's date with Babel in the event's time zone (a pinned event date, never today's)."""
import re

import pytest
from playwright.sync_api import expect

from conftest import Pages, shoot
from forum_live.identity import view_key
from support.server import ROOT, SECRET, TOKEN, Server


def _online(page):
    expect(page.locator(".live-indicator")).to_have_attribute("data-status", "online")


def test_the_console_switched_to_french_speaks_french_and_keeps_it_after_a_reload(pages, live_server):
    console = pages.open(f"/moderate?token={TOKEN}", 1366, 768, locale="en-GB")
    _online(console)
    expect(console.locator("html")).to_have_attribute("lang", "en")
    expect(console.locator("#ros-heading")).to_have_text("Run of show")
    assert console.locator("#lang-switch .lang-go").is_hidden()  # the script sends the choice at once
    console.locator("#lang-select").select_option("fr")
    expect(console.locator("html")).to_have_attribute("lang", "fr")
    expect(console.locator("#ros-heading")).to_have_text("Déroulé")                      # template
    expect(console.locator("#timer-heading")).to_have_text("À l'antenne")
    _online(console)
    expect(console.locator("#btn-start")).to_contain_text("Démarrer la séance")          # script (i18n.js)
    expect(console.locator(".live-label")).to_have_text("En direct")
    expect(console.locator('.scene-btn[data-scene="blackout"]')).to_have_text("Écran noir")
    expect(console.locator("#you-label")).to_have_text("Vous : Console 1")                # comod.js
    expect(console.locator("#scene-now")).to_have_text("Titre de l’événement et QR code pour rejoindre")
    expect(console.locator("#ros-zone")).to_contain_text("Heures : fuseau Asia/Bangkok")  # the trial saw "Times in"
    expect(console.locator(".mp-total").first).to_have_text("0 bulletin")                 # and "0 ballots"
    console.goto(re.sub(r"\?.*$", "", console.url))  # the plain address: the choice is remembered
    expect(console.locator("html")).to_have_attribute("lang", "fr")
    console.reload()
    expect(console.locator("#lang-select")).to_have_value("fr")
    expect(console.locator("#ros-heading")).to_have_text("Déroulé")
    _online(console)
    # A refusal from the server comes in the console's language.
    message = console.evaluate("""async () => {
      try { await window.forumLive.emit("poll:open", {poll_id: 987654}); return "accepted"; }
      catch (err) { return err.message; }
    }""")
    assert message == "Pas de sondage 987654."
    # The rapporteur's page in the same browser follows the same choice.
    rapporteur = console.context.new_page()
    rapporteur.goto(live_server.url + f"/rapporteur?key={view_key(SECRET, 'ILO22', 'rapporteur')}")
    expect(rapporteur.locator("#rp-ros-h")).to_have_text("Déroulé")
    expect(rapporteur.locator("#lang-select")).to_have_value("fr")
    assert not pages.errors, pages.errors
    shoot(console, "console-french-switched")


def test_a_spanish_console_gets_the_report_in_spanish_with_the_event_s_date_in_its_zone(browser, tmp_path):
    # 08:00 on 13 September in Kiritimati (UTC+14) is still 12 September in UTC: the date shown
    # proves the event's time zone, and the words prove Babel's Spanish (CLDR).
    source = (ROOT / "src" / "forum_live" / "events" / "ilo-solution-forum-2022.toml").read_text("utf-8")
    event = tmp_path / "event-kiritimati.toml"
    event.write_text(source.replace('timezone = "Asia/Bangkok"', 'timezone = "Pacific/Kiritimati"', 1)
                     .replace("start = 2022-09-13T10:30:00", "start = 2022-09-13T08:00:00", 1)
                     .replace("booked_end = 2022-09-13T11:50:00", "booked_end = 2022-09-13T09:20:00", 1), "utf-8")
    server = Server(tmp_path, "gevent", args=("--event", str(event))).start()
    pages = Pages(browser, server)
    try:
        console = pages.open(f"/moderate?token={TOKEN}", 1366, 768, locale="es-ES")
        expect(console.locator("html")).to_have_attribute("lang", "es")
        report = console.context.new_page()
        report.goto(server.url + "/moderate/report")
        expect(report.locator("html")).to_have_attribute("lang", "es")
        expect(report.locator(".report-kicker")).to_contain_text("Informe de la sesión")
        date = report.locator(".facts div", has=report.locator("dt", has_text="Fecha")).locator("dd")
        expect(date).to_have_text("martes, 13 de septiembre de 2022")
        expect(report.locator(".facts div", has=report.locator("dt", has_text="Franja reservada")).locator("dd")) \
            .to_have_text("08:00–09:20 (Pacific/Kiritimati)")
        expect(report.locator("#draft-banner")).to_contain_text("la sesión no ha terminado")
        assert not pages.errors, pages.errors
        shoot(report, "report-spanish")
    finally:
        pages.close()
        server.stop()


#: What the console's header shows, each of which must be whole (not clipped by its box).
_HEADER_PARTS = """() => {
  const header = document.querySelector(".mod-header").getBoundingClientRect();
  const parts = [...document.querySelectorAll(
    ".mod-header .btn, .mod-join, .presence-warn, .presence-item, .live-indicator, .mod-wallclock, .lang-select")]
    .filter((e) => e.offsetParent !== null);
  return {
    header: {width: document.querySelector(".mod-header").clientWidth,
             scroll: document.querySelector(".mod-header").scrollWidth, height: header.height},
    viewport: window.innerWidth,
    parts: parts.map((e) => {
      const box = e.getBoundingClientRect();
      return {what: e.className + " " + e.textContent.trim().replace(/\\s+/g, " "), scroll: e.scrollWidth,
              client: e.clientWidth, left: box.left, right: box.right, top: box.top};
    }),
  };
}"""


@pytest.mark.parametrize("lang, join", [("en", "Join · code ILO22"), ("fr", "Rejoindre · code ILO22"),
                                         ("es", "Unirse · código ILO22")])
def test_the_console_header_shows_the_join_text_whole_on_one_line_at_1366(pages, live_server, lang, join):
    console = pages.open(f"/moderate?token={TOKEN}&lang={lang}", 1366, 768)
    _online(console)
    expect(console.locator(".presence-warn")).to_be_visible()  # no projector: the widest header
    # Synced (the steady state: "±2 ms · 0 s"; the first second's "syncing" may take a second line).
    expect(console.locator(".live-indicator")).not_to_have_attribute("data-sync", "unknown")
    found = console.evaluate(_HEADER_PARTS)
    assert found["header"]["scroll"] <= found["header"]["width"], found["header"]
    clipped = [p["what"] for p in found["parts"] if p["scroll"] > p["client"] + 1
               or p["left"] < 0 or p["right"] > found["viewport"]]
    assert clipped == []
    # One line: every part on the header's first row (a 768 px console keeps its height for the panels).
    assert max(p["top"] for p in found["parts"]) - min(p["top"] for p in found["parts"]) < 12, found
    assert found["header"]["height"] < 50
    assert console.locator(".mod-join").inner_text().replace("\n", " ").split() == join.split()
    # The Keys button shows its key cap alone here; its name still says what it is.
    assert console.locator("#btn-keys").text_content().split()[-1] == "?"
    shoot(console, f"console-header-{lang}-1366")


def test_a_french_console_shows_its_activity_log_import_errors_and_takeaways_in_french(pages, live_server, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,duration\nOpening,5\nTalk,sixty\n", encoding="utf-8")
    console = pages.open(f"/moderate?token={TOKEN}&lang=fr", 1366, 768)
    _online(console)
    console.click('.scene-btn[data-scene="blackout"]')  # the projector goes black: an audited change
    expect(console.locator("#activity-list .act-what").first).to_have_text("Projecteur : écran noir")
    console.click("#btn-import")
    console.set_input_files("#import-file", str(bad))
    console.click("#btn-import-preview")
    expect(console.locator("#import-preview tbody tr.is-error")).to_contain_text(
        "duration : impossible de lire 'sixty' comme une durée")
    expect(console.locator("#import-message")).to_have_text(
        "1 ligne en erreur : corrigez le fichier et prévisualisez de nouveau.")
    expect(console.locator("#btn-import-apply")).to_have_text("Appliquer : remplacer le déroulé")
    console.keyboard.press("Escape")
    console.click("#btn-takeaways")
    expect(console.locator("#takeaways-rapporteur")).to_have_text("Aucune page rapporteur connectée")
    expect(console.locator("#takeaways-dialog .tk-label")).to_contain_text("Point clé")
    expect(console.locator("#takeaways-dialog .tk-empty")).to_contain_text("Aucun point clé pour l'instant.")
    console.fill("#tk-text", "Les alliances commencent petit.")
    console.keyboard.press("Enter")
    expect(console.locator("#takeaways-dialog .tk-item .tk-edit")).to_have_text("Modifier")
    expect(console.locator("#takeaways-dialog .tk-item .tk-check")).to_have_text("Pour le résumé")
    assert not pages.errors, pages.errors
