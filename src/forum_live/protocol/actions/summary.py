"""The audience summary, published from moderator consoles (issue 14)."""
from ...services import summary
from ..messages import SUMMARY_URL
from ..outcome import Outcome


def on_summary_publish(session, event, data, conn, now):
    """Console -> server ``summary:publish``: publish or withdraw /e/<code>/summary; every
    client gets the new ``summary_url`` (the phones then link to it)."""
    summary.publish_summary(event, data.published, now)
    return Outcome(parts={SUMMARY_URL})
