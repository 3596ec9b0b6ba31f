"""Follow-up dashboards: where the commitments of an event, a theme, a member or the whole
partnership stand, by self-reported and assessed status, overdue, and over time."""

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Commitment, CommitmentStatus, Event, EventStatus, Member, Theme, utcnow
from .followup import differs, overdue, self_reported

# A chart of more months than this stops being readable; older months fall off the left.
MONTHS_SHOWN = 24


@dataclass
class StatusRow:
    status: CommitmentStatus
    self_count: int
    self_share: float
    assessed_count: int
    assessed_share: float


@dataclass
class MonthPoint:
    month: date  # the first day of the month
    total: int  # commitments made by the end of that month
    completed_self: int
    completed_assessed: int


@dataclass
class GroupRow:
    """One member's or one theme's line in a breakdown table."""

    key: object  # the Member or Theme
    total: int = 0
    completed: int = 0
    overdue: int = 0
    differs: int = 0


@dataclass
class Dashboard:
    commitments: list[Commitment]
    statuses: list[StatusRow]
    assessed_total: int
    overdue: list[Commitment]
    differing: int
    over_time: list[MonthPoint]
    by_member: list[GroupRow] = field(default_factory=list)
    by_theme: list[GroupRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.commitments)

    @property
    def completed(self) -> int:
        return next(r.self_count for r in self.statuses if r.status is CommitmentStatus.COMPLETED)


def _loaded(query) -> list[Commitment]:
    """Approved commitments with everything a dashboard reads, in a fixed number of queries."""
    return db.session.scalars(
        query.where(Commitment.approved_at.is_not(None))
        .options(
            selectinload(Commitment.updates),
            selectinload(Commitment.assessments),
            selectinload(Commitment.member),
            selectinload(Commitment.event),
            selectinload(Commitment.themes),
        )
        .order_by(Commitment.due_date, Commitment.id)
    ).all()


def for_event(event: Event, today: date | None = None) -> Dashboard:
    return build(_loaded(select(Commitment).where(Commitment.event_id == event.id)), today)


def _public():
    """Commitments of events the public can see: a draft event's stay with its organisers."""
    return select(Commitment).join(Commitment.event).where(Event.status != EventStatus.DRAFT)


def for_member(member: Member, today: date | None = None) -> Dashboard:
    return build(_loaded(_public().where(Commitment.member_id == member.id)), today)


def for_theme(theme: Theme, today: date | None = None) -> Dashboard:
    """A theme's commitments, its sub-themes' included (as the events list does)."""
    ids = [theme.id, *(child.id for child in theme.children)]
    query = _public().where(Commitment.themes.any(Theme.id.in_(ids)))
    return build(_loaded(query), today)


def overall(today: date | None = None) -> Dashboard:
    return build(_loaded(_public()), today)


def build(commitments: list[Commitment], today: date | None = None) -> Dashboard:
    """Count what the commitments say; pure, so tests can hand it any list."""
    today = today or utcnow().date()
    total = len(commitments)
    by_self = Counter(self_reported(c) for c in commitments)
    rated = [c for c in commitments if c.assessments]
    by_assessor = Counter(c.assessments[-1].status for c in rated)
    statuses = [
        StatusRow(
            status,
            by_self[status],
            by_self[status] / total if total else 0.0,
            by_assessor[status],
            by_assessor[status] / len(rated) if rated else 0.0,
        )
        for status in CommitmentStatus
    ]
    return Dashboard(
        commitments=commitments,
        statuses=statuses,
        assessed_total=len(rated),
        overdue=[c for c in commitments if overdue(c, today)],
        differing=sum(1 for c in commitments if differs(c)),
        over_time=_over_time(commitments, today),
        by_member=_breakdown(commitments, lambda c: [c.member], today),
        by_theme=_breakdown(commitments, lambda c: c.themes, today),
    )


def _breakdown(commitments, keys_of, today: date) -> list[GroupRow]:
    rows: dict[int, GroupRow] = {}
    for c in commitments:
        done = self_reported(c) is CommitmentStatus.COMPLETED
        for key in keys_of(c):
            row = rows.setdefault(key.id, GroupRow(key))
            row.total += 1
            row.completed += done
            row.overdue += overdue(c, today)
            row.differs += differs(c)
    return sorted(rows.values(), key=lambda r: (-r.total, str(getattr(r.key, "slug", ""))))


def _month_starts(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months[-MONTHS_SHOWN:]


def _month_end(month: date, today: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return min(today, date.fromordinal(following.toordinal() - 1))


def _completed_by(entries: list[tuple[date, CommitmentStatus]], day: date) -> bool:
    """Whether the latest entry on or before `day` says completed."""
    position = bisect_right(entries, day, key=lambda e: e[0])
    return position > 0 and entries[position - 1][1] is CommitmentStatus.COMPLETED


def _over_time(commitments: list[Commitment], today: date) -> list[MonthPoint]:
    """Month by month since the first event: how many commitments existed, and how many were
    completed by then according to their owners and to the assessors."""
    if not commitments:
        return []
    made = sorted(c.event.starts_at.date() for c in commitments)
    reports = [sorted(((u.reported_on, u.id), u.status) for u in c.updates) for c in commitments]
    reports = [[(day, status) for (day, _id), status in entries] for entries in reports]
    ratings = [[(a.created_at.date(), a.status) for a in c.assessments] for c in commitments]
    points = []
    for month in _month_starts(made[0], today):
        end = _month_end(month, today)
        points.append(
            MonthPoint(
                month=month,
                total=bisect_right(made, end),
                completed_self=sum(_completed_by(r, end) for r in reports),
                completed_assessed=sum(_completed_by(r, end) for r in ratings),
            )
        )
    return points
