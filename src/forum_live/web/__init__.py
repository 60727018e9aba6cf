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

#: The templates of the pages hundreds of phones load at once (the phone page and the join page),
#: compiled when the app is made (issue 16: the first phones of a 1,000-phone join paid some
#: tenth of a second of Jinja compiling).
WARM_TEMPLATES = ("base.html", "_language.html", "audience/event.html", "audience/join.html")


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
    for name in WARM_TEMPLATES:  # compiled now, not by the first phones of a join stampede
        app.jinja_env.get_template(name)

