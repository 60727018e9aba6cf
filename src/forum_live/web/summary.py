"""The audience summary (/e/<code>/summary): what the session concluded, once the moderator
has published it. Public, like the phone page; a friendly 404 page until it is published."""
from flask import Blueprint, abort, current_app, redirect, render_template, url_for

from ..domain.clock import utcnow
from ..domain.errors import ForumError
from ..extensions import db_session
from ..phone_text import phone_message
from ..services.events import get_event
from ..services.summary import summary_url, summary_view
from .audience import qr_svg
from .language import page_language
from .urls import join_url

bp = Blueprint("summary", __name__)


@bp.get("/e/<code>/summary")
def summary_page(code: str):
    """The published summary of event ``code``: answered questions, revealed poll results and
    the takeaways marked for it. 404 for an unknown event, and a 404 page saying it is not
    published yet before the moderator publishes it."""
    with db_session() as session:
        try:
            event = get_event(session, code)
        except ForumError as exc:
            abort(404, description=phone_message(exc.message, page_language()))
        if event.code != code:
            return redirect(url_for("summary.summary_page", code=event.code))
        if event.summary_published_at is None:
            response = current_app.make_response(render_template(
                "audience/summary_pending.html", event=event, event_url=join_url(event.code)))
            response.status_code = 404
            response.headers["Cache-Control"] = "no-store"
            return response
        view = summary_view(session, event, utcnow())
    page = render_template("audience/summary.html", s=view, event_url=join_url(view["event"]["code"]))
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/e/<code>/summary/qr.svg")
def summary_qr_code(code: str):
    """An SVG QR code of the published summary's URL, for the projector's closing card (segno,
    error correction M, like the join QR). 404 for an unknown event and until it is published:
    the QR never points at a page that is not there yet."""
    with db_session() as session:
        try:
            event = get_event(session, code)
        except ForumError as exc:
            abort(404, description=exc.message)
        url = summary_url(event, join_url(event.code))
    if url is None:
        abort(404, description="The summary of this session is not published yet.")
    return qr_svg(url)
