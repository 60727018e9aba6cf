"""The moderator console, behind the moderator token (the server's, or an event's own)."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import select

from ..consoles import token_digest
from ..extensions import db_session
from ..identity import moderator_token_ok, view_key
from ..persistence.models import Event
from .access import event_fingerprint, is_moderator_session, is_organiser_session, moderator_event, signed_in
from .rapporteur import rapporteur_url
from .report import report_links
from .screen import screen_url
from .stage import stage_url
from .urls import join_url

bp = Blueprint("moderator", __name__)


def sign_in_console(token: str) -> str | None:
    """Sign this browser in with a moderator ``token``: the server's (every event without a
    token of its own) or an event's own (that event only, kept beside any others in
    ``session["consoles"]``). Returns the code of the event whose token it is (None for the
    server's token), or raises LookupError for a token that is neither."""
    credential = current_app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"]
    if moderator_token_ok(credential, token):
        session["moderator"] = credential.fingerprint
        session.permanent = True
        return None
    digest = token_digest(token)
    if digest is None:
        raise LookupError("not a moderator token")
    with db_session() as s:
        event = s.scalar(select(Event).where(Event.moderator_digest == digest))
        if event is None:
            raise LookupError("not a moderator token")
        consoles = dict(session.get("consoles") or {})
        consoles[event.code] = event_fingerprint(event)
        session["consoles"] = consoles
        session.permanent = True
        return event.code


@bp.get("/moderate")
def console():
    """``/moderate?token=…`` signs the browser in (cookie) and drops the token from the URL
    (redirecting to ``/moderate``, or ``/moderate?event=CODE`` for an event's own token);
    ``/moderate[?event=CODE]`` then serves that event's console. Without a valid token, or for an
    event this browser may not run: 403 with instructions."""
    token = request.args.get("token")
    if token is not None:
        try:
            code = sign_in_console(token)
        except LookupError:
            return render_template("moderator/denied.html"), 403
        return redirect(url_for("moderator.console", event=code) if code else url_for("moderator.console"))
    if not signed_in():
        return render_template("moderator/denied.html"), 403
    consoles = session.get("consoles")
    if "event" not in request.args and not (is_moderator_session() or is_organiser_session()) \
            and isinstance(consoles, dict) and consoles:
        # A moderator signed in with an event's own link who typed plain /moderate: their console.
        return redirect(url_for("moderator.console", event=sorted(consoles)[0]))
    with db_session() as s:
        event = moderator_event(s)
    start_event = event.code == current_app.config["FORUM_LIVE_EVENT_CODE"]
    preview_args = {"preview": 1, "key": view_key(current_app.config["SECRET_KEY"], event.code, "projector")}
    if not start_event:
        preview_args["event"] = event.code
    return render_template("moderator/console.html", event=event, join_url=join_url(event.code),
                           screen_url=screen_url(event.code), preview_url=url_for("screen.projector", **preview_args),
                           stage_url=stage_url(event.code), report_links=report_links(),
                           rapporteur_url=rapporteur_url(event.code))
