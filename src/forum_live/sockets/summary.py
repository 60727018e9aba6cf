"""The audience summary, published from moderator consoles (issue 14)."""
from ..services import summary
from . import schemas
from .broadcast import SUMMARY_URL
from .handling import Outcome, action


@action(schemas.SummaryPublish)
def on_summary_publish(session, event, data, conn, now):
    """Console -> server ``summary:publish``: publish or withdraw /e/<code>/summary; every
    client gets the new ``summary_url`` (the phones then link to it)."""
    summary.publish_summary(event, data.published, now)
    return Outcome(parts={SUMMARY_URL})


MODERATOR = {"summary:publish": on_summary_publish}
