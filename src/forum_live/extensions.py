"""The app's extension objects, reached through the app so that each app (and test) has its own."""
from flask import Flask, current_app
from flask_socketio import SocketIO
from sqlalchemy.orm import Session, sessionmaker


def get_socketio(app: Flask | None = None) -> SocketIO:
    """Return the SocketIO bound to ``app`` (default: the current app)."""
    return (app or current_app).extensions["socketio"]


def db_session(app: Flask | None = None) -> Session:
    """Open a new SQLAlchemy session on the app's database; use it as a context manager."""
    factory: sessionmaker = (app or current_app).extensions["forum_live.sessions"]
    return factory()
