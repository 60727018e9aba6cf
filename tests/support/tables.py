"""Tables of expected answers shared by a Python test and a browser test of the same rule."""

#: The countdown as people read it: (ms left, text). domain.clock.format_clock (the control
#: API's remaining_text) and static/js/clock.js formatClock (every screen) are both held to it.
COUNTDOWN_TEXT = [
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
]
