"""The stage view's cues: moderator messages, flash, blackout.

Messages are for the speakers' confidence monitor only: they never reach phones nor the public
projector page. (The projector's own blackout is a scene: services.scene.)
"""
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.clock import to_ms
from ..domain.errors import ForumError
from ..domain.text import clean_text
from ..persistence.models import Event, StageCue

#: Preset messages (key -> text), in the order the console shows them.
PRESETS = {"one-minute": "1 minute", "wrap-up": "Please wrap up", "take-question": "Please take a question"}
MESSAGE_MAX = 200


def stage_cue(session: Session, event: Event) -> StageCue:
    """The event's StageCue row (made on first use, all cues off)."""
    cue = session.get(StageCue, event.id)
    if cue is None:
        cue = StageCue(event_id=event.id, stage_blackout=False)
        session.add(cue)
        session.flush()
    return cue


def send_message(session: Session, event: Event, now: datetime, text: str | None = None,
                 preset: str | None = None) -> StageCue:
    """Show a message on the stage view: a preset (key of PRESETS) or free text (1-200
    characters after cleaning). Raises ForumError(invalid_payload) unless exactly one is given or
    for an unknown preset, invalid_text for an empty or too long text."""
    if (text is None) == (preset is None):
        raise ForumError("invalid_payload", "Send either a preset or a text.")
    if preset is not None:
        if preset not in PRESETS:
            raise ForumError("invalid_payload", f"Unknown preset {preset!r}; one of {', '.join(PRESETS)}.")
        text = PRESETS[preset]
    else:
        text = clean_text(text, field="The message", min_len=1, max_len=MESSAGE_MAX)
    cue = stage_cue(session, event)
    cue.message, cue.message_preset, cue.message_at = text, preset, now
    return cue


def clear_message(session: Session, event: Event) -> StageCue:
    """Take the message off the stage view (nothing happens if there is none)."""
    cue = stage_cue(session, event)
    cue.message = cue.message_preset = cue.message_at = None
    return cue


def flash(session: Session, event: Event, now: datetime) -> StageCue:
    """Flash the stage view (a few seconds of blinking, to catch a speaker's eye)."""
    cue = stage_cue(session, event)
    cue.flash_at = now
    return cue


def set_blackout(session: Session, event: Event, on: bool) -> StageCue:
    """Black out the stage view (``on``) or bring it back."""
    cue = stage_cue(session, event)
    cue.stage_blackout = on
    return cue


def stage_view(session: Session, event: Event) -> dict:
    """The ``stage`` part (stage views and consoles): message, flash, blackout, presets."""
    cue = session.get(StageCue, event.id)
    message = None
    if cue is not None and cue.message:
        message = {"text": cue.message, "preset": cue.message_preset, "sent_ms": to_ms(cue.message_at)}
    return {
        "message": message,
        "flash_ms": to_ms(cue.flash_at) if cue else None,
        "stage_blackout": bool(cue and cue.stage_blackout),
        "presets": [{"key": k, "text": v} for k, v in PRESETS.items()],
    }

