"""Storage: SQLAlchemy 2.0 models and engine setup."""
