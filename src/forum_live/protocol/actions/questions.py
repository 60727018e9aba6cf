"""Audience questions: phones ask, upvote, withdraw and look for similar questions; consoles
moderate, edit, merge, queue and spotlight."""
from flask import current_app

from ...domain.errors import ForumError
from ...domain.questions import PUBLIC_STATUSES
from ...services import questions, similar
from ...services.screening import screen_text
from ...services.views import mine_question
from ..messages import QUESTIONS, RUN, SCENE
from ..outcome import Outcome
from ..ratelimit import rate_limits


def _admit(kind: str, conn):
    """A callable that counts one ``kind`` action of this phone against its rate limits."""
    return lambda: rate_limits(current_app).admit(kind, conn.device_id, conn.ip)


def _screen(text: str) -> str | None:
    return screen_text(text, current_app.config["FORUM_LIVE_PROFANITY_LANGUAGES"])


def on_question_submit(session, event, data, conn, now):
    """Phone -> server ``question:submit``: a new question (pending under pre-moderation).
    A resend with the same client_id is acked with the first question and changes nothing."""
    question, created = questions.submit_question(
        session, event, conn.device_id, data.client_id, data.text, data.name, data.panelist_id, now,
        theme=data.theme, screen=_screen, admit=_admit("questions", conn))
    hidden = question.status not in PUBLIC_STATUSES
    return Outcome(ack={"question": mine_question(question), "duplicate": not created},
                   parts={QUESTIONS} if created else set(), devices={conn.device_id} if created else set(),
                   moderators_only={QUESTIONS} if hidden else set())


def on_question_upvote(session, event, data, conn, now):
    """Phone -> server ``question:upvote``: set this device's upvote on (or off); idempotent."""
    target_id, changed = questions.set_upvote(session, event, conn.device_id, data.question_id, data.on, now,
                                              admit=_admit("votes", conn))
    votes = questions.question_votes(session, target_id)
    return Outcome(ack={"question_id": data.question_id, "counted_for": target_id, "on": data.on,
                        "duplicate": not changed, "client_id": data.client_id, "votes": votes},
                   parts={QUESTIONS} if changed else set(), coalesce={QUESTIONS},
                   mine_patches={conn.device_id: {"votes": {str(target_id): data.on}}} if changed else {})


def on_question_withdraw(session, event, data, conn, now):
    """Phone -> server ``question:withdraw``: the asker takes back their own question."""
    question = questions.withdraw_question(session, event, conn.device_id, data.question_id, now)
    return Outcome(ack={"question": mine_question(question)}, parts={QUESTIONS, SCENE}, devices={conn.device_id})


def on_question_similar(session, event, data, conn, now):
    """Phone -> server ``question:similar``: shown questions like the text being typed."""
    if len(data.text.strip()) < similar.MIN_CHARS:
        return Outcome(ack={"items": []})
    _admit("similar", conn)()
    return Outcome(ack={"items": similar.similar_public(session, event, data.text)})


def on_question_moderate(session, event, data, conn, now):
    """Console -> server ``question:moderate``: approve, reject, archive, or mark answered (by)."""
    question = questions.moderate_question(session, event, data.question_id, data.action, now,
                                           answered_by=data.answered_by)
    return Outcome(parts={QUESTIONS, SCENE}, devices={question.device_id})


def on_question_edit(session, event, data, conn, now):
    """Console -> server ``question:edit``: correct a question's text; the original is logged."""
    question = questions.edit_question(session, event, data.question_id, data.text, now)
    hidden = question.status not in PUBLIC_STATUSES
    return Outcome(ack={"text": question.text}, parts={QUESTIONS}, devices={question.device_id},
                   moderators_only={QUESTIONS} if hidden else set())


def on_question_merge(session, event, data, conn, now):
    """Console -> server ``question:merge``: merge a question into another (votes united); each
    device whose own part changed (the asker, the source's voters, earlier merges' askers) gets
    its ``mine``."""
    changed = questions.merge_questions(session, event, data.question_id, data.into_id, now)
    return Outcome(parts={QUESTIONS, SCENE}, devices=changed)


def on_question_candidates(session, event, data, conn, now):
    """Console -> server ``question:candidates``: questions similar to one, to merge with."""
    question = questions.get_question(session, event, data.question_id)
    return Outcome(ack={"items": similar.merge_candidates(session, event, question)})


def on_question_queue(session, event, data, conn, now):
    """Console -> server ``question:queue``: put a question in the up-next queue, move it, or
    take it out (position null)."""
    questions.queue_question(session, event, data.question_id, data.position)
    return Outcome(parts={QUESTIONS}, moderators_only={QUESTIONS})


def on_question_next(session, event, data, conn, now):
    """Console -> server ``question:next``: spotlight the first question of the up-next queue."""
    question = questions.highlight_next(session, event)
    return Outcome(ack={"question_id": question.id}, parts={QUESTIONS, SCENE})


def on_question_highlight(session, event, data, conn, now):
    """Console -> server ``question:highlight``: spotlight a question on the projector (or clear)."""
    questions.highlight_question(session, event, data.question_id)
    return Outcome(parts={QUESTIONS, SCENE})


def on_questions_settings(session, event, data, conn, now):
    """Console -> server ``questions:settings``: pre-moderation on/off, time per question."""
    if data.premoderation is None and data.ms_per_question is None:
        raise ForumError("invalid_payload", "Send premoderation, ms_per_question or both.")
    questions.update_settings(session, event, data.premoderation, data.ms_per_question)
    return Outcome(parts={QUESTIONS})


def on_questions_follow_up(session, event, data, conn, now):
    """Console -> server ``questions:follow-up``: after the end of the show, keep the audience's
    questions open for follow-up, or close them (``run.questions_open`` tells the phones)."""
    questions.keep_open_after_end(session, event, data.open)
    return Outcome(parts={RUN})
