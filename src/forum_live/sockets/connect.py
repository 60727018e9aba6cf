"""Connecting to each namespace: who may join, which event, which rooms, the first snapshot."""
import re

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room
from sqlalchemy import select

from ..consoles import console_token_ok, is_moderator_for
from ..domain.clock import utcnow
from ..domain.errors import ForumError
from ..domain.text import clean_text
from ..extensions import db_session
from ..i18n import CONSOLE_LANG_COOKIE, LANG_COOKIE, SCREEN_LANGUAGES, negotiate
from ..identity import DEVICE_COOKIE, device_from_token, new_device, stage_key_ok, view_key_ok
from ..persistence.models import Event, ModeratorAction
from ..phone_text import phone_message
from ..protocol.messages import STATE
from ..protocol.namespaces import AUDIENCE_NS, MODERATOR_NS, RAPPORTEUR_NS, SCREEN_NS
from ..protocol.outcome import Connection
from ..protocol.presence import SCREEN_VIEWS, queue_join
from ..protocol.shared import console_number
from ..services.events import event_row, get_event
from .binding import bind, connect_handler
from .broadcast import device_room, event_room, kept_snapshot, publish_presence, snapshot_for, stage_room

CONSOLE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CONSOLE_LABEL = re.compile(r"^Console (\d{1,6})$")


def _event(session, auth: dict, lang: str = "en", row: bool = False):
    """The event of ``auth`` (default: the server's): its ORM object, or with ``row`` its Core
    row read on the Connection ``session`` (services.events.event_row); refused (the connect)
    for an unknown event, in ``lang``."""
    try:
        return (event_row if row else get_event)(session, auth.get("event") or current_app.config["FORUM_LIVE_EVENT_CODE"])
    except ForumError as exc:
        message = phone_message(exc.message, lang)
        raise ConnectionRefusedError(message, {"code": exc.code, "message": message}) from None


@connect_handler
def on_audience_connect(auth=None):
    """A phone connects with ``auth = {"event": code, "device": token?, "lang": code?}``; refused
    for an unknown event. A phone without a valid device token is given a new one in the snapshot.
    Its language (``lang``, else the page's cookie, else Accept-Language) is kept for its acks."""
    auth = auth if isinstance(auth, dict) else {}
    lang = negotiate(request.headers.get("Accept-Language"), auth.get("lang"), request.cookies.get(LANG_COOKIE))
    secret = current_app.config["SECRET_KEY"]
    token = auth.get("device")
    device_id = device_from_token(secret, token)
    if device_id is None:
        token = request.cookies.get(DEVICE_COOKIE)
        device_id = device_from_token(secret, token)
    if device_id is None:
        device_id, token = new_device(secret)
    # Core first: the event's row, and while the shared public parts are kept for its version,
    # the phone's snapshot from that row, its segments and its own part (three statements, no
    # ORM session: issue 16); else the ORM path builds the parts for the phones that follow.
    with current_app.extensions["forum_live.engine"].connect() as connection:
        event = _event(connection, auth, lang, row=True)
        bind(Connection(AUDIENCE_NS, event.id, device_id, ip=request.remote_addr, locale=lang))
        queue_join(current_app._get_current_object(), event.id, device_id, utcnow())  # written by the presence count
        join_room(event_room(event.id))
        join_room(device_room(device_id))
        state = kept_snapshot(connection, event, device_id)
    if state is None:
        with db_session() as session:
            state = snapshot_for(session, session.get(Event, event.id), AUDIENCE_NS, device_id)
    state["device_token"] = token
    emit(STATE, state)
    publish_presence(event.id)


@connect_handler
def on_screen_connect(auth=None):
    """A projector connects with ``auth = {"event": code, "key": <projector key>, "view":
    "projector" | "preview"}`` (event and view optional: the server's event, a projector). The view only changes how
    the consoles count it (a console's preview is not a projector). A stage view adds
    ``"stage": <stage key>`` (it then counts as a stage view) and is refused if the key is wrong."""
    auth = auth if isinstance(auth, dict) else {}
    view = auth.get("view") if auth.get("view") in SCREEN_VIEWS else "projector"
    with db_session() as session:
        event = _event(session, auth)
        is_stage = "stage" in auth
        secret = current_app.config["SECRET_KEY"]
        if is_stage and not stage_key_ok(secret, event.code, auth["stage"]):
            message = "The stage view's key is missing or wrong: open the stage link from the console."
            raise ConnectionRefusedError(message, {"code": "forbidden", "message": message})
        if not is_stage and not view_key_ok(secret, event.code, "projector", auth.get("key")):
            message = "The projector's key is missing or wrong: open the projector link from the console."
            raise ConnectionRefusedError(message, {"code": "forbidden", "message": message})
        bind(Connection(SCREEN_NS, event.id, view="stage" if is_stage else view))
        join_room(event_room(event.id))
        if is_stage:
            join_room(stage_room(event.id))
        emit(STATE, snapshot_for(session, event, SCREEN_NS, stage=is_stage))
    publish_presence(event.id)


@connect_handler
def on_moderator_connect(auth=None):
    """A console connects with ``auth = {"event": code?, "token": …?}``: the event (default: the
    server's) whose console it runs, and the moderator token for it, or instead the cookie set by
    /moderate?token=… or /admin?token=… (web.access.is_moderator_for). Refused for an unknown
    event and for a token or session that is not for this event (another event's token is refused
    like a wrong one)."""
    auth = auth if isinstance(auth, dict) else {}
    with db_session() as session:
        event = _event(session, auth)
        if not (console_token_ok(event, auth.get("token")) or is_moderator_for(event)):
            message = "The moderator token is missing or wrong."
            raise ConnectionRefusedError(message, {"code": "forbidden", "message": message})
        key, label = _console_identity(auth, session, event)
        bind(Connection(MODERATOR_NS, event.id, label=label, actor_key=key, locale=_console_locale(auth)))
        join_room(event_room(event.id))
        state = snapshot_for(session, event, MODERATOR_NS)
    state["you"] = {"label": label, "key": key}
    emit(STATE, state)
    publish_presence(event.id)


#: Who the rapporteur is in the audit trail and on the takeaways they write.
RAPPORTEUR_LABEL, RAPPORTEUR_KEY = "Rapporteur", "rapporteur"


@connect_handler
def on_rapporteur_connect(auth=None):
    """The rapporteur's page connects with ``auth = {"event": code, "key": <rapporteur key>}``
    (event optional: the server's event); refused for an unknown event and for a missing or
    wrong key (another view's key, or another event's rapporteur key). It joins the event's
    room in /rapporteur and gets the rapporteur's snapshot."""
    auth = auth if isinstance(auth, dict) else {}
    with db_session() as session:
        event = _event(session, auth)
        if not view_key_ok(current_app.config["SECRET_KEY"], event.code, "rapporteur", auth.get("key")):
            message = ("The rapporteur's key is missing or wrong: open the rapporteur link from the console "
                       "(or as printed by the server).")
            raise ConnectionRefusedError(message, {"code": "forbidden", "message": message})
        bind(Connection(RAPPORTEUR_NS, event.id, label=RAPPORTEUR_LABEL, actor_key=RAPPORTEUR_KEY,
                        locale=_console_locale(auth)))
        join_room(event_room(event.id))
        emit(STATE, snapshot_for(session, event, RAPPORTEUR_NS))
    publish_presence(event.id)


def _console_locale(auth: dict) -> str:
    """The language of a console's or the rapporteur's acks: ``auth.lang`` (the page's), else the
    ``fl_console_lang`` cookie, else ``Accept-Language``, among the screen languages (en, fr, es)."""
    return negotiate(request.headers.get("Accept-Language"), auth.get("lang"), request.cookies.get(CONSOLE_LANG_COOKIE),
                     languages=SCREEN_LANGUAGES)


def _console_identity(auth: dict, session, event) -> tuple[str, str]:
    """Who a console is in the audit trail: ``(key, label)``.

    ``auth.console`` is an id the console keeps per browser (8-64 of A-Z a-z 0-9 _ -), so a
    console that reconnects or reloads stays the same actor; ``auth.name`` an optional name chosen
    by the moderator (1-40 characters). Without a name the label is ``Console N``, numbered in
    order of first connection; a console the audit trail of ``event`` already knows as
    ``Console N`` keeps its N after a server restart, and a new one never takes a number used there.
    With several processes the numbers are kept in Redis (protocol/shared.py), so they are one
    numbering whichever process each console reaches.
    """
    given = auth.get("console")
    key = given if isinstance(given, str) and CONSOLE_ID.match(given) else f"sid-{request.sid}"
    known = {}  # actor_key -> N, from the trail's "Console N" labels
    for actor_key, actor in session.execute(select(ModeratorAction.actor_key, ModeratorAction.actor).where(
            ModeratorAction.event_id == event.id, ModeratorAction.actor.like("Console %"))
            .order_by(ModeratorAction.seq.desc())):
        match = CONSOLE_LABEL.match(actor)
        if match:
            known.setdefault(actor_key, int(match.group(1)))
    # Shared by every process (Redis, when a message queue is configured): two consoles on two
    # processes never get the same number.
    number = console_number(current_app._get_current_object(), event.id, key, known.get(key),
                            max([0, *known.values()]))
    name = auth.get("name")
    try:
        name = clean_text(name, field="name", min_len=1, max_len=40) if isinstance(name, str) and name.strip() else None
    except ForumError:
        name = None
    return key, name or f"Console {number}"


CONNECT = {AUDIENCE_NS: on_audience_connect, SCREEN_NS: on_screen_connect, MODERATOR_NS: on_moderator_connect,
           RAPPORTEUR_NS: on_rapporteur_connect}
