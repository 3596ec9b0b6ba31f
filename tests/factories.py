"""Small factory functions for tests: each makes one object, committed, with defaults."""

import itertools

from convene.extensions import db
from convene.models import FocalPoint, Member, MemberKind, Role, User, UserRole, utcnow
from convene.services.security import hash_password

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(
    email=None, name="Test Person", password=PASSWORD, confirmed=True, roles=(), **fields
) -> User:
    n = next(_counter)
    user = User(
        email=email or f"person{n}@example.org",
        name=name,
        password_hash=hash_password(password) if password else None,
        email_confirmed_at=utcnow() if confirmed else None,
        **fields,
    )
    user.roles = [UserRole(role=Role(role)) for role in roles]
    db.session.add(user)
    db.session.commit()
    return user


def make_member(name=None, kind=MemberKind.NATIONAL_GOVERNMENT, country="FR", **fields) -> Member:
    n = next(_counter)
    member = Member(
        name=name or f"Member {n}",
        slug=fields.pop("slug", f"member-{n}"),
        kind=kind,
        country=country,
        **fields,
    )
    db.session.add(member)
    db.session.commit()
    return member


def make_focal_point(member=None, user=None) -> FocalPoint:
    focal_point = FocalPoint(member=member or make_member(), user=user or make_user())
    db.session.add(focal_point)
    db.session.commit()
    return focal_point


def make_theme_leader(theme_slug, member):
    from sqlalchemy import select

    from convene.models import Theme, ThemeLeader

    theme = db.session.scalar(select(Theme).where(Theme.slug == theme_slug))
    db.session.add(ThemeLeader(theme=theme, member=member))
    db.session.commit()
    return theme


def theme_ids(*slugs):
    from sqlalchemy import select

    from convene.models import Theme

    return list(db.session.scalars(select(Theme.id).where(Theme.slug.in_(slugs))))


class Cast:
    """The people around one proposal: a government proposer, a civil-society co-host,
    another member, a thematic leader, a reviewer and an administrator."""

    def __init__(self):
        self.government = make_member(
            name="Government of Testland",
            slug="gov-testland",
            kind=MemberKind.NATIONAL_GOVERNMENT,
            country="FR",
        )
        self.civil_society = make_member(
            name="Citizens United for Openness",
            slug="cuo",
            kind=MemberKind.CIVIL_SOCIETY,
            country="FR",
        )
        self.other = make_member(
            name="Government of Elsewhere",
            slug="elsewhere",
            kind=MemberKind.NATIONAL_GOVERNMENT,
            country="KE",
        )
        self.leader_member = make_member(
            name="Leader Org", slug="leader-org", kind=MemberKind.CIVIL_SOCIETY, country="AR"
        )
        self.proposer = make_focal_point(self.government, make_user(name="Pat Proposer")).user
        self.cohost = make_focal_point(self.civil_society, make_user(name="Cora Cohost")).user
        self.outsider = make_focal_point(self.other, make_user(name="Otto Outsider")).user
        self.leader = make_focal_point(self.leader_member, make_user(name="Lea Leader")).user
        make_theme_leader("open-justice", self.leader_member)
        self.participant = make_user(name="Paz Participant")
        self.reviewer = make_user(name="Rey Reviewer", roles=["reviewer"])
        self.admin = make_user(name="Ada Admin", roles=["admin"])
        self.assessor = make_user(name="Asa Assessor", roles=["assessor"])


def proposal_input(**changes):
    from datetime import datetime, timedelta

    from convene.services.proposals import ProposalInput

    start = (datetime.now() + timedelta(days=60)).replace(
        hour=9,
        minute=0,
        second=0,  # noqa: DTZ005
        microsecond=0,
    )
    values = dict(
        title="Open justice in practice",
        summary="Courts that publish their decisions.",
        objectives="both",
        theme_ids=theme_ids("open-justice"),
        format="hybrid",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        timezone="Europe/Paris",
        city="Paris",
        country="FR",
        expected_size=120,
        audience="Judges and journalists",
        languages=["en", "fr"],
        cohost_ids=[],
    )
    values.update(changes)
    return ProposalInput(**values)


def make_proposal(cast, status="draft", cohost=True, **changes):
    """A complete proposal by `cast.government`, taken to `status` through the services."""
    from convene.services import proposals, reviews

    data = proposal_input(cohost_ids=[cast.civil_society.id] if cohost else [], **changes)
    proposal = proposals.create_proposal(cast.proposer, cast.government.id, data)
    db.session.flush()
    if cohost:
        proposals.respond_to_invitation(cast.cohost, proposal, cast.civil_society.id, True)
    if status != "draft":
        proposals.submit(cast.proposer, proposal)
    if status == "in_review":
        reviews.start_review(cast.reviewer, proposal)
    elif status in ("accepted", "declined", "changes_requested"):
        decision = {
            "accepted": "accept",
            "declined": "decline",
            "changes_requested": "request_changes",
        }[status]
        reviews.decide(cast.reviewer, proposal, decision, "Decided in a test.")
    elif status == "withdrawn":
        proposals.withdraw(cast.proposer, proposal)
    db.session.commit()
    return proposal


def make_event(
    title="Open Justice Forum",
    capacity=None,
    status="published",
    organisers=(),
    waitlist=True,
    manual_approval=False,
    timezone="Europe/Paris",
    days=30,
    hours=8,
    starts_at=None,
    **fields,
):
    """An event starting in `days` days (or at `starts_at`), published by default."""
    from datetime import timedelta

    from convene.models import Event, EventFormat, EventOrganiser, EventStatus

    n = next(_counter)
    start = starts_at or utcnow().replace(microsecond=0) + timedelta(days=days)
    event = Event(
        slug=fields.pop("slug", f"event-{n}"),
        title=title,
        status=EventStatus(status),
        format=fields.pop("format", EventFormat.IN_PERSON),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        timezone=timezone,
        city=fields.pop("city", "Paris"),
        country=fields.pop("country", "FR"),
        capacity=capacity,
        waitlist_enabled=waitlist,
        manual_approval=manual_approval,
        **fields,
    )
    event.organisers = [EventOrganiser(user=person) for person in organisers]
    db.session.add(event)
    db.session.commit()
    return event


def registration_input(**changes):
    from convene.services.registration import RegistrationInput

    values = dict(
        name="Rita Registrant", email=f"rita{next(_counter)}@example.org", sector="civil_society"
    )
    values.update(changes)
    return RegistrationInput(**values)
