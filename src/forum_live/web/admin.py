"""The organiser's page (/admin): the server's events, made, archived and deleted (docs/organising.md).

Behind the organiser token (printed once at first start, kept only hashed):
``/admin?token=…`` signs the browser in and drops the token from the URL. Every POST carries the
page's CSRF token (web/csrf.py). The organiser may open any event's console; each event made here
has its own moderator token, shown once on its page (and again only as a new one).
"""
from datetime import date, datetime

from babel.dates import format_date
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from ..domain.clock import utcnow
from ..domain.errors import ForumError
from ..eventfile import FIRST_YEAR, LAST_YEAR, EventFileError
from ..extensions import db_session
from ..i18n import N_, MessageTable, babel_locale
from ..identity import ROOM_VIEWS, room_key, view_key
from ..persistence.models import Event
from ..services import organising
from ..services.events import get_event
from .access import is_organiser_session
from .csrf import check_csrf
from .language import page_language
from .rapporteur import rapporteur_url
from .screen import screen_url
from .stage import stage_url
from .urls import join_url, public_base

bp = Blueprint("admin", __name__)

#: The largest event file the page takes (bytes); an event file is a few kilobytes.
MAX_EVENT_FILE_BYTES = 256 * 1024
#: Session key of the moderator link shown once after an event is made or given a new token.
_ONE_SHOT = "admin_new_token"


@bp.context_processor
def _helpers():
    locale = babel_locale(page_language())
    return {"format_day": lambda d: format_date(d, format="full", locale=locale),
            "state_names": {"upcoming": _("Upcoming"), "live": _("Live"), "ended": _("Ended"),
                            "archived": _("Archived")}}


#: The services' refusals (services/organising.py, in English) as the page's language says them.
_REFUSALS = MessageTable([
    (r"There is no template (?P<name>.+)\.", N_("There is no template %(name)s.")),
    (r"There is no event with the code (?P<code>.+) to copy\.", N_("There is no event with the code %(code)s to copy.")),
    (r"Choose an event file \(\.toml\) to upload\.", N_("Choose an event file (.toml) to upload.")),
    (r"(?P<file>.+): not a text file \(an event file is UTF-8 TOML\)\.",
     N_("%(file)s: not a text file (an event file is UTF-8 TOML).")),
    (r"Unknown way to make an event: (?P<source>.+)\.", N_("Unknown way to make an event: %(source)s.")),
    (r"The code (?P<code>\w+) is already used by another event: choose another\.",
     N_("The code %(code)s is already used by another event: choose another.")),
    (r"(?P<code>\w+) is live: end its show before archiving it\.",
     N_("%(code)s is live: end its show before archiving it.")),
    (r"(?P<code>\w+) is live: end its show before deleting it\.", N_("%(code)s is live: end its show before deleting it.")),
    (r"(?P<code>\w+) is the event this server was started with: .*",
     N_("%(code)s is the event this server was started with: it cannot be deleted while the server runs it "
        "(archive it instead).")),
])


def refusal_text(message: str) -> str:
    """``message`` (a service's English refusal) in the page's language; as it is if unknown
    (the event file's field rules, which name the field, stay in English)."""
    found = _REFUSALS.match(message)
    return message if found is None else _(found[0], **found[1])


def _require_organiser() -> None:
    if not is_organiser_session():
        abort(403, description=_("This is the organiser's page: open the organiser link printed by the server "
                                 "when it started (it looks like http://…/admin?token=…)."))


def _event_or_404(db, code: str) -> Event:
    try:
        return get_event(db, code)
    except ForumError:
        abort(404, description=_("There is no event with the code %(code)s.", code=code[:12]))


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.get("/admin")
def index():
    """``/admin?token=…`` signs in; ``/admin`` lists the events (``?day=YYYY-MM-DD``, ``?room=``,
    ``?archived=1`` for the archived ones) with the form that makes a new one."""
    token = request.args.get("token")
    if token is not None:
        credential = current_app.config["FORUM_LIVE_ORGANISER_CREDENTIAL"]
        if not credential.matches(token):
            abort(403, description=_("The organiser token is missing or wrong: open the organiser link printed "
                                     "by the server when it started."))
        session["organiser"] = credential.fingerprint
        session.permanent = True
        return redirect(url_for("admin.index"))
    _require_organiser()
    day, room = _parse_day(request.args.get("day")), (request.args.get("room") or "").strip()[:100]
    archived = request.args.get("archived") == "1"
    start_code = current_app.config["FORUM_LIVE_EVENT_CODE"]
    with db_session() as db:
        rows = organising.list_events(db, start_code, day=day, room=room or None, archived=archived)
        rooms, days = organising.rooms_and_days(db)
        codes = [code for code in db.scalars(select(Event.code).order_by(Event.code))]
        start_event = get_event(db, start_code)
        timezone = start_event.timezone
    secret = current_app.config["SECRET_KEY"]
    room_links = {name: {view: f"{public_base()}{url_for(f'room.{view}', room=name, key=room_key(secret, name, view))}"
                         for view in ROOM_VIEWS} for name in rooms}
    return render_template("admin/admin.html", rows=rows, rooms=rooms, days=days, day=day, room=room, room_links=room_links,
                           archived=archived, templates=organising.templates(), codes=codes, timezone=timezone,
                           max_bytes=MAX_EVENT_FILE_BYTES)


def _form_start(text: str) -> datetime | None:
    """The form's start (``datetime-local``: ``YYYY-MM-DDTHH:MM``), naive local time, or None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        start = datetime.fromisoformat(text).replace(tzinfo=None, second=0, microsecond=0)
    except ValueError:
        raise ForumError("invalid", _("The start is not a date and time (YYYY-MM-DD HH:MM).")) from None
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise ForumError("invalid", _("The start's year must be between %(first)d and %(last)d.",
                                      first=FIRST_YEAR, last=LAST_YEAR))
    return start


@bp.post("/admin/events")
def create():
    """Make an event from the form: ``source`` blank | template | copy | file, with ``template``,
    ``copy_of`` or ``file`` (an upload of at most MAX_EVENT_FILE_BYTES); ``code``, ``title``,
    ``room``, ``start`` (local, in the event's time zone) override. On success: the event's page,
    with its moderator link shown once; otherwise /admin with the reason, nothing stored."""
    _require_organiser()
    check_csrf()
    form = request.form
    upload = request.files.get("file")
    data = None
    if form.get("source") == "file" and upload is not None:
        data = upload.stream.read(MAX_EVENT_FILE_BYTES + 1)
        if len(data) > MAX_EVENT_FILE_BYTES:
            flash(_("The event file is larger than %(kb)d KB: that is not an event file.",
                    kb=MAX_EVENT_FILE_BYTES // 1024), "error")
            return redirect(url_for("admin.index"))
    with db_session() as db:
        start_event = get_event(db, current_app.config["FORUM_LIVE_EVENT_CODE"])
        try:
            spec_data = organising.source_data(
                db, form.get("source", ""), template=form.get("template"), copy_of=form.get("copy_of"),
                upload=data, upload_name=(upload.filename if upload else "") or "event file",
                timezone=start_event.timezone)
            event, token = organising.create_event(
                db, spec_data, utcnow(), code=form.get("code") or None, title=form.get("title") or None,
                room=form.get("room") if form.get("room", "").strip() else None, start=_form_start(form.get("start")))
            db.commit()
        except (ForumError, EventFileError) as exc:
            db.rollback()
            flash(_("Not made: %(reason)s", reason=refusal_text(getattr(exc, "message", None) or str(exc))), "error")
            return redirect(url_for("admin.index"))
        code = event.code
    session[_ONE_SHOT] = {"code": code, "token": token}
    flash(_("Event %(code)s made.", code=code), "ok")
    return redirect(url_for("admin.event_page", code=code))


@bp.get("/admin/events/<code>")
def event_page(code: str):
    """One event: its state, its links (phones, projector, stage, rapporteur, console) and what
    the organiser can do with it. The moderator link appears once, right after it was made."""
    _require_organiser()
    with db_session() as db:
        event = _event_or_404(db, code)
        row = next(r for r in organising.list_events(db, current_app.config["FORUM_LIVE_EVENT_CODE"],
                                                     archived=event.archived_at is not None) if r.code == event.code)
    shown = session.pop(_ONE_SHOT, None)
    token = shown["token"] if isinstance(shown, dict) and shown.get("code") == row.code else None
    start_event = row.code == current_app.config["FORUM_LIVE_EVENT_CODE"]
    links = {
        "join": join_url(row.code), "projector": screen_url(row.code), "stage": stage_url(row.code),
        "rapporteur": rapporteur_url(row.code),
        "console": url_for("moderator.console") if start_event else url_for("moderator.console", event=row.code),
        "editor": url_for("editor.editor_page") if start_event else url_for("editor.editor_page", event=row.code),
        "moderator": f"{public_base()}/moderate?token={token}" if token else None,
    }
    response = current_app.make_response(render_template(
        "admin/event.html", row=row, links=links, start_event=start_event,
        preview_key=view_key(current_app.config["SECRET_KEY"], row.code, "projector")))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/admin/events/<code>/token")
def new_token(code: str):
    """Give the event a new moderator token (the old link stops working), shown once."""
    _require_organiser()
    check_csrf()
    with db_session() as db:
        event = _event_or_404(db, code)
        token = organising.new_moderator_token(db, event)
        db.commit()
        code = event.code
    session[_ONE_SHOT] = {"code": code, "token": token}
    flash(_("New moderator link made: the old one no longer opens the console."), "ok")
    return redirect(url_for("admin.event_page", code=code))


@bp.post("/admin/events/<code>/room")
def move_room(code: str):
    """Put the event in another room (``room``; empty: none), under the event file's rule. The
    organiser's alone: the rooms' projectors follow it (a moderator cannot move a session)."""
    _require_organiser()
    check_csrf()
    with db_session() as db:
        event = _event_or_404(db, code)
        try:
            organising.set_room(db, event, request.form.get("room", ""))
            db.commit()
            flash(_("Room saved."), "ok")
        except ForumError as exc:
            db.rollback()
            flash(refusal_text(exc.message), "error")
        code = event.code
    return redirect(url_for("admin.event_page", code=code))


@bp.post("/admin/events/<code>/archive")
def archive(code: str):
    """Archive the event (``archived=1``, refused while live) or bring it back (``archived=0``)."""
    _require_organiser()
    check_csrf()
    with db_session() as db:
        event = _event_or_404(db, code)
        try:
            organising.archive_event(db, event, utcnow(), archived=request.form.get("archived") != "0")
            db.commit()
        except ForumError as exc:
            db.rollback()
            flash(refusal_text(exc.message), "error")
        code = event.code
    return redirect(url_for("admin.event_page", code=code))


@bp.post("/admin/events/<code>/delete")
def delete(code: str):
    """Delete the event and all it stored; ``confirm`` must repeat its code. Refused while live
    and for the server's own event."""
    _require_organiser()
    check_csrf()
    with db_session() as db:
        event = _event_or_404(db, code)
        if (request.form.get("confirm") or "").strip().upper() != event.code:
            flash(_("Not deleted: type the event's code (%(code)s) to confirm.", code=event.code), "error")
            return redirect(url_for("admin.event_page", code=event.code))
        try:
            code = event.code
            organising.delete_event(db, event, current_app.config["FORUM_LIVE_EVENT_CODE"])
            db.commit()
        except ForumError as exc:
            db.rollback()
            flash(refusal_text(exc.message), "error")
            return redirect(url_for("admin.event_page", code=code))
    flash(_("Event %(code)s deleted.", code=code), "ok")
    return redirect(url_for("admin.index"))
