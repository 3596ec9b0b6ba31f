"""The questions an event asks the people who register."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ... import policy
from ...models import Event, EventQuestion, QuestionKind
from ...policy import Actor
from .. import InvalidInput, audit
from .lifecycle import require_open


@dataclass
class QuestionInput:
    kind: str
    label: str
    options: list[str] = field(default_factory=list)
    required: bool = False
    id: int | None = None


def save_questions(actor: Actor, event: Event, questions: list[QuestionInput]) -> None:
    """Replace the event's questions; kept ids keep their answers."""
    policy.require_manage_event(actor, event)
    require_open(event)
    errors: dict[str, list[str]] = {}
    existing = {q.id: q for q in event.questions}
    keep = []
    for position, data in enumerate(questions):
        name = f"questions.{position}"
        try:
            kind = QuestionKind(data.kind)
        except ValueError:
            errors[name] = [str(_l("Unknown kind of question."))]
            continue
        label = (data.label or "").strip()
        options = [o.strip() for o in data.options or [] if o and o.strip()]
        if not label or len(label) > 300:
            errors[name] = [str(_l("Give the question (at most 300 characters)."))]
        elif (
            kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and len(options) < 2
        ):
            errors[name] = [str(_l("Give at least two options."))]
        elif len(options) > 50 or any(len(o) > 200 for o in options):
            errors[name] = [str(_l("At most 50 options of 200 characters each."))]
        if data.id is not None and data.id not in existing:
            errors[name] = [str(_l("Unknown question."))]
        question = existing.get(data.id) or EventQuestion()
        question.kind, question.label, question.options = kind, label, options
        question.required, question.position = bool(data.required), position
        keep.append(question)
    if errors:
        raise InvalidInput(str(_l("Please correct the questions.")), errors)
    event.questions = keep
    summary = f"saved the registration questions of “{event.title}”"
    audit.record(
        actor, "event.questions_saved", "event", event.id, summary, {"questions": len(keep)}
    )
