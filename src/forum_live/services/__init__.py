"""Use cases, verb-noun. Each takes an explicit SQLAlchemy Session, only flushes, and never
imports Flask: the caller (a socket handler or view) commits once, then broadcasts."""
