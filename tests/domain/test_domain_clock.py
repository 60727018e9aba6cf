"""format_clock: a countdown as the screens show it (the control API's remaining_text)."""
import pytest

from forum_live.domain.clock import format_clock


@pytest.mark.parametrize(("ms", "text"), [
    (None, "--:--"),
    (0, "00:00"),
    (1, "00:01"),            # 0.001 s left still shows a second: counts up to the whole second
    (999, "00:01"),
    (1000, "00:01"),
    (1001, "00:02"),
    (581_200, "09:42"),
    (600_000, "10:00"),
    (3_600_000, "1:00:00"),
    (3_905_000, "1:05:05"),
    (-1, "00:00"),           # under a second over: not yet shown as overtime
    (-999, "00:00"),
    (-1000, "-00:01"),
    (-12_500, "-00:12"),
    (-3_600_000, "-1:00:00"),
])
def test_format_clock(ms, text):
    assert format_clock(ms) == text
