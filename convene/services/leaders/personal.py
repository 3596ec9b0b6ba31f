"""What the leadership programme holds about a person, for services/personal_data.py: the
sections of their export, and what is forgotten with their account."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    ApplicationPerson,
    ApplicationReview,
    LeadershipApplication,
    LeadershipPerson,
    User,
)


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(query):
    return db.session.scalars(query).all()


def _person(row) -> dict:
    """What a group holds about someone who takes part in it without a member."""
    return {
        "name": row.name,
        "email": row.email,
        "affiliation": row.affiliation,
        "sector": row.sector.value,
        "country": row.country,
        "on_steering_committee": row.on_steering_committee,
        "shown_publicly": row.shown_publicly,
    }


def sections(user: User) -> dict:
    """The applications they started, the groups and leaderships they are in as a person,
    and their reviews of applications, with every score."""
    created = select(LeadershipApplication).where(LeadershipApplication.created_by_id == user.id)
    in_groups = select(ApplicationPerson).where(ApplicationPerson.user_id == user.id)
    reviews = (
        select(ApplicationReview)
        .where(ApplicationReview.reviewer_id == user.id)
        .options(selectinload(ApplicationReview.scores))
    )
    leading = select(LeadershipPerson).where(LeadershipPerson.user_id == user.id)
    return {
        "leadership_applications": [
            {
                "id": a.id,
                "name": a.name,
                "status": a.status.value,
                "created_at": _when(a.created_at),
            }
            for a in _rows(created.order_by(LeadershipApplication.id))
        ],
        "leadership_groups": [
            {"application": {"id": p.application_id}, "status": p.status.value, **_person(p)}
            for p in _rows(in_groups.order_by(ApplicationPerson.id))
        ],
        "leadership_reviews": [
            {
                "application": {"id": r.application_id},
                "round": r.round,
                "comment": r.comment,
                "scores": [
                    {"criterion_id": s.criterion_id, "score": s.score, "comment": s.comment}
                    for s in r.scores
                ],
            }
            for r in _rows(reviews.order_by(ApplicationReview.id))
        ],
        "leaderships": [
            {"leadership": {"id": p.leadership_id}, "joined_on": _when(p.joined_on), **_person(p)}
            for p in _rows(leading.order_by(LeadershipPerson.id))
        ],
    }


def forget(user: User, deleted_name: str) -> None:
    """Where they take part as a person, keep the place (the group's balance, a
    leadership's history) but not who they were: no name, address or affiliation, not shown."""
    for model in (ApplicationPerson, LeadershipPerson):
        for row in _rows(select(model).where(model.user_id == user.id)):
            if row.member_id is None:
                row.name = deleted_name
            row.email = row.affiliation = None
            row.shown_publicly = False
