"""Follow-up pages: wiring of the event's follow-up page and a commitment's page."""

from datetime import UTC, date, datetime, timedelta

import pytest

from convene.extensions import db
from convene.models import Commitment
from convene.services import followup
from convene.services.followup import CommitmentInput, UpdateInput

from .factories import make_event, make_focal_point, make_member, make_user, theme_ids


@pytest.fixture
def world(app):
    class World:
        pass

    w = World()
    w.organiser = make_user(name="Olga Organiser")
    w.owner = make_member(name="Government of Testland")
    w.other = make_member(name="Elsewhere")
    w.focal_point = make_focal_point(w.owner).user
    w.stranger = make_focal_point(w.other).user
    w.assessor = make_user(roles=["assessor"])
    w.event = make_event(
        organisers=[w.organiser], starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC), days=0
    )
    w.event.hosts = [w.owner]
    db.session.commit()
    return w


def commit_to(world, title="Publish court decisions", due=date(2027, 12, 31)):
    commitment = followup.create_commitment(
        world.organiser,
        world.event,
        CommitmentInput(member_id=world.owner.id, title=title, due_date=due),
    )
    db.session.commit()
    return commitment


def test_public_page_marks_differences_and_overdue_and_escapes(client, world):
    late = commit_to(world, title="<script>alert(1)</script>", due=date(2026, 2, 1))
    rated = commit_to(world, title="Open contracts")
    followup.post_update(world.focal_point, rated, UpdateInput(status="completed"))
    followup.assess(world.assessor, rated, "limited", "Only one ministry publishes.")
    db.session.commit()

    response = client.get(f"/events/{world.event.slug}/follow-up")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Differs" in page and "Overdue" in page
    assert 'class="status-counts"' in page
    assert "Add a commitment" not in page and f"/commitments/{late.id}" in page


def test_organiser_adds_and_approves(client, auth, world):
    auth.sign_in(world.organiser.email)
    response = client.post(
        f"/events/{world.event.slug}/follow-up",
        data={
            "member_id": world.owner.id,
            "title": "Open budgets",
            "due_date": "2027-06-30",
            "themes": theme_ids("open-justice"),
        },
    )
    assert response.status_code == 302
    assert db.session.query(Commitment).filter_by(title="Open budgets").one().approved_at

    proposed = followup.create_commitment(
        world.focal_point,
        world.event,
        CommitmentInput(member_id=world.owner.id, title="Open courts", due_date=date(2027, 1, 1)),
    )
    db.session.commit()
    page = client.get(f"/events/{world.event.slug}/follow-up").get_data(as_text=True)
    assert "Awaiting approval" in page and "Open courts" in page
    response = client.post(f"/commitments/{proposed.id}/approve")
    assert response.status_code == 302
    db.session.refresh(proposed)
    assert proposed.approved_at is not None


def test_bad_commitment_keeps_typed_values(client, auth, world):
    auth.sign_in(world.organiser.email)
    response = client.post(
        f"/events/{world.event.slug}/follow-up",
        data={"member_id": world.owner.id, "title": "Typed title", "due_date": "2025-01-01"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The due date cannot be before the event." in page and 'value="Typed title"' in page
    assert db.session.query(Commitment).count() == 0


def test_focal_point_reports_and_assessor_assesses(client, auth, world):
    commitment = commit_to(world)
    auth.sign_in(world.focal_point.email)
    assert "Report progress" in client.get(f"/events/{world.event.slug}/follow-up").text
    for status, day in (("limited", "2026-03-01"), ("substantial", "2026-06-01")):
        response = client.post(
            f"/commitments/{commitment.id}/updates",
            data={
                "status": status,
                "narrative": f"Now {status}",
                "evidence_links": "https://example.org/a\nhttps://example.org/b",
                "reported_on": day,
            },
        )
        assert response.status_code == 302
    page = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert page.index("Now substantial") < page.index("Now limited")
    assert 'href="https://example.org/b"' in page
    assert 'id="assess"' not in page

    auth.sign_out()
    auth.sign_in(world.assessor.email)
    response = client.post(
        f"/commitments/{commitment.id}/assessments",
        data={"assess-status": "limited", "assess-justification": "Pilot only."},
    )
    assert response.status_code == 302
    page = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert "Pilot only." in page and "Differs" in page and 'id="report"' not in page


def test_focal_point_of_another_member_cannot_report(client, auth, world):
    commitment = commit_to(world)
    auth.sign_in(world.stranger.email)
    response = client.post(f"/commitments/{commitment.id}/updates", data={"status": "completed"})
    assert response.status_code == 403
    assert client.post(f"/events/{world.event.slug}/follow-up", data={}).status_code == 403
    assert not commitment.updates


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "done"}, "Choose a status from the scale."),
        (
            {"status": "limited", "evidence_links": "javascript:alert(1)"},
            "Links must start with https:// or http://.",
        ),
    ],
)
def test_bad_update_is_refused_with_field_error(client, auth, world, data, message):
    commitment = commit_to(world)
    auth.sign_in(world.focal_point.email)
    response = client.post(
        f"/commitments/{commitment.id}/updates", data={"narrative": "Kept text", **data}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "Kept text" in page
    db.session.refresh(commitment)
    assert not commitment.updates


def test_bad_assessment_is_refused(client, auth, world):
    commitment = commit_to(world)
    auth.sign_in(world.assessor.email)
    response = client.post(
        f"/commitments/{commitment.id}/assessments", data={"assess-status": "limited"}
    )
    assert response.status_code == 422 and "Justify the rating." in response.text


def test_organiser_adds_milestones_one_per_line(client, auth, world):
    auth.sign_in(world.organiser.email)
    form = {
        "member_id": world.owner.id,
        "title": "Open courts",
        "due_date": "2027-06-30",
        "milestones": "2026-06-30 Pilot in two courts\n\n2027-01-31 All appeal courts\n",
    }

    response = client.post(f"/events/{world.event.slug}/follow-up", data=form)

    assert response.status_code == 302
    commitment = db.session.query(Commitment).filter_by(title="Open courts").one()
    assert [(m.due_date, m.title) for m in commitment.milestones] == [
        (date(2026, 6, 30), "Pilot in two courts"),
        (date(2027, 1, 31), "All appeal courts"),
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("30/06/2026 Pilot", "Line 1: start with a date"),
        ("2025-12-01 Before the event", "a date after the event"),
        ("2026-06-30", "needs a title"),
    ],
)
def test_bad_milestones_are_refused_on_the_field(client, auth, world, lines, message):
    auth.sign_in(world.organiser.email)
    form = {"member_id": world.owner.id, "title": "Open courts", "due_date": "2027-06-30"}

    response = client.post(
        f"/events/{world.event.slug}/follow-up", data={**form, "milestones": lines}
    )

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Commitment).filter_by(title="Open courts").count() == 0


def test_a_report_dated_before_the_latest_is_recorded_and_the_page_says_so(client, auth, world):
    commitment = commit_to(world)
    day = world.event.starts_at.date()
    latest, older = day + timedelta(days=60), day + timedelta(days=30)
    auth.sign_in(world.focal_point.email)
    pages = []
    for status, when in (("substantial", latest), ("limited", older)):
        response = client.post(
            f"/commitments/{commitment.id}/updates",
            data={"status": status, "narrative": f"Now {status}", "reported_on": when.isoformat()},
        )
        assert response.status_code == 302
        pages.append(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Progress reported." in pages[0]
    page = pages[1]
    note = (
        f"This report is dated {older.isoformat()}, before the report of {latest.isoformat()}: "
        "it is kept in the history at its date, and the current status stays the one "
        f"reported on {latest.isoformat()}."
    )
    assert note in page and "Progress reported." not in page
    assert page.index("Now substantial") < page.index("Now limited")  # history, by date
    db.session.refresh(commitment)
    assert followup.self_reported(commitment).value == "substantial"


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"status": "limited", "reported_on": "2026-02-30"}, "The date 2026-02-30 does not exist"),
        ({"status": "limited", "reported_on": "1 March"}, "Not a valid date value."),
    ],
)
def test_an_impossible_report_date_says_it_does_not_exist(client, auth, world, data, field_message):
    commitment = commit_to(world)
    auth.sign_in(world.focal_point.email)
    response = client.post(f"/commitments/{commitment.id}/updates", data=data)
    assert response.status_code == 422
    assert field_message in response.get_data(as_text=True)
    db.session.refresh(commitment)
    assert not commitment.updates


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"due_date": "2027-02-29", "milestones": ""},
            "The date 2027-02-29 does not exist: check the day and the month.",
        ),
        (
            {"due_date": "2027-06-30", "milestones": "2026-06-31 Pilot"},
            "Line 1: The date 2026-06-31 does not exist: check the day and the month.",
        ),
    ],
)
def test_impossible_commitment_dates_say_they_do_not_exist(client, auth, world, form, message):
    auth.sign_in(world.organiser.email)
    response = client.post(
        f"/events/{world.event.slug}/follow-up",
        data={"member_id": world.owner.id, "title": "Open courts", **form},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Commitment).filter_by(title="Open courts").count() == 0
