"""CSV downloads for the moderator: a poll's results and its anonymous ballots."""
from flask import Blueprint, Response, abort

from ..domain.errors import ForumError
from ..extensions import db_session
from ..services import poll_exports
from .access import moderator_event

bp = Blueprint("exports", __name__)


def _download(build, poll_id: int) -> Response:
    with db_session() as s:
        event = moderator_event(s)
        try:
            name, text = build(s, event, poll_id)
        except ForumError as exc:
            abort(404, description=exc.message)
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.get("/moderate/polls/<int:poll_id>/results.csv")
def poll_results_csv(poll_id: int):
    """A poll's results as CSV (moderator session only; 403 otherwise, 404 for an unknown poll)."""
    return _download(poll_exports.results_csv, poll_id)


@bp.get("/moderate/polls/<int:poll_id>/ballots.csv")
def poll_ballots_csv(poll_id: int):
    """A poll's anonymous ballots as CSV (moderator session only)."""
    return _download(poll_exports.ballots_csv, poll_id)
