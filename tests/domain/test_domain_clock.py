"""format_clock: a countdown as the screens show it (the control API's remaining_text). The
screens' copy (static/js/clock.js formatClock) is held to the same table in
tests/e2e/test_browser_rules.py."""
import pytest

from forum_live.domain.clock import format_clock
from support.tables import COUNTDOWN_TEXT


@pytest.mark.parametrize(("ms", "text"), COUNTDOWN_TEXT)
def test_format_clock(ms, text):
    assert format_clock(ms) == text
