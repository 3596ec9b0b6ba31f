"""The command line: users, members, focal points, themes, demo."""

from sqlalchemy import func, select

from convene.extensions import db
from convene.models import (
    Event,
    FocalPoint,
    Member,
    MemberKind,
    Proposal,
    ProposalStatus,
    Registration,
    Review,
    Role,
    Theme,
    ThemeLeader,
    User,
)
from convene.services import accounts

from .conftest import outbox_to
from .factories import make_member, make_user


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_users_create_with_roles(app):
    result = run(
        app,
        "users",
        "create",
        "Chief@Example.org",
        "--name",
        "Chief",
        "--password",
        "a long passphrase",
        "--role",
        "admin",
        "--role",
        "reviewer",
    )
    assert result.exit_code == 0, result.output
    user = accounts.find_user_by_email("chief@example.org")
    assert user.role_names == {"admin", "reviewer"}
    assert user.email_confirmed
    assert accounts.authenticate("chief@example.org", "a long passphrase").id == user.id


def test_users_create_explains_bad_input(app):
    make_user(email="taken@example.org")
    for args, message in [
        (["taken@example.org", "--name", "X", "--password", "a long passphrase"], "already exists"),
        (["not-an-address", "--name", "X", "--password", "a long passphrase"], "valid e-mail"),
        (["new@example.org", "--name", "X", "--password", "short"], "at least 10"),
        (
            ["new@example.org", "--name", "X", "--password", "a long passphrase", "--role", "king"],
            "Invalid value",
        ),
    ]:
        result = run(app, "users", "create", *args)
        assert result.exit_code != 0
        assert message in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_users_grant_and_revoke(app):
    person = make_user(email="p@example.org")
    assert run(app, "users", "grant", "p@example.org", "assessor").exit_code == 0
    db.session.refresh(person)
    assert person.has_role(Role.ASSESSOR)
    assert run(app, "users", "revoke", "P@example.org", "assessor").exit_code == 0
    db.session.refresh(person)
    assert not person.has_role(Role.ASSESSOR)
    assert "No account uses" in run(app, "users", "grant", "x@example.org", "admin").output


def test_members_add_and_list(app):
    result = run(
        app,
        "members",
        "add",
        "Government of Uruguay",
        "--kind",
        "national_government",
        "--country",
        "uy",
    )
    assert result.exit_code == 0, result.output
    member = db.session.scalar(select(Member))
    assert (member.slug, member.country, member.kind) == (
        "government-of-uruguay",
        "UY",
        MemberKind.NATIONAL_GOVERNMENT,
    )
    assert "Government of Uruguay" in run(app, "members", "list").output
    bad = run(app, "members", "add", "Somewhere", "--kind", "other", "--country", "XX")
    assert bad.exit_code != 0 and "country" in bad.output


def test_members_add_focal_point_for_a_known_and_a_new_person(app):
    member = make_member(name="City of Montevideo", slug="city-of-montevideo")
    known = make_user(email="known@example.org")
    assert (
        run(app, "members", "add-focal-point", "city-of-montevideo", "known@example.org").exit_code
        == 0
    )
    result = run(
        app, "members", "add-focal-point", str(member.id), "new@example.org", "--name", "New Person"
    )
    assert result.exit_code == 0, result.output
    emails = set(
        db.session.scalars(
            select(User.email).join(FocalPoint).where(FocalPoint.member_id == member.id)
        )
    )
    assert emails == {known.email, "new@example.org"}
    [invitation] = outbox_to("new@example.org")
    assert invitation.kind == "focal_point_invitation"
    again = run(app, "members", "add-focal-point", "city-of-montevideo", "known@example.org")
    assert again.exit_code != 0 and "already a focal point" in again.output
    unnamed = run(app, "members", "add-focal-point", "city-of-montevideo", "other@example.org")
    assert unnamed.exit_code != 0 and "give their name" in unnamed.output
    assert "No member" in run(app, "members", "add-focal-point", "nowhere", "k@e.org").output


def test_demo_fills_an_empty_database_once(app):
    result = run(app, "demo")
    assert result.exit_code == 0, result.output
    assert "convene-demo-2026" in result.output
    assert db.session.scalar(select(func.count()).select_from(Member)) >= 16
    kinds = set(db.session.scalars(select(Member.kind)))
    assert kinds == {
        MemberKind.NATIONAL_GOVERNMENT,
        MemberKind.LOCAL_GOVERNMENT,
        MemberKind.CIVIL_SOCIETY,
    }
    assert len(set(db.session.scalars(select(Member.country)))) >= 6
    for role in Role:
        assert (
            db.session.scalar(select(User).join(User.roles).where(User.roles.any(role=role)))
            is not None
        )
    assert db.session.scalar(select(func.count()).select_from(ThemeLeader)) >= 6
    assert accounts.authenticate("admin@example.org", "convene-demo-2026").is_admin
    statuses = set(db.session.scalars(select(Proposal.status)))
    assert statuses == set(ProposalStatus)
    assert db.session.scalar(select(func.count()).select_from(Review)) >= 3
    # One proposal was sent back and resubmitted: both rounds' reviews are there.
    resubmitted = db.session.scalar(select(Proposal).where(Proposal.review_round == 2))
    assert {r.round for r in resubmitted.reviews} == {1, 2}
    event = db.session.scalar(select(Event).where(Event.proposal_id.is_not(None)))
    assert event.proposal.status is ProposalStatus.ACCEPTED and event.organisers
    events = db.session.scalars(select(Event)).all()
    assert {e.status.value for e in events} == {"published", "cancelled", "completed"}
    published = [e for e in events if e.status.value == "published"]
    assert {"Europe/Paris", "America/Argentina/Buenos_Aires", "Africa/Nairobi"} <= {
        e.timezone for e in published
    }
    assert any(e.format.value == "online" for e in published)
    from convene.services import agenda

    with_agenda = [e for e in published if agenda.sessions_of(e)]
    assert with_agenda
    codes = {w.code for e in with_agenda for w in agenda.agenda_warnings(e)}
    assert {"speaker_clash", "all_male_panel"} <= codes
    from convene.models import Commitment
    from convene.services import followup

    commitments = db.session.scalars(select(Commitment)).all()
    assert len(commitments) >= 12
    assert {followup.self_reported(c) for c in commitments} == set(followup.CommitmentStatus)
    assert any(followup.differs(c) for c in commitments)
    assert any(followup.overdue(c) for c in commitments)
    full = [e for e in published if e.capacity is not None and e.seats_taken == e.capacity]
    assert (
        full
        and db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == full[0].id, Registration.status == "waitlisted")
        )
        >= 3
    )
    assert "not loaded" in run(app, "demo", "--if-empty").output
    assert run(app, "demo").exit_code != 0


def test_themes_seed_adds_only_what_is_missing(app):
    db.session.delete(db.session.scalar(select(Theme).where(Theme.slug == "youth")))
    db.session.commit()
    assert "Added 1 themes" in run(app, "themes", "seed").output
    assert "Added 0 themes" in run(app, "themes", "seed").output


def test_scheduled_jobs_for_events_and_registrations(app):
    from datetime import timedelta

    from convene.models import Registration, RegistrationStatus, utcnow
    from convene.services import registration as reg

    from .factories import make_event, registration_input

    ended = make_event(days=-400)
    upcoming = make_event(days=5, capacity=3)
    pending, _ = reg.register(upcoming, registration_input())
    pending.expires_at = utcnow() - timedelta(minutes=1)
    db.session.add(
        Registration(
            event=ended,
            user=make_user(),
            status="confirmed",
            sector="media",
            accessibility_needs="sign language",
        )
    )
    db.session.commit()
    assert "Completed 1 events" in run(app, "events", "complete-ended").output
    assert "Expired 1 unconfirmed" in run(app, "registrations", "expire").output
    result = run(app, "registrations", "anonymise", "--days", "365")
    assert "Anonymised 1 events" in result.output
    db.session.expire_all()
    assert db.session.get(Registration, pending.id).status is RegistrationStatus.CANCELLED
    assert (
        db.session.scalar(
            select(Registration.accessibility_needs).where(Registration.event_id == ended.id)
        )
        is None
    )
    assert run(app, "registrations", "anonymise", "--days", "-1").exit_code != 0
