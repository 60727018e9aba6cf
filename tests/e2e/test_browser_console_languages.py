"""The console, rapporteur and report in the moderator's language, in a real browser: the
switcher turns the console French and the choice survives a reload (and holds for the
rapporteur's page), a refusal in an ack comes in French, and the report in Spanish prints the
event's date with Babel in the event's time zone (a pinned event date, never today's)."""
import re

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
