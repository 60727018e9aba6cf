"""HTTP pages: one blueprint per audience, plus error pages."""
from flask import Flask

from . import audience, errors, moderator, screen, security


def init_app(app: Flask) -> None:
    """Register the blueprints and error handlers on ``app``."""
    for module in (audience, moderator, screen):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    security.init_app(app)

