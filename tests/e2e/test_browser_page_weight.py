"""Page weight (issue 15): an English phone's first load stays under 150 KB gzipped, and a phone
fetches only the font faces its text needs (bench/page_weight.py measures; docs/benchmarks.md)."""
from bench.page_weight import SAMPLES, fonts_of, measure, seed
from support.server import TOKEN

BUDGET_EN_GZIP = 150_000  # bytes: issue 15


def test_an_english_phone_loads_under_150_kb_and_each_script_only_its_own_faces(browser, live_server):
    seed(live_server.url, TOKEN, {"en": SAMPLES["en"]})
    en = measure(browser, live_server.url, "en")
    assert en["gzip"] < BUDGET_EN_GZIP, en
    assert fonts_of(en) and all(f.startswith("noto-sans-latin") for f in fonts_of(en)), fonts_of(en)

    seed(live_server.url, TOKEN, {"th": SAMPLES["th"], "zh": SAMPLES["zh"]})
    both = measure(browser, live_server.url, "th")
    fonts = fonts_of(both)
    assert any(f.startswith("noto-sans-thai-thai-") for f in fonts), fonts
    assert any(f.startswith("noto-sans-sc-") for f in fonts), fonts  # the Chinese questions on the wall
    assert not any("arabic" in f or "emoji" in f for f in fonts), fonts
