"""Geometry of the report's charts (inline SVG drawn by the server: no script, no CDN).

Each layout turns values into rectangles in SVG user units; templates/report/_charts.html
draws them. Numbers are rounded to 0.1 unit so the markup stays short and stable.
"""

#: Width of every chart in SVG user units (the page scales it to the column).
WIDTH = 680
LABEL_W = 210   # the left column of labels
VALUE_W = 70    # the right column of values
ROW_H = 22
BAR_H = 14


def _r(x: float) -> float:
    return round(x, 1)


def hbars(rows: list[dict], reference: float | None = None, max_value: float | None = None) -> dict:
    """A horizontal bar chart: ``rows`` are ``{"label": str, "value": number, "text": str}``
    (``text``: the value as shown). ``reference``: a value drawn as a dashed line (the fair
    share). Returns ``{"width", "height", "x0", "plot_w", "rows": [row + {"y", "w", "text_y"}],
    "reference_x"}``; bar widths are proportional to the values (0 draws nothing)."""
    top = max([r["value"] for r in rows] + [reference or 0, max_value or 0, 1])
    plot_w = WIDTH - LABEL_W - VALUE_W
    out = []
    for i, row in enumerate(rows):
        y = i * ROW_H + (ROW_H - BAR_H) / 2
        out.append({**row, "y": _r(y), "w": _r(plot_w * max(row["value"], 0) / top), "text_y": _r(y + BAR_H - 3)})
    return {"width": WIDTH, "height": max(ROW_H * len(rows), ROW_H), "x0": LABEL_W, "plot_w": plot_w,
            "bar_h": BAR_H, "rows": out,
            "reference_x": _r(LABEL_W + plot_w * reference / top) if reference is not None else None}


def timeline(rows: list[dict], booked_start_ms: int, booked_end_ms: int | None) -> dict:
    """Planned against actual, on one time axis: ``rows`` are ``{"label", "planned_start_ms",
    "planned_ms", "started_ms", "ended_ms"}`` (ended_ms: when the show left the segment, or now
    while on air; None with started_ms None). Each row gets a thin planned bar and a thick
    actual one. Returns ``{"width", "height", "x0", "plot_w", "rows": [row + {"y", "px", "pw",
    "ax", "aw"}], "booked_x", "ticks": [{"x", "minutes"}]}`` (ticks every 10 minutes from the
    booked start)."""
    instants = [booked_start_ms] + ([booked_end_ms] if booked_end_ms is not None else [])
    for r in rows:
        instants += [r["planned_start_ms"], r["planned_start_ms"] + r["planned_ms"]]
        if r["started_ms"] is not None:
            instants += [r["started_ms"], r["ended_ms"]]
    t0, t1 = min(instants), max(instants)
    span = max(t1 - t0, 1)
    plot_w = WIDTH - LABEL_W - 28  # room for the last tick's label

    def x(ms: int) -> float:
        return _r(LABEL_W + plot_w * (ms - t0) / span)

    out = []
    for i, r in enumerate(rows):
        y = i * ROW_H + 24
        item = {**r, "y": _r(y), "px": x(r["planned_start_ms"]),
                "pw": _r(max(x(r["planned_start_ms"] + r["planned_ms"]) - x(r["planned_start_ms"]), 0.5))}
        if r["started_ms"] is not None:
            item["ax"], item["aw"] = x(r["started_ms"]), _r(max(x(r["ended_ms"]) - x(r["started_ms"]), 0.5))
        out.append(item)
    ticks = []
    minute = 0
    while booked_start_ms + minute * 60_000 <= t1:
        at = booked_start_ms + minute * 60_000
        if at >= t0:
            ticks.append({"x": x(at), "minutes": minute})
        minute += 10
    return {"width": WIDTH, "height": ROW_H * len(rows) + 30, "x0": LABEL_W, "plot_w": plot_w, "rows": out,
            "booked_x": x(booked_end_ms) if booked_end_ms is not None else None,
            "start_x": x(booked_start_ms), "ticks": ticks}
