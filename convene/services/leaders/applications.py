"""Applications to a call: starting one, its name and summary, a statement per criterion,
the activities it plans, and submitting or withdrawing it (who may: policy.applications;
the group's people: groups)."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from ... import policy
from ...extensions import db
from ...models import (
    ActivityKind,
    ApplicationStatus,
    CallStatus,
    CriterionStatement,
    LeadershipApplication,
    LeadershipCall,
    ParticipantStatus,
    PlannedActivity,
    User,
)
from ...policy import Actor
from .. import Checks, InvalidInput, NotFound, audit
from ..rows import found
from ..validation import is_one_line
from .calls import mark_decided_if_done, refuse_unless_accepting
from .groups import rule_met
from .states import OPEN, IllegalTransition, lock, log, record, require_editable, transition

MAX_NAME, MAX_SUMMARY, MAX_STATEMENT, MAX_ACTIVITIES = 200, 5000, 10_000, 30


def get_application(actor: Actor | None, application_id: int) -> LeadershipApplication:
    """The application, if `actor` may see it (policy.can_see_application); NotFound
    otherwise, so ids reveal nothing."""
    application = db.session.get(LeadershipApplication, application_id)
    if application is None or not policy.can_see_application(actor, application):
        raise NotFound(str(_l("No such application.")))
    return application


@dataclass
class ApplicationInput:
    name: str = ""
    summary: str = ""


def _clean(data: ApplicationInput) -> dict:
    checks = Checks()
    name = (data.name or "").strip()
    if not name:
        checks.add("name", _l("Give the group a name."))
    elif len(name) > MAX_NAME or not is_one_line(name):
        checks.add("name", _l("One line, at most %(n)d characters.", n=MAX_NAME))
    summary = (data.summary or "").strip()
    if len(summary) > MAX_SUMMARY:
        checks.add("summary", _l("Keep this under %(n)d characters.", n=MAX_SUMMARY))
    checks.done()
    return {"name": name, "summary": summary}


def start_application(
    actor: User, call: LeadershipCall, data: ApplicationInput
) -> LeadershipApplication:
    """A new draft by a signed-in person, to a call taking applications today."""
    policy.require_apply(actor)
    if not policy.can_see_call(actor, call):
        raise NotFound(str(_l("No such call.")))
    refuse_unless_accepting(call)
    values = _clean(data)
    application = LeadershipApplication(
        call=call, created_by_id=actor.id, status=ApplicationStatus.DRAFT, **values
    )
    db.session.add(application)
    record(application, actor, None, ApplicationStatus.DRAFT)
    db.session.flush()
    log(actor, application, "started", f"started the application “{application.name}”")
    return application


def update_application(
    actor: User, application: LeadershipApplication, data: ApplicationInput
) -> None:
    """Change the group's name and summary while it is a draft or sent back for changes."""
    require_editable(actor, application)
    values = _clean(data)
    before = audit.snapshot(application, ("name", "summary"))
    application.name, application.summary = values["name"], values["summary"]
    if changed := audit.changes(before, application):
        log(actor, application, "changed", f"changed “{application.name}”", changed)


def save_statements(actor: User, application: LeadershipApplication, texts: dict[int, str]) -> None:
    """Set the group's statement on each criterion named (by id); an empty text removes it.
    Criteria of another call are refused."""
    require_editable(actor, application)
    criteria = {criterion.id: criterion for criterion in application.call.criteria}
    checks = Checks()
    for criterion_id, text in texts.items():
        name = f"statements.{criterion_id}"
        if criterion_id not in criteria:
            checks.add(name, _l("Unknown criterion."))
        elif len((text or "").strip()) > MAX_STATEMENT:
            checks.add(name, _l("Keep this under %(n)d characters.", n=MAX_STATEMENT))
    checks.done()
    existing = {statement.criterion_id: statement for statement in application.statements}
    for criterion_id, text in texts.items():
        text = (text or "").strip()
        statement = existing.get(criterion_id)
        if statement is not None and not text:
            application.statements.remove(statement)
        elif statement is not None:
            statement.text = text
        elif text:
            application.statements.append(CriterionStatement(criterion_id=criterion_id, text=text))
    log(actor, application, "statements", f"wrote statements of “{application.name}”")


@dataclass
class ActivityInput:
    kind: str | None = None  # "event" | "commitment"
    title: str = ""
    description: str = ""
    planned_for: date | None = None


def add_activity(
    actor: User, application: LeadershipApplication, data: ActivityInput
) -> PlannedActivity:
    """Add an event the group will host or a commitment it will champion, within the term."""
    require_editable(actor, application)
    checks = Checks()
    if data.kind not in ActivityKind._value2member_map_:
        checks.add("kind", _l("Choose an event or a commitment."))
    title = (data.title or "").strip()
    if not title or len(title) > 200 or not is_one_line(title):
        checks.add("title", _l("Give a title, on one line (at most 200 characters)."))
    description = (data.description or "").strip()
    if len(description) > MAX_SUMMARY:
        checks.add("description", _l("Keep this under %(n)d characters.", n=MAX_SUMMARY))
    call = application.call
    if data.planned_for and not call.term_starts_on <= data.planned_for <= call.term_ends_on:
        checks.add("planned_for", _l("Choose a day within the leaders' term."))
    if len(application.activities) >= MAX_ACTIVITIES:
        checks.add("kind", _l("At most %(n)d activities.", n=MAX_ACTIVITIES))
    checks.done()
    activity = PlannedActivity(
        kind=ActivityKind(data.kind),
        title=title,
        description=description,
        planned_for=data.planned_for,
        position=len(application.activities),
    )
    application.activities.append(activity)
    log(actor, application, "activity_added", f"planned “{title}” in “{application.name}”")
    return activity


def remove_activity(actor: User, application: LeadershipApplication, activity_id: int) -> None:
    require_editable(actor, application)
    activities = (a for a in application.activities if a.id == activity_id)
    activity = found(next(activities, None), _l("No such activity in this application."))
    application.activities.remove(activity)
    log(actor, application, "activity_removed", f"removed “{activity.title}”")


def submission_problems(application: LeadershipApplication) -> dict[str, list[str]]:
    """Everything the application still lacks before it can be submitted, per field."""
    problems: dict[str, list[str]] = {}
    written = {s.criterion_id for s in application.statements if s.text.strip()}
    for criterion in application.call.criteria:
        if criterion.id not in written:
            problems[f"statements.{criterion.id}"] = [str(_l("Say how the group meets this."))]
    if any(p.status is ParticipantStatus.INVITED for p in application.people):
        problems["people"] = [
            str(_l("Every member asked must confirm, or be taken out of the group."))
        ]
    if not rule_met(application):
        problems["multi_stakeholder"] = [
            str(
                _l(
                    "The group must include at least one government (or official) and at "
                    "least one civil-society organisation (or activist) taking part."
                )
            )
        ]
    return problems


def submit(actor: User, application: LeadershipApplication, comment: str = "") -> None:
    """draft or changes_requested → submitted, once complete: a draft while the call takes
    applications, a resubmission until the call is decided; a resubmission opens a new
    round (states.transition raises it)."""
    lock(application)
    require_editable(actor, application)
    if application.status is ApplicationStatus.DRAFT:
        refuse_unless_accepting(application.call)
    elif application.call.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        # Changes are requested in review, often after the call closed: the group may
        # answer them until the call is decided.
        raise IllegalTransition(str(_l("This call is decided.")))
    if problems := submission_problems(application):
        raise InvalidInput(str(_l("The application is not complete yet.")), problems)
    transition(
        application, actor, policy.EDITABLE_APPLICATION, ApplicationStatus.SUBMITTED, comment
    )


def withdraw(actor: User, application: LeadershipApplication, comment: str = "") -> None:
    """Any open state → withdrawn; the call may then be decided (mark_decided_if_done)."""
    lock(application)
    policy.require_withdraw_application(actor, application)
    transition(application, actor, OPEN, ApplicationStatus.WITHDRAWN, comment)
    mark_decided_if_done(application.call)
