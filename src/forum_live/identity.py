"""Who is calling: device tokens for phones, the moderator token for consoles."""
import hmac
import secrets

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


def moderator_token_ok(expected: str, given: object) -> bool:
    """True if ``given`` equals the moderator token (constant-time comparison)."""
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())
