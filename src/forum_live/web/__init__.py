"""HTTP pages: one blueprint per audience, plus error pages."""
from flask import Flask

from ..domain.questions import NAME_MAX_CHARS, QUESTION_MAX_CHARS
from ..domain.takeaways import TAKEAWAY_MAX_CHARS
from . import (
    admin,
    api,
    audience,
    editor,
    errors,
    exports,
    language,
    moderator,
    rapporteur,
    report,
    rooms,
    rundown,
    screen,
    security,
    sessions,
    stage,
    summary,
)
from .access import console_url_defaults
from .csrf import csrf_token


def init_app(app: Flask) -> None:
    """Register the blueprints and error handlers on ``app``."""
    # The text boxes' limits are the server's (characters, as clean_text counts them): one owner.
    app.jinja_env.globals["text_limits"] = {"question": QUESTION_MAX_CHARS, "name": NAME_MAX_CHARS,
                                            "takeaway": TAKEAWAY_MAX_CHARS}
    app.jinja_env.globals["csrf_token"] = csrf_token
    for module in (audience, moderator, editor, screen, exports, stage, report, summary, rapporteur, rundown, admin,
                   rooms):
        app.register_blueprint(module.bp)
    app.url_defaults(console_url_defaults)
    language.init_app(app)
    api.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    sessions.init_app(app)

