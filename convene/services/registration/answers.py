"""Answers to the organisers' questions: what counts as an answer, and what a required
question needs."""

from flask_babel import lazy_gettext as _l

from ...models import Event, EventQuestion, QuestionKind, Registration
from .. import InvalidInput

MAX_ANSWER = 5000


def _ticked(value) -> bool:
    return bool(value) and value not in ("false", "0", "off")


def _chosen(value) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else ([value] if value else []))]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _unanswered(question: EventQuestion, value) -> str | None:
    """Why a required question's `value` is no answer, or None when it is one."""
    if question.kind is QuestionKind.CHECKBOX:
        return None if _ticked(value) else str(_l("Please tick this box."))
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        return None if _chosen(value) else str(_l("Choose at least one option."))
    return None if _text(value) else str(_l("This answer is required."))


def missing_answers(event: Event, answers: dict | None) -> dict[str, list[str]]:
    """A field error ("answers.<id>") for each required question of `event` that `answers`
    leaves unanswered: the one rule every way of registering goes through."""
    given = {str(key): value for key, value in (answers or {}).items()}
    errors = {}
    for question in event.questions:
        why = _unanswered(question, given.get(str(question.id))) if question.required else None
        if why:
            errors[f"answers.{question.id}"] = [why]
    return errors


def answers_asked(registration: Registration) -> bool:
    """Whether confirming the address must ask for answers: a required question is left
    unanswered (the person was registered by a delegation, or it became required since)."""
    return bool(missing_answers(registration.event, registration.answers))


def clean_answers(
    event: Event, answers: dict, required: bool = True
) -> tuple[dict, dict[str, list[str]]]:
    """`answers` as stored for `event`'s questions, and a field error for each wrong answer
    (and, when `required`, for each required question left unanswered)."""
    cleaned: dict[str, object] = {}
    # A wrong answer says what is wrong with it rather than that it is missing.
    errors: dict[str, list[str]] = missing_answers(event, answers) if required else {}
    given = {str(key): value for key, value in (answers or {}).items()}
    known = {str(q.id) for q in event.questions}
    for key in set(given) - known:
        errors[f"answers.{key}"] = [str(_l("There is no such question."))]
    for question in event.questions:
        key, value = str(question.id), given.get(str(question.id))
        name = f"answers.{key}"
        if question.kind is QuestionKind.CHECKBOX:
            cleaned[key] = _ticked(value)
            continue
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            values = _chosen(value)
            if any(v not in question.options for v in values):
                errors[name] = [str(_l("Choose among the options given."))]
            cleaned[key] = values
            continue
        text = _text(value)
        limit = MAX_ANSWER if question.kind is QuestionKind.LONG_TEXT else 300
        if question.kind is QuestionKind.SINGLE_CHOICE and text and text not in question.options:
            errors[name] = [str(_l("Choose among the options given."))]
        elif len(text) > limit:
            errors[name] = [str(_l("Keep this under %(n)d characters.", n=limit))]
        cleaned[key] = text
    return cleaned, errors


def require_answers(registration: Registration) -> None:
    """InvalidInput naming each required question the registration leaves unanswered."""
    errors = missing_answers(registration.event, registration.answers)
    if errors:
        message = str(_l("Please answer the organisers' required questions."))
        raise InvalidInput(message, errors)
