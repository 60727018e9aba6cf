"""Similar questions: suggestions while a phone types, and merge candidates for the moderator.

Similarity is rapidfuzz's ``token_sort_ratio`` (0-100) on text lower-cased with punctuation
removed (``rapidfuzz.utils.default_process``): word order and punctuation do not matter, typos
cost little. The threshold was chosen on the labelled pairs in tests/data/similar_questions.csv
(paraphrases, reorderings, typos, Chinese/Thai/Arabic pairs, and unrelated questions on the
same theme). On that set F1 peaks at 0.91 for a threshold of 79.5 (precision 1.0, recall
0.83), a knife edge: a negative pair scores 79.1. 73.5 sits in the widest gap between a
negative (72.5) and a positive (74.6) pair and gives F1 0.89 (precision 0.91, recall 0.88):
a suggestion that is not a duplicate costs a glance, a missed one costs a duplicate on the
wall. tests/services/test_similar.py checks precision, recall and F1 on that set.
"""
from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import questions as rules
from ..persistence.models import Event, Question
from .questions import vote_counts

SIMILAR_THRESHOLD = 73.5
#: Texts shorter than this (characters, after trimming) are not matched: too little to go on.
MIN_CHARS = 12


def similarity(a: str, b: str) -> float:
    """Similarity of two question texts, 0 (nothing alike) to 100 (same words)."""
    return fuzz.token_sort_ratio(a, b, processor=utils.default_process)


def _best(text: str, candidates: list[Question], limit: int, threshold: float) -> list[tuple[Question, float]]:
    if len(text.strip()) < MIN_CHARS or not candidates:
        return []
    found = process.extract(text, [q.text for q in candidates], scorer=fuzz.token_sort_ratio,
                            processor=utils.default_process, limit=limit, score_cutoff=threshold)
    return [(candidates[index], score) for _, score, index in found]


def similar_public(session: Session, event: Event, text: str, limit: int = 3,
                   threshold: float = SIMILAR_THRESHOLD) -> list[dict]:
    """Shown questions (approved, answered) similar to ``text``, best first, for a phone:
    ``[{"id", "text", "votes", "status", "score"}]`` (score 0-100)."""
    shown = list(session.scalars(select(Question).where(
        Question.event_id == event.id, Question.status.in_(rules.PUBLIC_STATUSES))))
    counts = vote_counts(session, event)
    return [{"id": q.id, "text": q.text, "votes": counts.get(q.id, 0), "status": q.status, "score": round(score)}
            for q, score in _best(text, shown, limit, threshold)]


def merge_candidates(session: Session, event: Event, question: Question, limit: int = 5,
                     threshold: float = SIMILAR_THRESHOLD) -> list[dict]:
    """Questions ``question`` could be merged with (pending, approved or answered, not itself),
    best first: ``[{"id", "text", "status", "votes", "score"}]``."""
    others = list(session.scalars(select(Question).where(
        Question.event_id == event.id, Question.id != question.id,
        Question.status.in_(rules.MERGEABLE_INTO))))
    counts = vote_counts(session, event)
    return [{"id": q.id, "text": q.text, "status": q.status, "votes": counts.get(q.id, 0), "score": round(score)}
            for q, score in _best(question.text, others, limit, threshold)]
