"""Error pages that say what happened, for every status the app can return."""
from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    """Render HTTP errors as a page (or JSON under /api/)."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            return jsonify(ok=False, code=exc.name.lower().replace(" ", "_"), message=exc.description), exc.code
        return render_template("errors/error.html", status=exc.code, message=exc.description), exc.code
