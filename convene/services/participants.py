"""The organisers' view of who registered: the list, its counts and its CSV export.

Every function checks that the actor organises the event, and loads people with their
registrations in a fixed number of queries, however many there are.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from .. import policy
from ..extensions import db
from ..models import Event, QuestionKind, Registration, RegistrationStatus, Sector, User
from .people import name_or_email_contains
from .rows import of_event
from .spreadsheets import write_csv
from .times import in_zone


@dataclass
class ParticipantFilters:
    status: str | None = None
    sector: str | None = None
    q: str | None = None


def matching(actor, event: Event, filters: ParticipantFilters):
    """A query of the event's registrations matching `filters`, joined to their people, for
    its organisers (PermissionDenied for anyone else): the list, its CSV and the API's."""
    policy.require_manage_event(actor, event)
    query = select(Registration).join(Registration.user).where(Registration.event_id == event.id)
    if filters.status in set(RegistrationStatus):
        query = query.where(Registration.status == RegistrationStatus(filters.status))
    if filters.sector in set(Sector):
        query = query.where(Registration.sector == Sector(filters.sector))
    needle = (filters.q or "").strip().lower()
    if needle:
        query = query.where(name_or_email_contains(needle))
    return query


def participants(actor, event: Event, filters: ParticipantFilters | None = None):
    """The event's registrations matching `filters`, people loaded with them, the waiting
    list in its order after everyone else, then by name."""
    query = matching(actor, event, filters or ParticipantFilters()).options(
        contains_eager(Registration.user), joinedload(Registration.member)
    )
    query = query.order_by(
        Registration.waitlist_position.is_not(None),
        Registration.waitlist_position,
        func.lower(User.name),
        Registration.id,
    )
    return db.session.scalars(query).unique().all()


def get_participant(actor, event: Event, registration_id: int) -> Registration:
    """A registration of this event (NotFound if it belongs to another event)."""
    policy.require_manage_event(actor, event)
    return of_event(Registration, registration_id, event, _l("No such registration."))


@dataclass
class Counts:
    by_status: dict[RegistrationStatus, int]
    by_sector: dict[Sector, dict[RegistrationStatus, int]]
    total: int


def counts(actor, event: Event) -> Counts:
    """Registrations per status, and per sector and status, in one query."""
    policy.require_manage_event(actor, event)
    rows = db.session.execute(
        select(Registration.sector, Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.sector, Registration.status)
    ).all()
    by_status: Counter = Counter()
    by_sector: dict[Sector, dict[RegistrationStatus, int]] = {}
    for sector, status, count in rows:
        by_status[status] += count
        by_sector.setdefault(sector, Counter())[status] += count
    return Counts(
        by_status={s: by_status[s] for s in RegistrationStatus},
        by_sector={s: dict(by_sector[s]) for s in Sector if s in by_sector},
        total=sum(by_status.values()),
    )


def _time(value: datetime | None, timezone: str) -> str:
    local = in_zone(value, timezone)
    return local.isoformat(timespec="minutes") if local else ""


def _answer(kind: QuestionKind, value) -> str:
    if kind is QuestionKind.CHECKBOX:
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


CSV_COLUMNS = (
    _l("Name"),
    _l("E-mail"),
    _l("Organisation"),
    _l("Member"),
    _l("Sector"),
    _l("Status"),
    _l("Waiting list position"),
    _l("Registered at"),
    _l("Confirmed at"),
    _l("Checked in at"),
    _l("Attendance"),
    _l("Accessibility needs"),
)


def export_csv(actor, event: Event, filters: ParticipantFilters | None = None) -> str:
    """The participant list as CSV: one row per registration, one column per question.

    Times are in the event's timezone with their offset; written as every export is
    (spreadsheets.write_csv: UTF-8 with a byte-order mark, formulas neutralised).
    """
    registrations = participants(actor, event, filters)
    questions = list(event.questions)
    rows = [
        [
            r.user.name,
            r.user.email,
            r.organisation,
            r.member.name if r.member else "",
            r.sector.value,
            r.status.value,
            r.waitlist_position or "",
            _time(r.created_at, event.timezone),
            _time(r.confirmed_at, event.timezone),
            _time(r.checked_in_at, event.timezone),
            r.attendance_mode.value if r.attendance_mode else "",
            r.accessibility_needs,
            *(_answer(q.kind, (r.answers or {}).get(str(q.id))) for q in questions),
        ]
        for r in registrations
    ]
    return write_csv((*CSV_COLUMNS, *(q.label for q in questions)), rows)
