"""Audience pages: join by code, the event page on a phone, the join QR code."""
import io
from time import monotonic
from types import SimpleNamespace

import segno
from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import bindparam, select

from ..domain.errors import ForumError
from ..extensions import db_session
from ..identity import DEVICE_COOKIE, device_from_token, new_device
from ..persistence.models import Event
from ..phone_text import phone_message
from ..services.events import get_event
from .language import page_language
from .urls import join_url

bp = Blueprint("audience", __name__)


def _event_or_404(code: str) -> Event:
    with db_session() as session:
        try:
            return get_event(session, code)
        except ForumError as exc:
            abort(404, description=phone_message(exc.message, page_language()))


@bp.get("/")
def join():
    """The join page: type the event code, or pick the event."""
    with db_session() as session:
        events = list(session.scalars(select(Event).order_by(Event.id)))
    unknown = request.args.get("unknown")
    # Never free text from a link: only the 20 characters of a code.
    error = gettext("No event with the code “%(code)s”.", code=unknown[:20]) if unknown else None
    return render_template("audience/join.html", events=events, error=error)


@bp.get("/join")
def join_code():
    """Redirect a typed event code to its page (back to the join page if unknown)."""
    code = "".join(request.args.get("code", "").split()).upper()[:20]  # "ilo 22" -> "ILO22"
    with db_session() as session:
        try:
            event = get_event(session, code)
        except ForumError:
            return redirect(url_for("audience.join", unknown=code))
    return redirect(url_for("audience.event_page", code=event.code))


#: What the phone page shows of an event (the columns the template reads): one light row, not the
#: event's ORM load of some thirty columns (issue 16: half the page's server time).
_PAGE_COLUMNS = (Event.code, Event.title, Event.venue, Event.subtitle, Event.themes)
_PAGE_ROW = select(*_PAGE_COLUMNS).where(Event.code == bindparam("code"))
#: Stands for the phone's device token in a rendered page kept in the page cache (a token is
#: letters, digits, "-", "_" and "." only, so it needs no escaping where it goes).
_TOKEN_MARK = "DEVICE-TOKEN-MARK-0f1c"
#: At most this many rendered phone pages are kept (per process; one per event, language and
#: prefix in use).
PAGE_CACHE_SIZE = 256
#: How long a process reuses the row it read for an event's phone page (seconds, monotonic): a
#: stampede of phones is one read every two seconds, not one per phone (issue 16). The page is
#: only the first paint: its script shows the event from the connect snapshot at once.
PAGE_ROW_TTL_S = 2.0


@bp.get("/e/<code>")
def event_page(code: str):
    """The phone page of an event; gives the phone a signed device token if it has none.

    The page is rendered once per (event content, language, URL prefix) and kept: the key is the
    content the template reads (code, title, venue, subtitle, themes), read from the database at
    most ``PAGE_ROW_TTL_S`` earlier (``_page_row``), so an edit shows in every process's pages
    within two seconds (and in the page's script at once, from its snapshot); only the device
    token differs between phones (issue 16: 300 phones loading the page in ten seconds were 300
    renders of some thirty translated strings)."""
    row = _page_row(code.strip().upper()[:20])
    if row is None:
        _event_or_404(code)  # the refusal in the page's language (404)
    if row.code != code:
        return redirect(url_for("audience.event_page", code=row.code))
    secret = current_app.config["SECRET_KEY"]
    token = request.cookies.get(DEVICE_COOKIE)
    if device_from_token(secret, token) is None:
        _, token = new_device(secret)
    response = make_response(_page(row).replace(_TOKEN_MARK, token))
    response.set_cookie(DEVICE_COOKIE, token, max_age=60 * 60 * 24 * 365, httponly=True, samesite="Lax",
                        secure=request.is_secure)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_row(code: str):
    """The ``_PAGE_COLUMNS`` row of the event ``code`` (stored form), or None: read on a Core
    connection, then reused by this process for ``PAGE_ROW_TTL_S`` (an unknown code is read again
    every time)."""
    rows = current_app.extensions.setdefault("forum_live.phone_page_rows", {})
    now = monotonic()
    kept = rows.get(code)
    if kept is not None and now < kept[1]:
        return kept[0]
    with current_app.extensions["forum_live.engine"].connect() as connection:  # Core: no ORM session
        row = connection.execute(_PAGE_ROW, {"code": code}).first()
    if row is not None:
        if len(rows) >= PAGE_CACHE_SIZE:
            rows.clear()
        rows[code] = (row, now + PAGE_ROW_TTL_S)
    return row


def _page(row) -> str:
    """The phone page of the event ``row`` (``_PAGE_COLUMNS``) in this request's language, with
    ``_TOKEN_MARK`` where the device token goes: rendered once, then kept (``PAGE_CACHE_SIZE``)."""
    themes = tuple(str(t) for t in row.themes) if isinstance(row.themes, list) else ()
    key = (row.code, row.title, row.venue, row.subtitle, themes, page_language(), request.script_root)
    cache = current_app.extensions.setdefault("forum_live.phone_pages", {})
    page = cache.get(key)
    if page is None:
        event = SimpleNamespace(code=row.code, title=row.title, venue=row.venue, subtitle=row.subtitle,
                                themes=list(themes))
        page = render_template("audience/event.html", event=event, device_token=_TOKEN_MARK)
        if len(cache) >= PAGE_CACHE_SIZE:
            cache.clear()
        cache[key] = page
    return page


@bp.get("/e/<code>/qr.svg")
def qr_code(code: str):
    """An SVG QR code of the event's join URL (see ``qr_svg``)."""
    return qr_svg(join_url(_event_or_404(code).code))


def qr_svg(url: str):
    """A response with the SVG QR code of ``url`` (made with segno, error correction M, black on
    white with a 2-module quiet zone), not cached: the join and summary QR codes."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=10, border=2, dark="#000", light="#fff", xmldecl=False)
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = "image/svg+xml"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def health():
    """Liveness for scripts and tests: ``{"ok": true, "event": code}``."""
    return {"ok": True, "event": current_app.config["FORUM_LIVE_EVENT_CODE"]}
