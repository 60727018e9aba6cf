"""The page's language: chosen per request, given to Flask-Babel and the templates; the
scripts' JSON catalogs (``/i18n/<lang>.json``).

Phone pages (the join page, the event page, the summary, error pages) speak the phone's
language: ``?lang=`` (the switcher), else the ``fl_lang`` cookie it set, else the browser's
``Accept-Language``, else English. The console, the rapporteur's page and the report speak the
moderator's choice among the screen languages (en, fr, es): ``?lang=`` (their switcher), else the
``fl_console_lang`` cookie, else ``Accept-Language``, else English. The projector and the stage
view follow the event's ``screen_language`` (``use_language``). docs/translating.md.
"""
import hashlib
import json

from flask import Blueprint, Flask, abort, g, make_response, request
from flask_babel import Babel

from ..i18n import (
    CONSOLE_LANG_COOKIE,
    LANG_COOKIE,
    PHONE_LANGUAGES,
    SCREEN_LANGUAGES,
    TRANSLATIONS,
    babel_locale,
    direction,
    html_lang,
    js_catalog,
    negotiate,
    supported,
)

bp = Blueprint("language", __name__)

#: Blueprints whose pages follow the phone's language.
PHONE_BLUEPRINTS = {"audience", "summary", "language"}
#: Blueprints whose pages follow the moderator's choice among the screen languages.
CONSOLE_BLUEPRINTS = {"moderator", "editor", "rapporteur", "report", "admin", "rundown"}


def page_language() -> str:
    """The language code of the current request (see the module docstring)."""
    if "forum_live_lang" not in g:
        if request.blueprint in PHONE_BLUEPRINTS or request.endpoint is None:  # None: an error page
            g.forum_live_lang = negotiate(request.headers.get("Accept-Language"), request.args.get("lang"),
                                          request.cookies.get(LANG_COOKIE))
        elif request.blueprint in CONSOLE_BLUEPRINTS:
            g.forum_live_lang = console_language(request.headers.get("Accept-Language"), request.args.get("lang"),
                                                 request.cookies.get(CONSOLE_LANG_COOKIE))
        else:
            g.forum_live_lang = "en"
    return g.forum_live_lang


def console_language(accept_language: str | None, *choices: object) -> str:
    """The console's language: the first supported of ``choices`` (``?lang=``, the cookie), else the
    best screen language of ``Accept-Language``, else English."""
    return negotiate(accept_language, *choices, languages=SCREEN_LANGUAGES)


def use_language(code: str) -> None:
    """Render the current page in ``code`` (a screen language: the projector and the stage view
    follow the event's ``screen_language``); English for anything else."""
    g.forum_live_lang = supported(code, SCREEN_LANGUAGES) or "en"


def _locale() -> str:
    return babel_locale(page_language())


@bp.get("/i18n/<lang>.json")
def catalog(lang: str):
    """The scripts' catalog of ``lang`` (forum_live.i18n.js_catalog); 404 for another language.
    Cached by the browser for an hour and revalidated by its ETag (a new release changes it)."""
    if lang not in PHONE_LANGUAGES:
        abort(404, description="No such language.")
    body = json.dumps(js_catalog(lang), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    etag = hashlib.sha256(body.encode()).hexdigest()[:20]
    response = make_response(body)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.set_etag(etag)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to ``app`` with the page's language, and give the templates ``page_lang``,
    ``page_dir``, ``page_code``, the phone switcher's ``languages`` and the console's
    ``console_languages``; a ``?lang=`` is remembered (in the cookie of the page's kind)."""
    Babel(app, locale_selector=_locale, default_translation_directories=str(TRANSLATIONS))
    app.register_blueprint(bp)

    @app.context_processor
    def _language():
        code = page_language()
        return {"page_code": code, "page_lang": html_lang(code), "page_dir": direction(code),
                "languages": [(c, name) for c, (name, _) in PHONE_LANGUAGES.items()],
                "console_languages": [(c, PHONE_LANGUAGES[c][0]) for c in SCREEN_LANGUAGES]}

    @app.after_request
    def _remember(response):
        if request.blueprint in PHONE_BLUEPRINTS:
            chosen, cookie = supported(request.args.get("lang")), LANG_COOKIE
        elif request.blueprint in CONSOLE_BLUEPRINTS:
            chosen, cookie = supported(request.args.get("lang"), SCREEN_LANGUAGES), CONSOLE_LANG_COOKIE
        else:
            return response
        if chosen and chosen != request.cookies.get(cookie):
            response.set_cookie(cookie, chosen, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True,
                                secure=request.is_secure)
        return response
