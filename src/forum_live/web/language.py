"""The page's language: chosen per request, given to Flask-Babel and the templates; the
scripts' JSON catalogs (``/i18n/<lang>.json``).

Phone pages (the join page, the event page, the summary, error pages) speak the phone's
language: ``?lang=`` (the switcher), else the ``fl_lang`` cookie it set, else the browser's
``Accept-Language``, else English. Other pages stay English for now (docs/translating.md).
"""
import hashlib
import json

from flask import Blueprint, Flask, abort, g, make_response, request
from flask_babel import Babel

from ..i18n import (
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


def page_language() -> str:
    """The language code of the current request (see the module docstring)."""
    if "forum_live_lang" not in g:
        if request.blueprint in PHONE_BLUEPRINTS or request.endpoint is None:  # None: an error page
            g.forum_live_lang = negotiate(request.headers.get("Accept-Language"), request.args.get("lang"),
                                          request.cookies.get(LANG_COOKIE))
        else:
            g.forum_live_lang = "en"
    return g.forum_live_lang


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
    ``page_dir``, ``page_code`` and the switcher's ``languages``; a ``?lang=`` is remembered."""
    Babel(app, locale_selector=_locale, default_translation_directories=str(TRANSLATIONS))
    app.register_blueprint(bp)

    @app.context_processor
    def _language():
        code = page_language()
        return {"page_code": code, "page_lang": html_lang(code), "page_dir": direction(code),
                "languages": [(c, name) for c, (name, _) in PHONE_LANGUAGES.items()]}

    @app.after_request
    def _remember(response):
        chosen = supported(request.args.get("lang"))
        if chosen and request.blueprint in PHONE_BLUEPRINTS and chosen != request.cookies.get(LANG_COOKIE):
            response.set_cookie(LANG_COOKIE, chosen, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True,
                                secure=request.is_secure)
        return response
