"""Who is calling: device tokens for phones, the moderator token for consoles."""
import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

DEVICE_COOKIE = "fl_device"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="forum-live.device")


def new_device(secret_key: str) -> tuple[str, str]:
    """Return ``(device_id, device_token)``: a random id and its signed form for the phone."""
    device_id = secrets.token_urlsafe(12)
    return device_id, _serializer(secret_key).dumps(device_id)


def device_from_token(secret_key: str, token: object) -> str | None:
    """Return the device id inside a signed ``token``, or None if missing, forged or malformed."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        device_id = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    return device_id if isinstance(device_id, str) and 8 <= len(device_id) <= 64 else None


@dataclass(frozen=True)
class Credential:
    """A bearer secret (moderator or API token) known to the server only by its SHA-256 digest.

    ``plain`` is the token itself while it can still be shown (given by the environment, or just
    generated); once stored it is only the digest. Tokens are random (>= 128 bits), so a plain
    SHA-256 is enough; a passphrase from the environment is never written anywhere.
    """

    digest: bytes
    plain: str | None = None

    @classmethod
    def from_plain(cls, plain: str) -> "Credential":
        """The credential of a known token."""
        return cls(hashlib.sha256(plain.encode()).digest(), plain)

    def matches(self, given: object) -> bool:
        """True if ``given`` is this token (constant-time comparison of the digests)."""
        if not isinstance(given, str) or not given or len(given) > 512:
            return False
        return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), self.digest)

    @property
    def fingerprint(self) -> str:
        """A short id of this token, kept in the console's session cookie: a new token signs
        every console out."""
        return self.digest[:8].hex()


def moderator_token_ok(credential: Credential, given: object) -> bool:
    """True if ``given`` is the moderator token."""
    return credential.matches(given)


#: Views behind a key in their URL: the projector (so a phone cannot pose as the projector and
#: silence the console's "no projector" warning) and the stage view (it shows the moderator's
#: private messages to the speaker), both read-only; and the rapporteur's page, whose key can
#: write takeaways and read the run of show and the public questions, nothing else.
VIEWS = ("projector", "stage", "rapporteur")


def view_key(secret_key: str, event_code: str, view: str) -> str:
    """The key of ``view`` (projector, stage or rapporteur) of an event: an HMAC-SHA256 of the
    view and event code under the server's secret, 22 URL-safe characters. The projector and
    stage keys can watch, never drive; the rapporteur key can only note takeaways."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    digest = hmac.new(secret_key.encode(), f"forum-live.{view}:{event_code}".encode(), "sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


def view_key_ok(secret_key: str, event_code: str, view: str, given: object) -> bool:
    """True if ``given`` is the key of ``view`` for ``event_code`` (constant-time comparison)."""
    return isinstance(given, str) and hmac.compare_digest(
        given.encode(), view_key(secret_key, event_code, view).encode())


def stage_key(secret_key: str, event_code: str) -> str:
    """The stage view's key (see view_key)."""
    return view_key(secret_key, event_code, "stage")


def stage_key_ok(secret_key: str, event_code: str, given: object) -> bool:
    """True if ``given`` is the stage key of ``event_code``."""
    return view_key_ok(secret_key, event_code, "stage", given)


#: A room's own links (issue 12): the projector and the stage view that follow whichever event
#: runs in the room.
ROOM_VIEWS = ("screen", "stage")


def room_key(secret_key: str, room: str, view: str) -> str:
    """The key of a room's ``view`` (screen or stage): an HMAC-SHA256 of the view and the room's
    name (case-folded, trimmed: "Hall B" and "hall b" are one room) under the server's secret,
    22 URL-safe characters. It watches, never drives, like a projector key."""
    if view not in ROOM_VIEWS:
        raise ValueError(f"unknown room view {view!r}")
    message = f"forum-live.room-{view}:{room.strip().casefold()}".encode()
    return base64.urlsafe_b64encode(hmac.new(secret_key.encode(), message, "sha256").digest()).decode()[:22]


def room_key_ok(secret_key: str, room: str, view: str, given: object) -> bool:
    """True if ``given`` is the key of ``room``'s ``view`` (constant-time comparison)."""
    return isinstance(given, str) and hmac.compare_digest(given.encode(), room_key(secret_key, room, view).encode())
