"""The actions: one function per client -> server event, ``fn(session, event, data, conn, now) ->
Outcome``, one module per feature. Which event runs which function, for which roles, with which
schema, is declared in protocol/registry.py (nothing here is registered at import)."""
