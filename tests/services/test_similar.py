"""Similar-question matching: the threshold measured on the labelled pairs in tests/data/."""
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from forum_live.services import questions as qs
from forum_live.services import similar
from forum_live.services.similar import SIMILAR_THRESHOLD, similarity

DATA = Path(__file__).parents[1] / "data" / "similar_questions.csv"
PAIRS = list(csv.DictReader(io.StringIO(DATA.read_text(encoding="utf-8"))))
NOW = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)


def scores(threshold):
    tp = fp = fn = 0
    for row in PAIRS:
        hit = similarity(row["a"], row["b"]) >= threshold
        tp += hit and row["similar"] == "1"
        fp += hit and row["similar"] == "0"
        fn += (not hit) and row["similar"] == "1"
    return tp, fp, fn


def f1(threshold):
    tp, fp, fn = scores(threshold)
    return 2 * tp / (2 * tp + fp + fn)


def test_the_labelled_set_is_big_and_mixed_enough():
    assert len(PAIRS) >= 30
    kinds = {row["kind"] for row in PAIRS}
    assert sum(row["similar"] == "1" for row in PAIRS) >= 15 and sum(row["similar"] == "0" for row in PAIRS) >= 15
    assert {"paraphrase", "same theme"} <= kinds


def test_threshold_keeps_precision_and_recall_on_the_labelled_set():
    tp, fp, fn = scores(SIMILAR_THRESHOLD)
    assert tp / (tp + fp) >= 0.9, (tp, fp)
    assert tp / (tp + fn) >= 0.85, (tp, fn)


def test_threshold_is_within_the_best_f1_range_of_the_set():
    best = max(f1(t / 2) for t in range(100, 201))     # every threshold from 50 to 100 by 0.5
    assert f1(SIMILAR_THRESHOLD) >= best - 0.02


@pytest.mark.parametrize(("a", "b"), [(r["a"], r["b"]) for r in PAIRS if r["kind"] == "same theme"])
def test_unrelated_questions_on_one_theme_are_not_suggested(a, b):
    assert similarity(a, b) < SIMILAR_THRESHOLD


def test_similar_public_offers_only_shown_questions_best_first(session, event):
    made = []
    for n, text in enumerate(["What role does the private sector play in South-South cooperation?",
                              "What is the private sector's role in South-South cooperation?",
                              "How is the a2i innovation network funded?"]):
        q, _ = qs.submit_question(session, event, "dev", f"client-{n:04d}", text, None, None, NOW)
        made.append(q)
    for q in made[1:]:
        qs.moderate_question(session, event, q.id, "approve", NOW)
    found = similar.similar_public(session, event, "What is the role of the private sector in South-South cooperation?")
    assert [f["id"] for f in found] == [made[1].id]           # the pending twin is not shown to phones
    candidates = similar.merge_candidates(session, event, made[1])
    assert [c["id"] for c in candidates] == [made[0].id]      # the moderator sees the pending one
    assert similar.similar_public(session, event, "short") == []
