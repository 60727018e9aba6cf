"""The roles that send and receive events, and the Socket.IO namespace each connects to.

``projector`` and ``stage`` share /screen (a stage view is a /screen client with the stage
key); ``api`` is the HTTP control API (web/api.py), which runs moderator actions over HTTP.
"""
AUDIENCE_NS, SCREEN_NS, MODERATOR_NS = "/audience", "/screen", "/moderator"
RAPPORTEUR_NS = "/rapporteur"
#: The control API's pseudo-namespace: its calls are moderator actions made over HTTP.
API_NS = "/api"

AUDIENCE, PROJECTOR, STAGE, RAPPORTEUR, MODERATOR, API = (
    "audience", "projector", "stage", "rapporteur", "moderator", "api")
#: Every role, in the order of the permission matrix's columns.
ROLES = (AUDIENCE, PROJECTOR, STAGE, RAPPORTEUR, MODERATOR, API)
#: role -> the namespace its connection uses.
NAMESPACE_OF = {AUDIENCE: AUDIENCE_NS, PROJECTOR: SCREEN_NS, STAGE: SCREEN_NS, RAPPORTEUR: RAPPORTEUR_NS,
                MODERATOR: MODERATOR_NS, API: API_NS}
#: The Socket.IO namespaces (the control API is not one).
SOCKET_NAMESPACES = (AUDIENCE_NS, SCREEN_NS, MODERATOR_NS, RAPPORTEUR_NS)
