"""HTTP pages: join, audience, moderator sign-in, projector, QR code, errors."""
import re
from pathlib import Path

import pytest

from forum_live.extensions import db_session
from forum_live.identity import view_key
from forum_live.persistence.models import Event
from forum_live.web import audience
from support.server import TOKEN as MODERATOR_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def test_join_page_lists_the_event_and_redirects_a_typed_code(client):
    page = client.get("/")
    assert page.status_code == 200 and b"ILO22" in page.data
    typed = client.get("/join?code=ilo22")
    assert typed.status_code == 302 and typed.headers["Location"].endswith("/e/ILO22")
    spaced = client.get("/join?code=ilo%2022")
    assert spaced.status_code == 302 and spaced.headers["Location"].endswith("/e/ILO22")
    unknown = client.get("/join?code=NOPE")
    assert unknown.status_code == 302 and "unknown=NOPE" in unknown.headers["Location"]
    assert "No event with the code “NOPE”" in client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert b"Click here" not in client.get("/?error=Click+here").data  # no free text from a link


def test_audience_page_gives_the_phone_a_signed_httponly_device_cookie(client):
    page = client.get("/e/ILO22")
    assert page.status_code == 200
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("fl_device=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert token.encode() in page.data
    again = client.get("/e/ILO22")  # the cookie is sent back: same device
    assert token.encode() in again.data


def test_the_kept_phone_page_follows_an_edit_and_gives_each_phone_its_own_token(app, client, monkeypatch):
    """The rendered page is kept per content and language (web/audience.py): an edit of what it
    shows is on the loads once the row read for the page is older than PAGE_ROW_TTL_S, and two
    phones never share a token."""
    clock = [1000.0]
    monkeypatch.setattr(audience, "monotonic", lambda: clock[0])
    first = client.get("/e/ILO22").get_data(as_text=True)
    other = app.test_client().get("/e/ILO22", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    tokens = {re.search(r'data-device-token="([^"]+)"', page)[1] for page in (first, other)}
    assert len(tokens) == 2 and 'lang="fr"' in other and 'lang="en"' in first
    with app.app_context(), db_session() as session:
        event = session.query(Event).filter_by(code="ILO22").one()
        event.title, event.themes = "Renamed <panel>", ["Skills & jobs"]
        session.commit()
    clock[0] += audience.PAGE_ROW_TTL_S - 0.01
    assert "Renamed" not in client.get("/e/ILO22").get_data(as_text=True)  # the row read 2 s ago
    clock[0] += 0.02
    again = client.get("/e/ILO22").get_data(as_text=True)
    assert "Renamed &lt;panel&gt; · forum-live" in again and ">Skills &amp; jobs</option>" in again
    assert "DEVICE-TOKEN-MARK" not in again


def test_lowercase_code_redirects_and_unknown_code_is_404(client):
    assert client.get("/e/ilo22").status_code == 302
    missing = client.get("/e/NOPE")
    assert missing.status_code == 404 and b"NOPE" in missing.data


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?token={MODERATOR_TOKEN}x"])
def test_moderator_console_is_refused_without_the_right_token(client, query):
    assert client.get("/moderate" + query).status_code == 403


def test_moderator_token_signs_the_browser_in_and_the_cookie_opens_the_socket(app, client):
    signin = client.get(f"/moderate?token={MODERATOR_TOKEN}")
    assert signin.status_code == 302 and signin.headers["Location"].endswith("/moderate")
    assert "HttpOnly" in signin.headers["Set-Cookie"]
    console = client.get("/moderate")
    assert console.status_code == 200 and b"ILO22" in console.data
    sio = app.extensions["socketio"].test_client(app, namespace="/moderator", flask_test_client=client)
    assert sio.is_connected("/moderator")
    assert sio.emit("timer:start", {}, namespace="/moderator", callback=True) == {"ok": True}


def _key(app):
    return view_key(app.config["SECRET_KEY"], "ILO22", "projector")


@pytest.mark.parametrize("query", ["", "?key=", "?key=wrong", "?preview=1"])
def test_the_projector_page_needs_its_key(client, query):
    assert client.get("/screen" + query).status_code == 403


def test_projector_page_and_join_qr_code(app, client):
    page = client.get(f"/screen?key={_key(app)}")
    assert page.status_code == 200 and b"/e/ILO22/qr.svg" in page.data
    qr = client.get("/e/ILO22/qr.svg")
    assert qr.status_code == 200 and qr.headers["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.data and b"<path" in qr.data


def test_health_endpoint(client):
    assert client.get("/healthz").get_json() == {"ok": True, "event": "ILO22"}


EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//"""  # attributes pointing at another host
    r"""|url\(\s*["']?\s*(?:https?:)?//"""                  # CSS url(//…)
    r"""|@import\s+(?:url\()?\s*["']?(?:https?:)?//"""      # CSS @import
    r"""|\bfrom\s+["'](?:https?:)?//"""                     # ES module import from a URL
    r"""|\bimport\(\s*["'](?:https?:)?//""",                # dynamic import of a URL
    re.IGNORECASE)


def _front_end_files():
    for folder in ("templates", "static"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".html", ".js", ".mjs", ".css", ".svg"):
                yield path


def test_no_template_or_static_file_loads_anything_from_another_host():
    files = list(_front_end_files())
    assert len(files) >= 6, "templates and static files are expected"
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in files
                 for m in EXTERNAL.finditer(p.read_text("utf-8", errors="replace"))]
    assert offenders == []


@pytest.mark.parametrize("sample", ['<script src="https://cdn.example/x.js">', "url(//fonts.example/a.woff)",
                                    'import x from "https://esm.example/y.js"', '<link href="http://a.b/c.css">'])
def test_the_outside_asset_check_catches_each_kind_of_reference(sample):
    assert EXTERNAL.search(sample)


def test_the_console_preview_is_the_projector_page_with_the_preview_flag(app, client):
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    console = client.get("/moderate").get_data(as_text=True)
    assert f'<iframe id="preview-iframe" src="/screen?preview=1&amp;key={_key(app)}"' in console
    preview = client.get(f"/screen?preview=1&key={_key(app)}").get_data(as_text=True)
    projector = client.get(f"/screen?key={_key(app)}").get_data(as_text=True)
    assert 'data-view="preview"' in preview and 'data-view="projector"' in projector
    # The same page: only the flag differs.
    assert preview.replace('data-view="preview"', 'data-view="projector"') == projector


def test_the_holding_slide_names_the_organisers_from_the_event_file(app, client):
    page = client.get(f"/screen?key={_key(app)}").get_data(as_text=True)
    assert "<li>International Labour Organization (ILO)</li><li>GSSD Expo 2022</li>" in page


def test_the_rapporteur_page_needs_this_events_rapporteur_key_and_the_console_links_to_it(app, client):
    secret = app.config["SECRET_KEY"]
    key = view_key(secret, "ILO22", "rapporteur")
    for wrong in ("", "?key=wrong", f"?key={view_key(secret, 'ILO22', 'projector')}",
                  f"?key={view_key(secret, 'ILO22', 'stage')}", f"?key={view_key(secret, 'OTHER1', 'rapporteur')}"):
        refused = client.get(f"/rapporteur{wrong}")
        assert refused.status_code == 403 and "rapporteur page needs its key" in refused.get_data(as_text=True)
    page = client.get(f"/rapporteur?key={key}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'data-rapporteur-key="{key}"' in html and 'data-event-code="ILO22"' in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert 'class="tk-text' in html and "js/rapporteur.js" in html
    assert client.get(f"/rapporteur?key={key}&event=NOPE").status_code == 404
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    console = client.get("/moderate").get_data(as_text=True)
    assert f'href="http://192.0.2.10:5000/rapporteur?key={key}"' in console and 'id="takeaways-dialog"' in console


def test_the_phone_pages_templates_are_compiled_when_the_app_is_made(app):
    """The templates of a join stampede (web.WARM_TEMPLATES) are compiled by create_app, before
    any request: Jinja's cache holds them (its keys are ``(loader weakref, name)``)."""
    from forum_live.web import WARM_TEMPLATES

    compiled = {key[1] for key in app.jinja_env.cache.keys()}
    assert "audience/event.html" in WARM_TEMPLATES and set(WARM_TEMPLATES) <= compiled
