"""Timekeeping in a real browser: the projector's countdown with the device clock 5 minutes
off, phases on the projector, the stage view, the console's shortcuts and dialogs, and the wall
clock across a DST change and midnight."""
import re
import time
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from conftest import shoot
from forum_live.identity import stage_key
from support.server import SECRET, TOKEN, clients, projector_key

SKEW_S = 5 * 60


def _secret(server):
    return SECRET  # the test server's secret (support.server)


def _page(browser, server, path, width, height, skew_s=0, errors=None):
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = ctx.new_page()
    if errors is not None:
        page.on("pageerror", lambda e: errors.append(f"{path}: {e}"))
    # Playwright's fake clock: the page's Date, timers and animation frames start from this
    # instant and then flow at the normal rate, so the device clock is `skew_s` off all along.
    page.clock.install(time=datetime.now(UTC) + timedelta(seconds=skew_s))
    if path.startswith("/screen"):  # the projector link carries its key
        path += ("&" if "?" in path else "?") + f"key={projector_key()}"
    page.goto(server.url + path)
    return page


def _wait_synced(page, timeout_s=10.0):
    """Wait until the page's clock sync has an answer (polling: the CSP forbids eval'd predicates)."""
    end = time.monotonic() + timeout_s
    while not page.evaluate("() => !!(window.forumLive && window.forumLive.synced)"):
        assert time.monotonic() < end, "the page never synced its clock"
        page.wait_for_timeout(100)


def _clock_seconds(text: str) -> int:
    """'09:58' -> 598, '−00:05' -> -5 (the projector rounds positives up, negatives toward 0)."""
    negative = text.startswith(("−", "-"))
    parts = [int(x) for x in text.lstrip("−-").split(":")]
    total = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    return -total if negative else total


def test_projector_countdown_stays_within_250_ms_of_the_server_with_the_device_clock_5_minutes_ahead(browser, live_server):
    errors = []
    projector = _page(browser, live_server, "/screen", 1920, 1080, skew_s=SKEW_S, errors=errors)
    with clients() as make:
        mod = make(live_server.url, "/moderator", {"token": TOKEN})
        segs = mod.state()["run"]["segments"]
        assert mod.call("timer:goto", {"segment_id": segs[1]["id"]}) == {"ok": True}
        deadline_ms = mod.wait_for("run", lambda r: r["timer"]["state"] == "running")["timer"]["deadline_ms"]
    clock = projector.locator("#st-clock")
    expect(clock).to_have_text(re.compile(r"^\d\d:\d\d$"))
    _wait_synced(projector)
    device_ahead = projector.evaluate("Date.now()") - time.time() * 1000
    assert abs(device_ahead - SKEW_S * 1000) < 2000, device_ahead      # the page's clock is off
    assert abs(projector.evaluate("forumLive.offsetMs") + SKEW_S * 1000) < 250

    errors_ms, shown = [], []
    for _ in range(9):                                # 9 samples over 20 s
        before = time.time() * 1000
        sample = projector.evaluate("""() => {
            const el = document.querySelector('#st-clock');
            const t = forumLive.state.run.timer;
            return {remaining: t.deadline_ms - forumLive.serverNow(), text: el.textContent,
                    rendered: Number(el.dataset.remainingMs),
                    age: performance.now() - Number(el.dataset.paintedAt)};
        }""")
        after = time.time() * 1000
        truth = deadline_ms - (before + after) / 2        # the server's own clock is this machine's
        errors_ms.append(sample["remaining"] - truth)
        # The last paint is ``age`` ms old (more on a loaded machine): the truth it showed was later.
        painted_truth = truth + sample["age"]
        shown.append((painted_truth, sample["text"], sample["rendered"] - painted_truth))
        time.sleep(2.5)

    assert all(abs(e) < 250 for e in errors_ms), errors_ms
    # Neither drifting nor jumping: the error stays put from one sample to the next.
    assert max(errors_ms) - min(errors_ms) < 100, errors_ms
    assert all(abs(b - a) < 60 for a, b in zip(errors_ms, errors_ms[1:])), errors_ms
    for truth, text, rendered_error in shown:
        # What the projector shows is the server's truth, rounded up to the second, within 250 ms
        # (plus the 100 ms between two repaints for the last value painted).
        assert abs(rendered_error) < 350, (truth, text, rendered_error)
        assert _clock_seconds(text) in {-(-(truth - 250) // 1000), -(-(truth + 250) // 1000)}, (truth, text)
    assert errors == []


def _phase(page, selector="#screen"):
    return page.locator(selector).get_attribute("data-phase")


def test_phases_blackout_stage_view_and_console_shortcuts(browser, live_server):
    errors = []
    key = stage_key(_secret(live_server), "ILO22")
    console = _page(browser, live_server, f"/moderate?token={TOKEN}", 1366, 768, errors=errors)
    projector = _page(browser, live_server, "/screen", 1920, 1080, errors=errors)
    stage = _page(browser, live_server, f"/stage?key={key}", 1920, 1080, errors=errors)
    monitor = _page(browser, live_server, f"/stage?key={key}", 1280, 720, errors=errors)
    expect(console.locator("#btn-start")).to_be_enabled()
    _wait_synced(console)

    # Space starts the show; N moves to the first panelist; 2 hands the floor to Chowdhury.
    console.keyboard.press("Space")
    expect(projector.locator("#screen")).to_have_attribute("data-timer", "running")
    console.keyboard.press("n")
    expect(projector.get_by_text("Mr Helder da Costa")).to_be_visible()
    console.keyboard.press("2")
    expect(console.locator("#speakers-now")).to_contain_text("Chowdhury")
    expect(console.locator("#speakers-grid [aria-pressed=true]")).to_have_attribute(
        "aria-label", "Now speaking: Mr Anir Chowdhury")
    console.keyboard.press("]")
    expect(stage.locator("#sg-prompt-h")).to_have_text("Key question 1 · 2 of 3")
    shoot(projector, "projector-phase-on-time")

    # -1 min eight times: 2:00 left -> wrap up (dashed frame, triangle, label).
    minus = console.locator("#btn-minus")
    for _ in range(8):  # each press once the previous one is acked (a busy button ignores presses)
        console.keyboard.press("-")
        expect(minus).not_to_have_attribute("aria-busy", "true")
    expect(projector.locator("#st-phase-label")).to_have_text("Wrap up")
    assert (_phase(projector), projector.locator("#st-phase-icon").inner_text()) == ("wrap-up", "▲")
    console.get_by_role("button", name="Stage cues").click()
    console.get_by_role("dialog", name=re.compile("Stage view")).get_by_role("button", name="Please wrap up").click()
    expect(stage.locator("#sg-message-text")).to_have_text("Please wrap up")
    console.keyboard.press("Escape")
    expect(monitor.locator("#sg-message-text")).to_have_text("Please wrap up")
    expect(projector.get_by_text("Please wrap up")).to_have_count(0)      # never on the projector
    assert _phase(stage, "#stage") == "wrap-up"
    shoot(projector, "projector-phase-wrap-up")
    shoot(stage, "stage-1920-wrap-up-message")
    shoot(monitor, "stage-1280-wrap-up-message")
    shoot(console, "console-1366-live")

    # Two more minutes off: past zero -> time up (solid thick frame, square).
    console.keyboard.press("-")
    expect(minus).not_to_have_attribute("aria-busy", "true")
    console.keyboard.press("-")
    expect(projector.locator("#st-phase-label")).to_have_text("Time up")
    assert projector.locator("#st-clock").inner_text().startswith("−")
    shoot(projector, "projector-phase-time-up")
    # Overtime comes 30 s after zero; the projector's own clock is moved 40 s on to show it
    # (the server's time is unchanged; the next clock sync puts it back).
    projector.clock.set_system_time(datetime.now(UTC) + timedelta(seconds=40))
    expect(projector.locator("#st-phase-label")).to_have_text("Overtime")
    assert projector.locator("#st-phase-icon").inner_text() == "✖"
    shoot(projector, "projector-phase-overtime")
    projector.evaluate("forumLive.sync()")
    expect(projector.locator("#st-phase-label")).to_have_text("Time up")

    # Space pauses (nothing focused: Space on a focused button would press that button instead);
    # the projector says so in words.
    console.evaluate("document.activeElement && document.activeElement.blur()")
    console.keyboard.press("Space")
    expect(projector.locator("#st-paused")).to_be_visible()
    shoot(projector, "projector-paused")

    # B blacks the projector out (its blackout scene) and brings back the scene it showed.
    console.keyboard.press("b")
    expect(projector.locator("#screen")).to_have_attribute("data-scene", "blackout")
    expect(console.locator("#blackout-badge")).to_be_visible()
    shoot(projector, "projector-blackout")
    console.keyboard.press("b")
    expect(projector.locator("#screen")).to_have_attribute("data-scene", "timer")
    expect(console.locator("#blackout-badge")).to_be_hidden()

    # The stage view: flash and blackout.
    console.get_by_role("button", name="Stage cues").click()
    console.get_by_role("button", name="Flash").click()
    expect(stage.locator("#sg-flash")).to_be_visible()
    console.get_by_role("button", name="Black out stage").click()
    expect(stage.locator("#sg-blackout")).to_be_visible()
    back = console.get_by_role("button", name=re.compile("Stage is black"))
    expect(back).not_to_have_attribute("aria-busy", "true")   # the first press is done
    back.click()
    expect(stage.locator("#sg-blackout")).to_be_hidden()
    console.keyboard.press("Escape")

    # ? opens the help overlay; Esc closes it. The reset asks first, then forgets everything.
    console.keyboard.press("?")
    expect(console.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    shoot(console, "console-1366-help")
    console.keyboard.press("Escape")
    console.get_by_role("button", name="Reset…").click()
    dialog = console.get_by_role("dialog", name="Reset the run of show?")
    expect(dialog.get_by_text("A segment is on air right now.")).to_be_visible()
    dialog.get_by_role("button", name="Reset the run of show").click()
    expect(console.locator("#timer-state")).to_have_text("Not started")
    expect(projector.locator("#scene-idle")).to_be_visible()
    assert errors == []


def test_rebalancing_dialog_previews_then_applies_and_undoes(browser, live_server):
    console = _page(browser, live_server, f"/moderate?token={TOKEN}", 1366, 768)
    expect(console.locator("#btn-start")).to_be_enabled()
    _wait_synced(console)
    console.keyboard.press("Space")
    expect(console.locator("#timer-state")).to_have_text(re.compile("Running"))
    console.get_by_role("button", name=re.compile(r"^Rebalance 10 min over")).click()
    dialog = console.get_by_role("dialog", name="Rebalance the overrun")
    dialog.get_by_role("radio", name="Take it from the Q&A").click()
    expect(dialog.locator("#preview-body")).to_contain_text("Audience questions")
    expect(dialog.locator("#preview-body")).to_contain_text("05:00")
    expect(dialog.locator("#preview-outcome")).to_contain_text("on the booked end")
    dialog.get_by_role("radio", name="Spread over the segments to come").click()
    expect(dialog.locator("#preview-body tr")).to_have_count(8)
    shoot(console, "console-1366-rebalance")
    dialog.get_by_role("button", name="Apply").click()
    undo = console.get_by_role("button", name=re.compile("^Undo: spread"))
    expect(undo).to_be_visible()
    expect(console.locator("#btn-rebalance")).to_be_hidden()
    undo.click()
    expect(undo).to_be_hidden()
    expect(console.locator("#btn-rebalance")).to_be_visible()


def test_wall_clock_across_a_dst_night_in_lisbon_and_across_midnight_in_bangkok(browser, live_server):
    page = _page(browser, live_server, "/screen", 800, 600)
    got = page.evaluate("""async () => {
        const c = await import('/static/js/clock.js');
        const at = (iso) => Date.parse(iso);
        return [
          // Lisbon, 30 Oct 2022: 02:00 WEST becomes 01:00 WET; 25 Mar 2023: 01:00 WET becomes 02:00 WEST.
          c.formatTimeOfDay(at('2022-10-30T00:30:00Z'), 'Europe/Lisbon'),
          c.formatTimeOfDay(at('2022-10-30T00:59:59Z'), 'Europe/Lisbon', {seconds: true}),
          c.formatTimeOfDay(at('2022-10-30T01:00:00Z'), 'Europe/Lisbon', {seconds: true}),
          c.formatTimeOfDay(at('2022-10-30T01:30:00Z'), 'Europe/Lisbon'),
          c.zoneLabel('Europe/Lisbon', at('2022-10-30T00:30:00Z')),
          c.zoneLabel('Europe/Lisbon', at('2022-10-30T01:30:00Z')),
          c.formatTimeOfDay(at('2023-03-26T00:59:00Z'), 'Europe/Lisbon'),
          c.formatTimeOfDay(at('2023-03-26T01:00:00Z'), 'Europe/Lisbon'),
          // Bangkok (no DST), a show from 23:30 to 01:00 crossing midnight.
          c.formatTimeOfDay(at('2022-09-13T16:59:59Z'), 'Asia/Bangkok', {seconds: true}),
          c.formatTimeOfDay(at('2022-09-13T17:00:00Z'), 'Asia/Bangkok', {seconds: true}),
          c.formatTimeOfDay(at('2022-09-13T18:00:00Z'), 'Asia/Bangkok'),
        ];
    }""")
    assert got == ["01:30", "01:59:59", "01:00:00", "01:30", "WEST", "WET", "00:59", "02:00",
                   "23:59:59", "00:00:00", "01:00"]
