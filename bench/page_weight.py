"""``python -m bench.page_weight``: what a phone downloads on its first load of the audience page
(docs/benchmarks.md, "Page weight"): every HTTP response the page loads, its size as sent and
gzipped (level 6, what a compressing proxy would send; woff2 barely shrinks). The Socket.IO frames
after the upgrade are not counted (the first state message is a few KB).

  python -m bench.page_weight [--port 5890] [--chromium /usr/bin/chromium]

starts forum-live (gevent, a fresh SQLite database) once per sample language, posts and approves
three questions in that language (so the page holds that script's text, and a font face is needed
for it) and loads the phone page at 360x740 with that Accept-Language (en, th, zh). Prints a
Markdown table.
"""
import argparse
import gzip
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlparse

import socketio

#: Sample audience questions per language: the text a phone in that language shows.
SAMPLES = {
    "en": ["How will your organisation use South-South cooperation next year?",
           "What made the alliance work where others failed?",
           "Which skills do young workers need for a just transition?"],
    "th": ["ความร่วมมือใต้-ใต้ช่วยแรงงานเยาวชนได้อย่างไร",
           "ประเทศในอาเซียนจะขยายการคุ้มครองทางสังคมได้อย่างไร",
           "บทเรียนสำคัญจากเครือข่ายนี้คืออะไร"],
    "zh": ["南南合作如何帮助东盟国家发展职业技能？",
           "贵组织今后将如何利用南南合作？",
           "这个联盟取得成果的关键因素是什么？"],
}


def measure(browser, url: str, language: str = "en", code: str = "ILO22") -> dict:
    """Load ``url``/e/``code`` once in a fresh 360 px phone context with ``Accept-Language: language``
    and wait until it is online, its fonts are loaded and the network is idle. Returns
    {"language", "responses": [{"path", "bytes", "gzip"}], "bytes", "gzip"} (bytes, not KB)."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                              device_scale_factor=1, locale=language, extra_http_headers={"Accept-Language": language})
    try:
        page = ctx.new_page()
        responses = []
        page.on("requestfinished", lambda r: responses.append(r))
        page.goto(f"{url}/e/{code}")
        page.wait_for_selector("body.live-online", state="attached", timeout=20_000)
        page.wait_for_function("() => document.querySelectorAll('#q-list li').length > 0", timeout=10_000)
        page.evaluate("() => document.fonts.ready.then(() => null)")
        page.wait_for_load_state("networkidle")
        rows = []
        for request in responses:
            response = request.response()
            if response is None or urlparse(request.url).scheme not in ("http", "https"):
                continue
            try:
                body = response.body()
            except Exception:  # a redirect or an upgraded request has no body
                continue
            rows.append({"path": urlparse(request.url).path, "bytes": len(body), "gzip": len(gzip.compress(body, 6))})
    finally:
        ctx.close()
    return {"language": language, "responses": rows, "bytes": sum(r["bytes"] for r in rows),
            "gzip": sum(r["gzip"] for r in rows)}


def fonts_of(result: dict) -> list[str]:
    """The font files a measured load fetched (file names)."""
    return [Path(r["path"]).name for r in result["responses"] if "/vendor/fonts/" in r["path"]]


def seed(url: str, token: str, languages=SAMPLES) -> None:
    """Post and approve the sample questions of ``languages`` (python-socketio clients)."""


    mod = socketio.SimpleClient()
    mod.connect(url, namespace="/moderator", auth={"token": token}, transports=["websocket"])
    try:
        for texts in languages.values():
            for text in texts:
                phone = socketio.SimpleClient()
                phone.connect(url, namespace="/audience", auth={"event": "ILO22"}, transports=["websocket"])
                ack = phone.call("question:submit", {"client_id": uuid.uuid4().hex, "text": text})
                phone.disconnect()
                assert ack["ok"], ack
                if ack["question"]["status"] == "pending":
                    done = mod.call("question:moderate", {"question_id": ack["question"]["id"], "action": "approve"})
                    assert done["ok"], done
    finally:
        mod.disconnect()


def table(results: list[dict]) -> str:
    """A Markdown table: one row per language, KB gzipped and as sent, font files fetched."""
    lines = ["| phone | responses | as sent (KB) | gzipped (KB) | font files |", "|---|---:|---:|---:|---|"]
    for r in results:
        fonts = ", ".join(fonts_of(r)) or "none"
        lines.append(f"| {r['language']} | {len(r['responses'])} | {r['bytes'] / 1000:.1f} | "
                     f"{r['gzip'] / 1000:.1f} | {fonts} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_weight", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=5890)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from .servers import TOKEN, Single

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
        for lang, texts in SAMPLES.items():  # one fresh server per language: its wall holds that script only
            server = Single("forum", "gevent", args.port, Path(tempfile.mkdtemp(prefix="forum-weight-"))).start()
            try:
                seed(server.url, TOKEN, {lang: texts})
                results.append(measure(browser, server.url, lang))
            finally:
                server.stop()
        browser.close()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
