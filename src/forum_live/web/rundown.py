"""The run of show from a spreadsheet and back, for the moderator (docs/organising.md).

``POST /moderate/run-of-show/preview`` reads an uploaded XLSX or CSV and answers every row as
it would be stored, with its errors (JSON); it stores nothing. The console's Apply sends those
rows as the ``run:import`` event (versioned, audited, broadcast like every console command).
Exports: the run of show as XLSX or CSV in the import's columns, and the whole event as an
event file (TOML). Behind the moderator session (403 without); the upload also needs the
session's CSRF token (web/csrf.py) and is at most services.rundown_files.MAX_UPLOAD_BYTES.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..domain.errors import ForumError
from ..extensions import db_session
from ..services import rundown_exports
from ..services.rundown import preview_import, rundown_view, show_started
from ..services.rundown_files import MAX_UPLOAD_BYTES
from .csrf import check_csrf
from .import_text import import_message, translated_view
from .report import attachment, moderator_event

bp = Blueprint("rundown", __name__)

#: Room for the multipart envelope around the file.
_ENVELOPE_BYTES = 64 * 1024


def _refused(status: int, message: str):
    return jsonify(ok=False, code="invalid_payload" if status < 403 else "forbidden" if status == 403
                   else "too_large", message=message), status


@bp.post("/moderate/run-of-show/preview")
def preview():
    """The import preview of the uploaded ``file`` (multipart form field): JSON
    ``{ok, errors, notices, rows, panelists, speaker_names, started}`` (services.rundown.rundown_view);
    400 for a file that cannot be read, 403 without the session or its CSRF token, 413 too large.
    The errors, notices and refusals are in the console's language (web/import_text.py)."""
    limit = MAX_UPLOAD_BYTES + _ENVELOPE_BYTES
    if request.content_length is not None and request.content_length > limit:
        return _refused(413, _("The file is larger than %(n)s MB; a run of show is far smaller.",
                               n=MAX_UPLOAD_BYTES // (1024 * 1024)))
    request.max_content_length = limit  # a chunked upload without a length stops there too
    try:
        with db_session() as session:
            event = moderator_event(session)
            check_csrf()
            upload = request.files.get("file")
            if upload is None:
                return _refused(400, _("Choose a file (XLSX or CSV) to import."))
            data = upload.read(MAX_UPLOAD_BYTES + 1)
            view = rundown_view(preview_import(event, data, upload.filename or ""), event)
            view["started"] = show_started(event)
            session.rollback()  # a preview stores nothing
    except HTTPException as exc:
        return _refused(exc.code or 400, exc.description or exc.name)
    except ForumError as exc:
        return _refused(400, import_message(exc.message))
    return jsonify(translated_view(view))


@bp.get("/moderate/run-of-show.xlsx")
def rundown_xlsx():
    """The run of show as XLSX in the import's columns (imports back as it is)."""
    with db_session() as session:
        event = moderator_event(session)
        body, code = rundown_exports.rundown_xlsx(event), event.code
    return attachment(body, f"{code}-run-of-show.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/moderate/run-of-show.csv")
def rundown_csv():
    """The run of show as CSV in the import's columns."""
    with db_session() as session:
        event = moderator_event(session)
        body, code = rundown_exports.rundown_csv(event), event.code
    return attachment(body, f"{code}-run-of-show.csv", "text/csv")


@bp.get("/moderate/event.toml")
def event_toml():
    """The whole event as an event file (docs/event-file.md); ``--event`` on a fresh database
    loads the same event."""
    with db_session() as session:
        event = moderator_event(session)
        body, code = rundown_exports.event_file(event).encode("utf-8"), event.code
    return attachment(body, f"{code}.toml", "application/toml")
