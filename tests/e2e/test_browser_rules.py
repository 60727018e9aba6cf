"""Rules whose one owner is the browser, tested where they run: the ES modules evaluated in
Chromium, with tables like the domain tests'. The phone's "newest" and "answered" orders
(static/js/question-order.js; "top" is the server's order and shown as sent), the console's
Q&A time left and how many questions fit (static/js/qa-fit.js), and the countdown text
(static/js/clock.js formatClock), held to the same table as domain.clock.format_clock (the
control API's remaining_text), the one rule both runtimes need: screens format every frame,
API clients have no JavaScript."""
import pytest

from support.server import Server
from support.tables import COUNTDOWN_TEXT


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    """One page of the real server, for evaluating its modules (one server for the module)."""
    server = Server(tmp_path_factory.mktemp("rules"), "gevent").start()
    ctx = browser.new_context()
    p = ctx.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(server.url + "/healthz")
    yield p
    ctx.close()
    server.stop()
    assert errors == []


def _call(page, module, function, *args):
    return page.evaluate("""async ([module, fn, args]) => {
      const m = await import(`/static/js/${module}`);
      return m[fn](...args);
    }""", [module, function, list(args)])


def _q(id_, votes, created, status="approved", answered=None):
    return {"id": id_, "votes": votes, "created_ms": created, "status": status, "answered_ms": answered}


ITEMS = [_q(1, 3, 100), _q(2, 5, 200), _q(3, 3, 100), _q(4, 0, 300, "answered", 900),
         _q(5, 3, 50), _q(6, 1, 300, "answered", 800), _q(7, 0, 300), _q(8, 9, 10, "answered", 900)]


@pytest.mark.parametrize(("order", "ids"), [
    ("newest", [7, 6, 4, 2, 3, 1, 5, 8]),   # newest first; same instant: higher id first
    ("answered", [8, 4, 6]),                 # answered only, most recently answered first; same instant: higher id
])
def test_the_phone_orders_newest_and_answered(page, order, ids):
    for items in (ITEMS, list(reversed(ITEMS))):
        assert [q["id"] for q in _call(page, "question-order.js", "sortItems", items, order)] == ids


def test_the_phone_shows_top_in_the_servers_order(page):
    """The questions view arrives in the top order (domain.questions.top_order_key): kept as sent."""
    sent = [ITEMS[i] for i in (1, 0, 6, 7, 3, 2, 5, 4)]
    assert [q["id"] for q in _call(page, "question-order.js", "sortItems", sent, "top")] == [q["id"] for q in sent]


def test_sorting_leaves_the_items_as_they_were(page):
    assert page.evaluate("""async (items) => {
      const {sortItems} = await import('/static/js/question-order.js');
      const before = JSON.stringify(items);
      for (const order of ["top", "newest", "answered"]) sortItems(items, order);
      return JSON.stringify(items) === before;
    }""", ITEMS)


def _seg(id_, kind, planned, adjust=0, started=None):
    return {"id": id_, "kind": kind, "planned_ms": planned, "adjust_ms": adjust, "started_ms": started}


def _run(segments, current=None, remaining=None):
    """A run view at server time 1,000,000: the on-air segment's timer runs with ``remaining`` left."""
    timer = None if current is None else {
        "segment_id": current, "state": "running", "remaining_ms": remaining, "deadline_ms": 1_000_000 + remaining,
        "server_now_ms": 1_000_000, "planned_ms": 900_000, "adjust_ms": 0, "warn_ms": 120_000, "danger_ms": 30_000}
    return {"segments": segments, "current_segment_id": current, "timer": timer}


@pytest.mark.parametrize(("run", "left"), [
    (_run([_seg(1, "panelist", 600_000), _seg(2, "qa", 900_000)]), 900_000),                  # before the Q&A
    (_run([_seg(1, "panelist", 600_000), _seg(2, "qa", 900_000, 60_000)]), 960_000),          # +1 min
    (_run([_seg(2, "qa", 900_000, 0, 1)], 2, 400_000), 400_000),                              # Q&A on air
    (_run([_seg(2, "qa", 900_000, 0, 1)], 2, -30_000), 0),                                    # in overtime
    (_run([_seg(2, "qa", 900_000, 0, 1), _seg(3, "closing", 300_000)], 3, 200_000), 0),       # Q&A is over
    (_run([_seg(2, "qa", 600_000, 0, 1), _seg(4, "qa", 300_000)], 2, 100_000), 400_000),      # two Q&A rounds
    (_run([_seg(1, "panelist", 600_000)], 1, 100_000), 0),                                    # no Q&A at all
], ids=["before", "adjusted", "on air", "overtime", "over", "two rounds", "none"])
def test_the_time_left_for_qa(page, run, left):
    assert _call(page, "qa-fit.js", "qaRemainingMs", run, 1_000_000) == left


@pytest.mark.parametrize(("left", "per", "count", "fit"), [
    (900_000, 180_000, 10, 5), (900_000, 180_000, 3, 3), (899_999, 180_000, 10, 4),
    (0, 180_000, 4, 0), (179_999, 180_000, 4, 0), (900_000, 60_000, 0, 0), (-60_000, 180_000, 4, 0)])
def test_how_many_questions_fit_in_the_time_left(page, left, per, count, fit):
    assert _call(page, "qa-fit.js", "questionsThatFit", left, per, count) == fit


@pytest.mark.parametrize(("ms", "text"), COUNTDOWN_TEXT)
def test_the_screens_countdown_text_follows_the_servers_table(page, ms, text):
    assert _call(page, "clock.js", "formatClock", ms) == text
