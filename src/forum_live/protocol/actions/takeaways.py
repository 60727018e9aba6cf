"""Takeaways during the show, from the moderator consoles and the rapporteur's page: the same
three actions on /moderator and /rapporteur, each audited (the rapporteur's too)."""
from ...services import takeaways
from ...services.takeaways import takeaway_view
from ..messages import TAKEAWAYS
from ..outcome import Outcome

TAGS = ("segment_id", "panelist_id", "key_question_id")


def on_takeaway_add(session, event, data, conn, now):
    """Console or rapporteur -> server ``takeaway:add``: note a takeaway, tagged with what is on
    air unless the tags are sent. A resend with the same client_id is acked with the first
    takeaway and changes nothing."""
    sent = data.model_fields_set
    takeaway, created = takeaways.add_takeaway(
        session, event, client_id=data.client_id, text=data.text, author=conn.label or "Moderator", now=now,
        tags={name: getattr(data, name) for name in TAGS if name in sent}, for_summary=data.for_summary)
    view = takeaway_view(takeaway)
    return Outcome(ack={"takeaway": view, "duplicate": not created}, parts={TAKEAWAYS} if created else set(),
                   replay=not created,
                   audit={"client_id": data.client_id, "takeaway_id": takeaway.id,
                          **{k: view[k] for k in ("text", *TAGS, "for_summary", "author")}})


def on_takeaway_edit(session, event, data, conn, now):
    """Console or rapporteur -> server ``takeaway:edit``: change the text, re-tag (null: no
    tag) or mark for the summary; the fields left out are kept. The audit entry keeps what the
    edit replaced."""
    changes = {name: getattr(data, name) for name in data.model_fields_set if name != "takeaway_id"}
    takeaway, previous = takeaways.edit_takeaway(session, event, data.takeaway_id, changes, now)
    view = takeaway_view(takeaway)
    return Outcome(ack={"takeaway": view}, parts={TAKEAWAYS},
                   audit={"takeaway_id": takeaway.id, "author": takeaway.author, "text": takeaway.text,
                          "changes": {k: view[k] for k in changes}, "previous": previous})


def on_takeaway_delete(session, event, data, conn, now):
    """Console or rapporteur -> server ``takeaway:delete``: delete a takeaway (the audit entry
    keeps what it was)."""
    gone = takeaways.delete_takeaway(session, event, data.takeaway_id)
    return Outcome(ack={"takeaway_id": data.takeaway_id}, parts={TAKEAWAYS},
                   audit={"takeaway_id": data.takeaway_id, **{k: gone[k] for k in ("text", *TAGS, "for_summary",
                                                                                  "author", "created_ms")}})
