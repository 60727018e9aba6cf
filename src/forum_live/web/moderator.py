"""The moderator console, behind the moderator token."""
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from ..extensions import db_session
from ..identity import moderator_token_ok, view_key
from ..services.events import get_event
from .access import is_moderator_session
from .rapporteur import rapporteur_url
from .report import report_links
from .screen import screen_url
from .stage import stage_url
from .urls import join_url

bp = Blueprint("moderator", __name__)


@bp.get("/moderate")
def console():
    """``/moderate?token=…`` signs the browser in (cookie) and drops the token from the URL;
    ``/moderate`` then serves the console. Without a valid token: 403 with instructions."""
    token = request.args.get("token")
    if token is not None:
        if not moderator_token_ok(current_app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"], token):
            return render_template("moderator/denied.html"), 403
        session.clear()
        session["moderator"] = current_app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"].fingerprint
        session.permanent = True
        return redirect(url_for("moderator.console"))
    if not is_moderator_session():
        return render_template("moderator/denied.html"), 403
    with db_session() as s:
        event = get_event(s, current_app.config["FORUM_LIVE_EVENT_CODE"])
    return render_template("moderator/console.html", event=event, join_url=join_url(event.code),
                           screen_url=screen_url(event.code),
                           preview_url=url_for("screen.projector", preview=1, key=view_key(
                               current_app.config["SECRET_KEY"], event.code, "projector")), stage_url=stage_url(event.code),
                           report_links=report_links(), rapporteur_url=rapporteur_url(event.code))
