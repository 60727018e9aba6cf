"""What an action is given (the Connection it came from) and what it gives back (an Outcome)."""
from dataclasses import dataclass, field

from .namespaces import API_NS, MODERATOR_NS, RAPPORTEUR_NS


@dataclass
class Connection:
    """What the server knows of one Socket.IO connection (bound at connect), or of one
    control-API call. ``view``: what a /screen client is (projector | stage | preview);
    ``label`` / ``actor_key``: who a moderator is in the audit trail (``Console 2`` and that
    console's own id; ``Control API`` and ``api``). ``locale``: the language a phone connected
    with (forum_live.i18n codes), in which its acks' messages are given (forum_live.phone_text)."""

    namespace: str
    event_id: int
    device_id: str | None = None
    view: str | None = None
    label: str | None = None
    actor_key: str | None = None
    ip: str | None = None  # the peer's address at connect (per-IP rate limits)
    locale: str = "en"

    @property
    def is_moderator(self) -> bool:
        """True for consoles and control-API calls: their actions are versioned and audited."""
        return self.namespace in (MODERATOR_NS, API_NS)

    @property
    def is_audited(self) -> bool:
        """True when this connection's actions go into the audit trail: moderators' and the
        rapporteur's."""
        return self.is_moderator or self.namespace == RAPPORTEUR_NS

    @property
    def source(self) -> str:
        """Where an audited action came from: ``console``, ``api`` or ``rapporteur``."""
        return {API_NS: "api", RAPPORTEUR_NS: "rapporteur"}.get(self.namespace, "console")


@dataclass
class Outcome:
    """What a handler did: fields for the ack, parts to broadcast, devices whose ``mine`` changed,
    which of the parts may be coalesced (tallies that change with every vote), and which changed
    for moderators only (a pending question: the audience and the projector get no packet).
    ``audit``: what the audit entry records as the action's payload when not the validated
    fields (None): e.g. only the fields sent, with what an edit replaced or a deletion removed.
    ``replay``: the action was a resend that changed nothing (no audit entry, no new version).
    ``mine_patches``: ``{device_id: patch}``, what changed in a device's own part when the action
    knows it (an upvote, a ballot), sent as ``mine_patch`` instead of rebuilding the whole
    ``mine`` from the database (issue 16); shape in docs/protocol.md."""

    ack: dict = field(default_factory=dict)
    parts: set[str] = field(default_factory=set)
    devices: set[str] = field(default_factory=set)
    coalesce: set[str] = field(default_factory=set)
    moderators_only: set[str] = field(default_factory=set)
    audit: dict | None = None
    replay: bool = False
    mine_patches: dict[str, dict] = field(default_factory=dict)
