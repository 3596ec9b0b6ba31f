"""Follow-up rules called directly: who records, reports and assesses; history; reminders."""

import csv
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from convene.extensions import db
from convene.models import CommitmentStatus, OutboxMessage
from convene.services import InvalidInput, PermissionDenied, followup
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


def commitment_input(world, **changes):
    values = dict(
        member_id=world.owner.id,
        title="Publish court decisions",
        theme_ids=theme_ids("open-justice"),
        due_date=date(2026, 12, 31),
        milestones=[("Pilot court", date(2026, 6, 30))],
    )
    values.update(changes)
    return CommitmentInput(**values)


def test_organisers_record_and_owners_propose_for_approval(world):
    recorded = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    assert recorded.approved_at is not None and [m.title for m in recorded.milestones] == [
        "Pilot court"
    ]
    proposed = followup.create_commitment(
        world.focal_point, world.event, commitment_input(world, title="Open contracts")
    )
    assert proposed.approved_at is None
    with pytest.raises(PermissionDenied):
        followup.approve(world.focal_point, proposed)
    followup.approve(world.organiser, proposed)
    assert proposed.approved_at is not None
    with pytest.raises(PermissionDenied):
        followup.create_commitment(world.stranger, world.event, commitment_input(world))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": date(2025, 1, 1)}, "due_date"),
        ({"title": ""}, "title"),
        ({"member_id": 999_999}, "member_id"),
        ({"theme_ids": [999_999]}, "themes"),
        ({"milestones": [("", date(2026, 3, 1))]}, "milestones.0"),
    ],
)
def test_bad_commitments_are_refused(world, changes, field):
    with pytest.raises(InvalidInput) as error:
        followup.create_commitment(world.organiser, world.event, commitment_input(world, **changes))
    assert field in error.value.fields


def test_updates_and_assessments_are_kept_side_by_side(world):
    commitment = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    followup.post_update(
        world.focal_point,
        commitment,
        UpdateInput(
            status="limited", narrative="Pilot started.", evidence_links=["https://example.org/a"]
        ),
    )
    followup.post_update(world.focal_point, commitment, UpdateInput(status="completed"))
    followup.assess(world.assessor, commitment, "substantial", "Two courts still missing.")
    db.session.commit()
    assert [u.status.value for u in commitment.updates] == ["limited", "completed"]
    assert followup.self_reported(commitment) is CommitmentStatus.COMPLETED
    assert followup.assessed(commitment) is CommitmentStatus.SUBSTANTIAL
    assert followup.differs(commitment)


@pytest.mark.parametrize(
    ("who", "data"),
    [
        ("stranger", UpdateInput(status="limited")),
        ("assessor", UpdateInput(status="limited")),
    ],
)
def test_only_the_owners_focal_points_report(world, who, data):
    commitment = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    with pytest.raises(PermissionDenied):
        followup.post_update(getattr(world, who), commitment, data)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (UpdateInput(status="done-ish"), "status"),
        (UpdateInput(status="limited", evidence_links=["javascript:alert(1)"]), "evidence_links"),
        (UpdateInput(status="limited", reported_on=date(2999, 1, 1)), "reported_on"),
    ],
)
def test_bad_updates_are_refused(world, data, field):
    commitment = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    with pytest.raises(InvalidInput) as error:
        followup.post_update(world.focal_point, commitment, data)
    assert field in error.value.fields


def test_the_owners_own_people_never_assess(world):
    commitment = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    conflicted = world.focal_point
    conflicted.roles = []
    from convene.models import UserRole

    conflicted.roles.append(UserRole(role="assessor"))
    db.session.commit()
    with pytest.raises(PermissionDenied, match="owner member"):
        followup.assess(conflicted, commitment, "completed", "Ours, and done.")
    with pytest.raises(PermissionDenied):
        followup.assess(world.stranger, commitment, "completed", "Not an assessor.")
    with pytest.raises(InvalidInput):
        followup.assess(world.assessor, commitment, "completed", "  ")


def test_reminders_before_the_due_date_and_when_overdue_once_a_week(world):
    soon = followup.create_commitment(
        world.organiser,
        world.event,
        commitment_input(world, title="Soon", due_date=date(2026, 3, 10)),
    )
    late = followup.create_commitment(
        world.organiser,
        world.event,
        commitment_input(world, title="Late", due_date=date(2026, 2, 1)),
    )
    done = followup.create_commitment(
        world.organiser,
        world.event,
        commitment_input(world, title="Done", due_date=date(2026, 2, 1)),
    )
    followup.create_commitment(
        world.organiser,
        world.event,
        commitment_input(world, title="Far", due_date=date(2026, 12, 1)),
    )
    followup.post_update(
        world.focal_point, done, UpdateInput(status="completed", reported_on=date(2026, 1, 20))
    )
    db.session.commit()
    clock = datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert followup.send_reminders(14, now=clock) == 2
    db.session.commit()
    subjects = sorted(m.subject for m in db.session.scalars(select(OutboxMessage)))
    assert subjects == ["Due soon: Soon", "Overdue: Late"]
    assert followup.send_reminders(14, now=clock + timedelta(days=3)) == 0
    assert followup.send_reminders(14, now=clock + timedelta(days=7)) == 2
    assert soon.last_reminded_at and late.last_reminded_at


def test_the_remind_command(app, world):
    followup.create_commitment(
        world.organiser,
        world.event,
        commitment_input(world, title="Overdue one", due_date=date(2026, 2, 1)),
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["followup", "remind", "--days", "7"])
    assert "Sent 1 reminders" in result.output
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.to_address == world.focal_point.email


def test_export_keeps_the_latest_update_and_assessment_and_neutralises_formulas(world):
    commitment = followup.create_commitment(
        world.organiser, world.event, commitment_input(world, title='=HYPERLINK("http://evil")')
    )
    followup.post_update(
        world.focal_point,
        commitment,
        UpdateInput(status="limited", narrative="First", reported_on=date(2026, 2, 1)),
    )
    followup.post_update(
        world.focal_point,
        commitment,
        UpdateInput(status="substantial", narrative="Second", reported_on=date(2026, 3, 1)),
    )
    followup.assess(world.assessor, commitment, "limited", "Not yet.")
    db.session.commit()
    rows = list(csv.reader(followup.export_csv([commitment]).splitlines()))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["title"].startswith("'=")
    assert (record["self_reported"], record["narrative"], record["assessed"]) == (
        "substantial",
        "Second",
        "limited",
    )
    assert record["differs"] == "yes"


def test_bulk_updates_are_all_or_nothing(world):
    from convene.models import ProgressUpdate
    from convene.services.agenda_import import ImportRefused

    first = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    second = followup.create_commitment(
        world.organiser, world.event, commitment_input(world, title="Second")
    )
    db.session.commit()
    bad = (
        f"commitment_id,status,narrative\n{first.id},limited,ok\n"
        f"{second.id},almost,no\n999999,limited,?\n"
    ).encode()
    with pytest.raises(ImportRefused) as error:
        followup.import_updates(world.focal_point, bad)
    assert {(r, c) for r, c, _m in error.value.rows} == {(3, "status"), (4, "commitment_id")}
    db.session.rollback()
    assert db.session.scalars(select(ProgressUpdate)).all() == []
    good = (
        f"commitment_id,status,evidence_links\n{first.id},limited,https://a.example "
        f"https://b.example\n{second.id},completed,\n"
    ).encode()
    updates = followup.import_updates(world.focal_point, good).updates
    assert [u.status.value for u in updates] == ["limited", "completed"]
    assert updates[0].evidence_links == ["https://a.example", "https://b.example"]
    with pytest.raises(ImportRefused):
        followup.import_updates(world.stranger, good)


def test_bulk_updates_ignore_titles_and_skip_untouched_rows(world):
    from convene.services.agenda_import import ImportRefused

    first = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    second = followup.create_commitment(
        world.organiser, world.event, commitment_input(world, title="Second")
    )
    db.session.commit()
    untouched = (
        "commitment_id,title,status,narrative,evidence_links,reported_on,\n"
        f"{first.id},Publish court decisions,,,,,\n{second.id},Second,,,,,\n"
    ).encode()
    with pytest.raises(ImportRefused, match="Nothing to import"):
        followup.import_updates(world.focal_point, untouched)
    one_filled = untouched.replace(b"Second,,,", b"Renamed here,limited,Begun,")
    [update] = followup.import_updates(world.focal_point, one_filled).updates
    assert (update.commitment_id, update.status.value, update.narrative) == (
        second.id,
        "limited",
        "Begun",
    )
    assert second.title == "Second"


def test_bulk_updates_report_every_problem_of_every_row_at_once(world):
    from convene.services.agenda_import import ImportRefused

    first = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    db.session.commit()
    text = (
        "commitment_id,status,evidence_links,reported_on\n"
        f"{first.id},almost,javascript:alert(1),2026-02-30\n"
        "999999,nearly,,01/03/2026\n"
    )
    with pytest.raises(ImportRefused) as error:
        followup.import_updates(world.focal_point, text.encode())
    found = {(row, column): message for row, column, message in error.value.rows}
    assert set(found) == {
        (2, "status"),
        (2, "evidence_links"),
        (2, "reported_on"),
        (3, "commitment_id"),
        (3, "status"),
        (3, "reported_on"),
    }
    assert found[2, "reported_on"] == (
        "The date 2026-02-30 does not exist: check the day and the month."
    )
    assert found[3, "reported_on"] == "Give the date as YYYY-MM-DD."


def test_a_report_dated_before_the_latest_is_history_and_says_so(world):
    commitment = followup.create_commitment(world.organiser, world.event, commitment_input(world))
    day = world.event.starts_at.date()
    latest = followup.post_update(
        world.focal_point,
        commitment,
        UpdateInput(status="substantial", reported_on=day + timedelta(days=60)),
    )
    older = followup.post_update(
        world.focal_point,
        commitment,
        UpdateInput(status="limited", reported_on=day + timedelta(days=30)),
    )
    same_day = followup.post_update(
        world.focal_point,
        commitment,
        UpdateInput(status="completed", reported_on=day + timedelta(days=60)),
    )
    db.session.commit()
    # Every report is kept at its date; the latest dated (the last posted on a tie) counts.
    assert [u.status.value for u in commitment.updates] == ["substantial", "limited", "completed"]
    assert followup.self_reported(commitment) is CommitmentStatus.COMPLETED
    assert [followup.is_current(u) for u in (latest, older, same_day)] == [False, False, True]
    # Replaced on its own day is no news; dated before the latest is, so it says why.
    assert followup.history_note(same_day) is None and followup.history_note(latest) is None
    latest_day = (day + timedelta(days=60)).isoformat()
    assert followup.history_note(older) == (
        f"This report is dated {(day + timedelta(days=30)).isoformat()}, before the report "
        f"of {latest_day}: it is kept in the history at its date, and the current status "
        f"stays the one reported on {latest_day}."
    )
