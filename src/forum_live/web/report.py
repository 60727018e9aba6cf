"""The post-session report and the event's exports, for the moderator (docs/report.md).

Behind the moderator session cookie, like the console and the poll CSVs (web.access.moderator_event:
``?event=CODE`` for another event than the server's): 403 without it, and 403 for an event this
session may not run.
"""
import json
import secrets

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext

from ..domain import formats
from ..domain.clock import utcnow
from ..extensions import db_session
from ..i18n import N_
from ..services import event_exports
from ..services.report import build_report
from . import dates
from .access import moderator_event
from .security import content_security_policy
from .urls import join_url

bp = Blueprint("report", __name__)


@bp.app_template_filter("duration")
def _duration(ms):
    return formats.duration(ms)


#: How the report says a time above or below another, per comparison (``%(time)s``: a duration).
OVER_UNDER = {
    "overrun": (N_("%(time)s over"), N_("%(time)s under")),            # a segment against its allotted time
    "start": (N_("%(time)s late"), N_("%(time)s early")),              # a segment's start against the plan
    "booked": (N_("%(time)s past the booked end"), N_("%(time)s before the booked end")),  # the show's end
    "fair": (N_("%(time)s above the fair share"), N_("%(time)s below the fair share")),   # a panelist's airtime
}


@bp.app_template_filter("over_under")
def _over_under(ms, against: str = "overrun"):
    """``ms`` (positive: over) in words in the page's language, as ``against`` (OVER_UNDER)
    says it; ``on time`` (``at the fair share``) under a second, "" for None (domain.formats.over_under
    says it in English for the exports)."""
    if ms is None:
        return ""
    if round(abs(ms) / 1000) == 0:
        return gettext("at the fair share") if against == "fair" else gettext("on time")
    over, under = OVER_UNDER[against]
    return gettext(over if ms > 0 else under, time=formats.duration(abs(ms)))


@bp.app_template_filter("css_string")
def css_string(text: str) -> str:
    """``text`` as the body of a CSS string: every character but letters, digits and spaces
    as a hex escape, so no quote, backslash, newline or ``</style>`` can end it."""
    # The space after each escape ends it (CSS eats one whitespace after a hex escape).
    return "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x} " for c in text)


@bp.get("/moderate/report")
def report_page():
    """The report as a printable page (a draft while the show is not over)."""
    with db_session() as session:
        event = moderator_event(session)
        report = build_report(session, event, utcnow())
    nonce = secrets.token_urlsafe(16)
    tz = report["event"]["timezone"]
    response = current_app.make_response(render_template(
        "report/report.html", r=report, tz=tz, nonce=nonce, fmt=formats, tables=event_exports.TABLES,
        join_url=join_url(report["event"]["code"]), **dates.HELPERS))
    # The print header names the event: an inline @page rule, allowed by this response's nonce.
    csp = content_security_policy(request.host).replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")
    response.headers["Content-Security-Policy"] = csp
    return response


def attachment(body: bytes, name: str, mimetype: str) -> Response:
    """A download of ``body`` named ``name``, never cached (the moderator's exports)."""
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "no-store"})


@bp.get("/moderate/report.xlsx")
def report_xlsx():
    """Every table of the event in one workbook (a sheet per table)."""
    with db_session() as session:
        event = moderator_event(session)
        tables = event_exports.build_tables(session, event, utcnow())
        code = event.code
    return attachment(event_exports.workbook(tables), f"{code}-report.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/moderate/report/<name>.csv")
def report_csv(name: str):
    """One table of the workbook as CSV (the poll CSVs' rules); 404 for an unknown table."""
    if name not in event_exports.TABLES:
        with db_session() as session:
            moderator_event(session)  # 403 first for a browser that may not see the event's tables
        abort(404, description=f"There is no table {name[:40]!r}; the tables are {', '.join(event_exports.TABLES)}.")
    with db_session() as session:
        event = moderator_event(session)
        tables = event_exports.build_tables(session, event, utcnow(), only=(name,))
        code = event.code
    return attachment(event_exports.csv_bytes(tables[name]), f"{code}-{name}.csv", "text/csv")


@bp.get("/moderate/report.json")
def report_json():
    """The JSON archive of the whole event."""
    with db_session() as session:
        event = moderator_event(session)
        archive = event_exports.archive(session, event, utcnow())
        code = event.code
    body = json.dumps(archive, ensure_ascii=False, indent=1).encode("utf-8")
    return attachment(body, f"{code}-archive.json", "application/json")


def report_links() -> dict:
    """The report's and the exports' URLs (for the console)."""
    return {"report": url_for("report.report_page"), "xlsx": url_for("report.report_xlsx"),
            "json": url_for("report.report_json"),
            "csv": {name: url_for("report.report_csv", name=name) for name in event_exports.TABLES}}
