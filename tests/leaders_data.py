"""Test data for the leadership programme, made straight with the models: calls with
criteria, applications with their people in a chosen state, leaderships with a term."""

from datetime import date, timedelta

from convene.extensions import db
from convene.models import (
    ApplicationPerson,
    ApplicationStatus,
    CallCriterion,
    CallStatus,
    Leadership,
    LeadershipApplication,
    LeadershipCall,
    LeadershipPerson,
    MemberKind,
    ParticipantStatus,
    Sector,
    utcnow,
)

from .factories import _counter, make_focal_point, make_member, make_user, theme_ids


def today() -> date:
    return utcnow().date()


def make_call(
    criteria=(("A proven record of reform", 3), ("Reach across the region", 1)),
    status=CallStatus.OPEN,
    theme="open-justice",
    term_days=(30, 760),
    **fields,
) -> LeadershipCall:
    """A call for `theme`'s leaders with `criteria` (title, weight), open since yesterday,
    closing in 20 days, for a term starting and ending `term_days` days from today."""
    call = LeadershipCall(
        theme_id=theme_ids(theme)[0] if theme else None,
        title=fields.pop("title", "Leaders for open justice"),
        status=status,
        opens_on=today() - timedelta(days=1),
        closes_on=today() + timedelta(days=20),
        term_starts_on=today() + timedelta(days=term_days[0]),
        term_ends_on=today() + timedelta(days=term_days[1]),
        **fields,
    )
    call.criteria = [
        CallCriterion(title=title, weight=weight, position=i)
        for i, (title, weight) in enumerate(criteria)
    ]
    db.session.add(call)
    db.session.commit()
    return call


class LeaderCast:
    """The people around one call: a government and a civil-society member with a focal
    point each, an individual activist with an account, two reviewers (one of whom speaks
    for the government: a conflict), an administrator and a focal point of another member."""

    def __init__(self):
        self.government = make_member(
            name="Government of Testland", kind=MemberKind.NATIONAL_GOVERNMENT
        )
        self.civil_society = make_member(
            name="Citizens for Openness", kind=MemberKind.CIVIL_SOCIETY, country="KE"
        )
        self.other = make_member(name="Government of Elsewhere", country="AR")
        self.gov_focal = make_focal_point(self.government, make_user(name="Gil Government")).user
        self.cso_focal = make_focal_point(self.civil_society, make_user(name="Cy Society")).user
        self.other_focal = make_focal_point(self.other, make_user(name="Otto Other")).user
        self.activist = make_user(name="Ana Activist")
        self.reviewer = make_user(name="Rey Reviewer", roles=["reviewer"])
        self.second_reviewer = make_user(name="Rae Reviewer", roles=["reviewer"])
        self.conflicted = make_user(name="Con Flicted", roles=["reviewer"])
        make_focal_point(self.government, self.conflicted)
        self.admin = make_user(name="Ada Admin", roles=["admin"])


def make_application(
    call: LeadershipCall,
    cast: LeaderCast,
    status=ApplicationStatus.SUBMITTED,
    name=None,
    members=None,
    individual=True,
) -> LeadershipApplication:
    """An application to `call` by `members` (confirmed; the cast's government and civil
    society by default) and the cast's activist, in `status`."""
    n = next(_counter)
    application = LeadershipApplication(
        call=call,
        created_by_id=cast.gov_focal.id,
        name=name or f"Open Justice Alliance {n}",
        status=status,
        submitted_at=None if status is ApplicationStatus.DRAFT else utcnow(),
    )
    db.session.add(application)
    for member in members if members is not None else [cast.government, cast.civil_society]:
        application.people.append(
            ApplicationPerson(
                member=member,
                sector=Sector.GOVERNMENT if member.kind.is_government else Sector.CIVIL_SOCIETY,
                country=member.country,
                status=ParticipantStatus.CONFIRMED,
                shown_publicly=True,
            )
        )
    if individual:
        application.people.append(
            ApplicationPerson(
                user_id=cast.activist.id,
                name="Ana Activist",
                email="ana@example.org",
                sector=Sector.CIVIL_SOCIETY,
                country="BR",
                on_steering_committee=True,
                status=ParticipantStatus.CONFIRMED,
            )
        )
    db.session.commit()
    return application


def make_leadership(
    cast: LeaderCast, ends_in_days: int | None = 400, name=None, theme="open-justice", **fields
) -> Leadership:
    """An active leadership of `theme` whose term ends `ends_in_days` from today, with the
    cast's government and civil society in it."""
    n = next(_counter)
    leadership = Leadership(
        slug=f"leaders-{n}",
        name=name or f"Leaders {n}",
        theme_id=theme_ids(theme)[0],
        term_starts_on=today() - timedelta(days=365),
        term_ends_on=None if ends_in_days is None else today() + timedelta(days=ends_in_days),
        **fields,
    )
    db.session.add(leadership)
    for member in (cast.government, cast.civil_society):
        leadership.people.append(
            LeadershipPerson(
                member=member,
                sector=Sector.GOVERNMENT if member.kind.is_government else Sector.CIVIL_SOCIETY,
                country=member.country,
                shown_publicly=True,
            )
        )
    db.session.commit()
    return leadership
