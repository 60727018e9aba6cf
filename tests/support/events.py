"""A second, small event for tests that an id or key of one event is refused in another."""
from forum_live.eventfile import parse_event
from forum_live.services.events import load_event

OTHER_EVENT = """
[event]
code = "OTHER1"
title = "Another panel in the next room"
timezone = "UTC"
start = 2024-03-05T14:00:00

[moderator]
name = "M"

[[panelists]]
key = "p"
name = "Ms Other Panelist"

[[key_questions]]
key = "why"
text = "Why now?"

[[segments]]
kind = "panelist"
title = "Other slot"
minutes = 10
panelist = "p"
key_question = "why"
"""


def load_other_event(session):
    """Store the event OTHER1 (one panelist, key question and segment) and commit; returns it."""
    event, _ = load_event(session, parse_event(OTHER_EVENT))
    session.commit()
    return event
