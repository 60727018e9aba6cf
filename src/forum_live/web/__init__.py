"""HTTP pages: one blueprint per audience, plus error pages."""
from flask import Flask

from . import api, audience, errors, exports, moderator, rapporteur, report, screen, security, stage, summary


def init_app(app: Flask) -> None:
    """Register the blueprints and error handlers on ``app``."""
    for module in (audience, moderator, screen, exports, stage, report, summary, rapporteur):
        app.register_blueprint(module.bp)
    api.init_app(app)
    errors.init_app(app)
    security.init_app(app)

