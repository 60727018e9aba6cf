"""Audience questions: phones ask and upvote; consoles moderate and spotlight."""
from ..domain.clock import to_ms
from ..services import questions
from . import schemas
from .broadcast import QUESTIONS, SCENE
from .handling import Outcome, action


@action(schemas.QuestionSubmit)
def on_question_submit(session, event, data, conn, now):
    """Phone -> server ``question:submit``: a new question, pending moderation."""
    question, created = questions.submit_question(session, event, conn.device_id, data.client_id, data.text,
                                                  data.name, data.panelist_id, now)
    mine = {"id": question.id, "client_id": question.client_id, "text": question.text,
            "status": question.status, "created_ms": to_ms(question.created_at)}
    return Outcome(ack={"question": mine, "duplicate": not created}, parts={QUESTIONS} if created else set(),
                   devices={conn.device_id} if created else set())


@action(schemas.QuestionUpvote)
def on_question_upvote(session, event, data, conn, now):
    """Phone -> server ``question:upvote``: give or withdraw this device's upvote."""
    changed = questions.set_upvote(session, event, conn.device_id, data.question_id, data.on, now)
    return Outcome(ack={"question_id": data.question_id, "on": data.on},
                   parts={QUESTIONS} if changed else set(), devices={conn.device_id} if changed else set(),
                   coalesce={QUESTIONS})


@action(schemas.QuestionModerate)
def on_question_moderate(session, event, data, conn, now):
    """Console -> server ``question:moderate``: approve, reject or mark answered."""
    question = questions.moderate_question(session, event, data.question_id, data.action, now)
    return Outcome(parts={QUESTIONS, SCENE}, devices={question.device_id})


@action(schemas.QuestionHighlight)
def on_question_highlight(session, event, data, conn, now):
    """Console -> server ``question:highlight``: spotlight a question on the projector (or clear)."""
    questions.highlight_question(session, event, data.question_id)
    return Outcome(parts={QUESTIONS, SCENE})


AUDIENCE = {"question:submit": on_question_submit, "question:upvote": on_question_upvote}
MODERATOR = {"question:moderate": on_question_moderate, "question:highlight": on_question_highlight}
