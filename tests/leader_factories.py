"""Calls and applications of the leadership programme for tests, made through the services
(so each test starts from rows the rules accept), with dates counted from today."""

from datetime import timedelta

from sqlalchemy import select

from convene.extensions import db
from convene.models import MemberKind, Theme, utcnow
from convene.services import leaders
from convene.services.leaders import CallInput, CriterionInput, IndividualInput

from .factories import make_focal_point, make_member, make_user


def today():
    return utcnow().date()


def call_input(**changes) -> CallInput:
    theme = db.session.scalar(select(Theme).where(Theme.slug == "open-justice"))
    start = today()
    values = dict(
        title="Leaders for open justice",
        description="Groups that open the courts.",
        who_may_apply="Members and people who work on justice.",
        theme_id=theme.id,
        opens_on=start - timedelta(days=1),
        closes_on=start + timedelta(days=30),
        term_starts_on=start + timedelta(days=60),
        term_ends_on=start + timedelta(days=60 + 730),
        criteria=[
            CriterionInput(title="Record of reform", description="What you changed.", weight=3),
            CriterionInput(title="Reach", weight=1),
        ],
        translations={"fr": {"title": "Leaders pour la justice ouverte"}},
    )
    values.update(changes)
    return CallInput(**values)


def make_call(admin, status="open", **changes):
    """A call in `status` (draft, open, closed), committed."""
    call = leaders.create_call(admin, call_input(**changes))
    if status in ("open", "closed"):
        leaders.open_call(admin, call)
    if status == "closed":
        leaders.close_call(admin, call)
    db.session.commit()
    return call


def individual(**changes) -> IndividualInput:
    values = dict(
        name="Ana Activist",
        email="ana@example.org",
        affiliation="Open Courts Collective",
        sector="civil_society",
        country="AR",
        on_steering_committee=False,
        shown_publicly=True,
    )
    values.update(changes)
    return IndividualInput(**values)


class Group:
    """The people around one application: its creator (a government's focal point), a
    civil-society member's focal point, a second government, an outsider, a reviewer and
    an administrator; `call` is open."""

    def __init__(self):
        self.admin = make_user(name="Ada Admin", roles=["admin"])
        self.reviewer = make_user(name="Rey Reviewer", roles=["reviewer"])
        self.government = make_member(
            name="Government of Testland", kind=MemberKind.NATIONAL_GOVERNMENT, country="FR"
        )
        self.civil_society = make_member(
            name="Open Courts", kind=MemberKind.CIVIL_SOCIETY, country="KE"
        )
        self.city = make_member(
            name="City of Elsewhere", kind=MemberKind.LOCAL_GOVERNMENT, country="BR"
        )
        self.creator = make_focal_point(self.government, make_user(name="Gil Government")).user
        self.society = make_focal_point(self.civil_society, make_user(name="Cia Civil")).user
        self.mayor = make_focal_point(self.city, make_user(name="May Mayor")).user
        self.outsider = make_user(name="Otto Outsider")
        self.call = make_call(self.admin)


def make_application(group: Group, complete=False, submitted=False):
    """An application by `group.creator` with the government confirmed; `complete` adds
    the civil-society member (confirmed) and a statement per criterion."""
    application = leaders.start_application(
        group.creator, group.call, leaders.ApplicationInput(name="Justice partners")
    )
    leaders.add_member(group.creator, application, group.government.id)
    if complete or submitted:
        leaders.add_member(group.creator, application, group.civil_society.id)
        leaders.respond(group.society, application, group.civil_society.id, True)
        texts = {c.id: f"We meet {c.title}." for c in group.call.criteria}
        leaders.save_statements(group.creator, application, texts)
    if submitted:
        leaders.submit(group.creator, application)
    db.session.commit()
    return application
