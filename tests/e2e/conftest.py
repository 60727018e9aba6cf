"""Browser tests: the real server under gevent, real pages in Debian's headless Chromium."""
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from support.server import ROOT, Server, projector_key

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skipped without it, except under CI)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run should have installed Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def live_server(tmp_path):
    """The real server (run.py, gevent) on a free loopback port."""
    server = Server(tmp_path, "gevent").start()
    yield server
    server.stop()


#: Every page in a browser test comes from 127.0.0.1: lift the per-device/per-address question
#: limits for tests that ask many questions.
GENEROUS_QUESTION_LIMITS = {"FORUM_LIVE_RATE_QUESTIONS_DEVICE": "500/minute",
                            "FORUM_LIVE_RATE_QUESTIONS_IP": "500/minute"}


@pytest.fixture
def generous_live_server(tmp_path, monkeypatch):
    """The real server with generous question limits; a module uses it by overriding
    ``live_server`` with it."""
    for key, value in GENEROUS_QUESTION_LIMITS.items():
        monkeypatch.setenv(key, value)
    server = Server(tmp_path, "gevent").start()
    yield server
    server.stop()


class Pages:
    """Opens pages in their own browser contexts and records every request they make."""

    def __init__(self, browser, server):
        self.browser, self.server = browser, server
        self.contexts, self.requests, self.errors = [], [], []

    def open(self, path: str, width: int, height: int, mobile: bool = False, **kw):
        ctx = self.browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile,
                                       has_touch=mobile, device_scale_factor=1, **kw)
        self.contexts.append(ctx)
        page = ctx.new_page()
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(f"{path}: {e}"))
        # Console errors include Content-Security-Policy violations and failed loads.
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"{path}: console: {m.text}"))
        if path.startswith("/screen") and "key=" not in path:  # the projector link carries its key
            path += ("&" if "?" in path else "?") + f"key={projector_key()}"
        page.goto(self.server.url + path)
        return page

    def foreign_requests(self) -> list[str]:
        """Requests that went anywhere but this server."""
        host = urlparse(self.server.url).netloc
        return [u for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                and urlparse(u).netloc != host]

    def close(self):
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def pages(browser, live_server):
    p = Pages(browser, live_server)
    yield p
    p.close()


def shoot(page, name: str) -> Path:
    """Save a screenshot as a test artefact (test-artifacts/NAME.png); with
    FORUM_LIVE_UPDATE_SCREENSHOTS=1 also refresh the README's copy in docs/screenshots/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    if os.environ.get("FORUM_LIVE_UPDATE_SCREENSHOTS"):
        (ROOT / "docs" / "screenshots").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, ROOT / "docs" / "screenshots" / path.name)
    return path
