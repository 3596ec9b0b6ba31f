"""Calls for leaders: writing one with its weighted criteria, opening, closing and marking
it decided, and the public lists of open calls (who may: policy.applications)."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ... import policy
from ...extensions import db
from ...models import (
    ApplicationStatus,
    CallCriterion,
    CallStatus,
    LeadershipApplication,
    LeadershipCall,
    Theme,
    utcnow,
)
from ...policy import Actor, actor_id
from .. import Checks, InvalidInput, NotFound, audit, content
from ..proposals.states import cannot_become
from ..validation import ONE_LINE_MESSAGE, is_one_line
from .states import IllegalTransition

CALL_LIMITS = {"title": 200, "description": 20_000, "who_may_apply": 5000}
CRITERION_LIMITS = {"title": 200, "description": 5000}
MAX_CRITERIA, MAX_WEIGHT = 20, 100
# Applications in these states still wait for a decision: a closed call with none is decided.
AWAITING_DECISION = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.CHANGES_REQUESTED}
)


@dataclass
class CriterionInput:
    title: str = ""
    description: str = ""
    weight: int | None = 1
    translations: dict | None = None  # {"fr": {"title": …, "description": …}}


@dataclass
class CallInput:
    """What an administrator types; texts are in `language`, translated in `translations`."""

    title: str = ""
    description: str = ""
    who_may_apply: str = ""
    theme_id: int | None = None
    programme_area: str | None = None
    individuals_welcome: bool = True
    opens_on: date | None = None
    closes_on: date | None = None
    term_starts_on: date | None = None
    term_ends_on: date | None = None
    criteria: list[CriterionInput] = field(default_factory=list)
    language: str = "en"
    translations: dict | None = None


def _text(checks: Checks, name: str, value: str | None, limit: int, required=None) -> str:
    value = (value or "").strip()
    if required and not value:
        checks.add(name, required)
    elif len(value) > limit:
        checks.add(name, _l("Keep this under %(n)d characters.", n=limit))
    return value


def _dates(checks: Checks, data: CallInput) -> None:
    for name in ("opens_on", "closes_on", "term_starts_on", "term_ends_on"):
        if getattr(data, name) is None:
            checks.add(name, _l("Give a date."))
    if data.opens_on and data.closes_on and data.closes_on <= data.opens_on:
        checks.add("closes_on", _l("The call must close after it opens."))
    if data.term_starts_on and data.term_ends_on and data.term_ends_on <= data.term_starts_on:
        checks.add("term_ends_on", _l("The term must end after it starts."))


def _within(prefix: str, check):
    """`check()`, its refusal's fields named under `prefix` ("criteria.0.translations.fr")."""
    try:
        return check()
    except InvalidInput as error:
        fields = {f"{prefix}.{key}": messages for key, messages in error.fields.items()}
        raise InvalidInput(error.message, fields) from None


def _criteria(checks: Checks, data: CallInput) -> list[CallCriterion]:
    if not data.criteria:
        checks.add("criteria", _l("Give at least one criterion."))
    if len(data.criteria) > MAX_CRITERIA:
        checks.add("criteria", _l("At most %(n)d criteria.", n=MAX_CRITERIA))
    made = []
    for position, criterion in enumerate(data.criteria):
        name = f"criteria.{position}"
        title = _text(
            checks, f"{name}.title", criterion.title, 200, _l("Give the criterion a title.")
        )
        description = _text(checks, f"{name}.description", criterion.description, 5000)
        weight = criterion.weight
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 < weight <= MAX_WEIGHT:
            checks.add(f"{name}.weight", _l("Give a whole number from 1 to %(n)d.", n=MAX_WEIGHT))
        checks.run(
            f"{name}.translations",
            lambda c=criterion, name=name: _within(
                name,
                lambda: content.clean_translations(data.language, c.translations, CRITERION_LIMITS),
            ),
        )
        made.append(
            CallCriterion(
                position=position,
                title=title,
                description=description,
                weight=weight,
                language=data.language,
                translations=checks.values.pop(f"{name}.translations", {}),
            )
        )
    return made


def clean_call(data: CallInput) -> dict:
    """The call's values and criteria from `data`; InvalidInput naming every field wrong."""
    checks = Checks()
    values = checks.values
    values["title"] = _text(checks, "title", data.title, 200, _l("Give the call a title."))
    if not is_one_line(values["title"]):
        checks.add("title", ONE_LINE_MESSAGE)
    values["description"] = _text(checks, "description", data.description, 20_000)
    values["who_may_apply"] = _text(checks, "who_may_apply", data.who_may_apply, 5000)
    area = _text(checks, "programme_area", data.programme_area, 200)
    values["programme_area"] = area or None
    if data.theme_id is not None and db.session.get(Theme, data.theme_id) is None:
        checks.add("theme_id", _l("Unknown theme."))
    elif data.theme_id is None and not area:
        checks.add("theme_id", _l("Choose a theme or name a programme area."))
    values["theme_id"] = data.theme_id
    values["individuals_welcome"] = bool(data.individuals_welcome)
    _dates(checks, data)
    for name in ("opens_on", "closes_on", "term_starts_on", "term_ends_on"):
        values[name] = getattr(data, name)
    values["language"] = data.language
    checks.run(
        "translations",
        lambda: content.clean_translations(data.language, data.translations, CALL_LIMITS),
    )
    values["criteria"] = _criteria(checks, data)
    return checks.done()


# The columns an administrator writes, for the audit log's "what changed".
WRITTEN = (
    "title",
    "description",
    "who_may_apply",
    "theme_id",
    "programme_area",
    "individuals_welcome",
    "opens_on",
    "closes_on",
    "term_starts_on",
    "term_ends_on",
    "language",
    "translations",
)


def create_call(actor: Actor, data: CallInput) -> LeadershipCall:
    """A new draft call with its criteria, in their order; nothing is written on a refusal."""
    policy.require_manage_calls(actor)
    values = clean_call(data)
    criteria = values.pop("criteria")
    call = LeadershipCall(status=CallStatus.DRAFT, created_by_id=actor_id(actor), **values)
    call.criteria = criteria
    db.session.add(call)
    db.session.flush()
    summary = f"created the call “{call.title}”"
    audit.record(actor, "leadership_call.created", "leadership_call", call.id, summary)
    return call


def update_call(actor: Actor, call: LeadershipCall, data: CallInput) -> LeadershipCall:
    """Change a draft or open call. An open call's criteria stay as they are (applicants
    answered them): changing their number, titles or weights is refused."""
    policy.require_manage_calls(actor)
    if call.status not in (CallStatus.DRAFT, CallStatus.OPEN):
        raise IllegalTransition(str(_l("Only a draft or an open call can be changed.")))
    values = clean_call(data)
    criteria = values.pop("criteria")
    if call.status is CallStatus.OPEN and _shape(criteria) != _shape(call.criteria):
        raise IllegalTransition(
            str(_l("The criteria of an open call cannot change: applicants answered them."))
        )
    before = audit.snapshot(call, WRITTEN)
    for name, value in values.items():
        setattr(call, name, value)
    if call.status is CallStatus.DRAFT:
        call.criteria = criteria
    else:
        # Same criteria: only their descriptions and translations may be reworded.
        for old, new in zip(call.criteria, criteria, strict=True):
            old.description, old.translations = new.description, new.translations
    if changed := audit.changes(before, call):
        summary = f"changed the call “{call.title}”"
        audit.record(actor, "leadership_call.changed", "leadership_call", call.id, summary, changed)
    return call


def _shape(criteria) -> list[tuple[str, int]]:
    return [(criterion.title, criterion.weight) for criterion in criteria]


def _move(actor: Actor | None, call: LeadershipCall, allowed: set, new: CallStatus) -> None:
    if call.status not in allowed:
        message = _l("A call that is %(status)s cannot become %(new)s.")
        raise cannot_become(message, call.status, new)
    old, call.status = call.status, new
    summary = f"{new.value} the call “{call.title}”"
    details = {"from": old, "to": new}
    action = f"leadership_call.{new.value}"
    audit.record(actor, action, "leadership_call", call.id, summary, details)


def open_call(actor: Actor, call: LeadershipCall) -> None:
    """draft → open, once it has criteria and its closing day is not past."""
    policy.require_manage_calls(actor)
    if call.status is CallStatus.DRAFT:
        checks = Checks()
        if not call.criteria:
            checks.add("criteria", _l("Give at least one criterion."))
        if call.closes_on < utcnow().date():
            checks.add("closes_on", _l("The closing day is past: choose a later one first."))
        checks.done(_l("The call is not ready to open."))
    _move(actor, call, {CallStatus.DRAFT}, CallStatus.OPEN)


def close_call(actor: Actor, call: LeadershipCall) -> None:
    """open → closed: no application may start or be submitted any more."""
    policy.require_manage_calls(actor)
    _move(actor, call, {CallStatus.OPEN}, CallStatus.CLOSED)


def mark_decided_if_done(call: LeadershipCall, actor: Actor | None = None) -> bool:
    """closed → decided once no application of it awaits a decision; True if it moved.

    The decision calls it after each decision, withdrawal calls it too; an open call
    stays open (applications may still come)."""
    if call.status is not CallStatus.CLOSED:
        return False
    db.session.flush()
    waiting = db.session.scalar(
        select(func.count(LeadershipApplication.id)).where(
            LeadershipApplication.call_id == call.id,
            LeadershipApplication.status.in_(AWAITING_DECISION),
        )
    )
    if waiting:
        return False
    _move(actor, call, {CallStatus.CLOSED}, CallStatus.DECIDED)
    call.decided_at = utcnow()
    return True


def accepts_applications(call: LeadershipCall, today: date | None = None) -> bool:
    """The call is open and its closing day is not past: applications start and are submitted."""
    today = today or utcnow().date()
    return call.status is CallStatus.OPEN and call.closes_on >= today


def get_call(actor: Actor | None, call_id: int) -> LeadershipCall:
    """The call, if `actor` may see it (a draft: administrators only); NotFound otherwise."""
    call = db.session.get(LeadershipCall, call_id)
    if call is None or not policy.can_see_call(actor, call):
        raise NotFound(str(_l("No such call.")))
    return call


def _public_calls(*conditions) -> list[LeadershipCall]:
    query = (
        select(LeadershipCall)
        .where(LeadershipCall.status == CallStatus.OPEN)
        .where(LeadershipCall.closes_on >= utcnow().date())
        .where(*conditions)
        .options(selectinload(LeadershipCall.criteria), selectinload(LeadershipCall.theme))
        .order_by(LeadershipCall.closes_on, LeadershipCall.id)
    )
    return list(db.session.scalars(query))


def open_calls() -> list[LeadershipCall]:
    """Calls taking applications today, closing soonest first, with their criteria and
    theme (two queries more, whatever their number)."""
    return _public_calls()


def calls_for_theme(theme: Theme) -> list[LeadershipCall]:
    """The theme's calls taking applications today, as open_calls."""
    return _public_calls(LeadershipCall.theme_id == theme.id)


def refuse_unless_accepting(call: LeadershipCall) -> None:
    """IllegalTransition unless the call takes applications today."""
    if not accepts_applications(call):
        raise IllegalTransition(str(_l("This call is not taking applications.")))
