"""/api/v1 follow-up: commitments, progress updates beside assessments, permissions."""

from datetime import UTC, datetime, timedelta

import pytest

from convene.extensions import db
from convene.services import accounts

from .factories import make_event, make_focal_point, make_member, make_user


def bearer(person):
    _token, secret = accounts.create_api_token(person, "t")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def world(app):
    class World:
        pass

    w = World()
    w.organiser = make_user()
    w.owner = make_member(name="Government of Testland")
    w.focal_point = make_focal_point(w.owner).user
    w.stranger = make_focal_point(make_member(name="Elsewhere")).user
    w.assessor = make_user(roles=["assessor"])
    w.event = make_event(
        organisers=[w.organiser], starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC), days=0
    )
    w.event.hosts = [w.owner]
    db.session.commit()
    return w


def body(world, **changes):
    data = {
        "member_id": world.owner.id,
        "title": "Publish court decisions",
        "themes": ["open-justice"],
        "due_date": "2026-12-31",
        "milestones": [{"title": "Pilot court", "due_date": "2026-06-30"}],
    }
    data.update(changes)
    return data


def test_record_report_and_assess_through_the_api(client, world):
    created = client.post(
        f"/api/v1/events/{world.event.id}/commitments",
        json=body(world),
        headers=bearer(world.organiser),
    )
    assert created.status_code == 201, created.json
    cid = created.json["id"]
    assert created.json["approved"] and created.json["self_reported"] == "not_started"
    update = client.post(
        f"/api/v1/commitments/{cid}/updates",
        headers=bearer(world.focal_point),
        json={
            "status": "completed",
            "narrative": "Done.",
            "evidence_links": ["https://example.org/report"],
        },
    )
    assert update.status_code == 201 and update.json["status"] == "completed"
    rating = client.post(
        f"/api/v1/commitments/{cid}/assessments",
        headers=bearer(world.assessor),
        json={"status": "substantial", "justification": "Two courts left."},
    )
    assert rating.status_code == 201
    one = client.get(f"/api/v1/commitments/{cid}").json
    assert (one["self_reported"], one["assessed"], one["differs"]) == (
        "completed",
        "substantial",
        True,
    )
    listed = client.get(f"/api/v1/events/{world.event.id}/commitments").json
    assert [c["id"] for c in listed["items"]] == [cid]
    assert client.get(f"/api/v1/commitments/{cid}/updates").json["total"] == 1
    assert client.get(f"/api/v1/commitments/{cid}/assessments").json["total"] == 1


def test_permissions(client, world):
    cid = client.post(
        f"/api/v1/events/{world.event.id}/commitments",
        json=body(world),
        headers=bearer(world.organiser),
    ).json["id"]
    report = {"status": "limited"}
    assert (
        client.post(
            f"/api/v1/commitments/{cid}/updates", json=report, headers=bearer(world.stranger)
        ).status_code
        == 403
    )
    assert client.post(f"/api/v1/commitments/{cid}/updates", json=report).status_code == 401
    assert (
        client.post(
            f"/api/v1/commitments/{cid}/assessments",
            json={"status": "limited", "justification": "x"},
            headers=bearer(world.focal_point),
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/events/{world.event.id}/commitments",
            json=body(world),
            headers=bearer(world.stranger),
        ).status_code
        == 403
    )
    proposed = client.post(
        f"/api/v1/events/{world.event.id}/commitments",
        json=body(world),
        headers=bearer(world.focal_point),
    )
    assert proposed.status_code == 201 and proposed.json["approved"] is False
    pending = proposed.json["id"]
    assert client.get(f"/api/v1/commitments/{pending}").status_code == 404  # not yet public
    assert client.get("/api/v1/commitments/999999").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": "2025-01-01"}, "due_date"),
        ({"themes": ["nowhere"]}, "themes"),
        ({"member_id": 0}, "member_id"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_commitments_are_422(client, world, changes, field):
    response = client.post(
        f"/api/v1/events/{world.event.id}/commitments",
        json=body(world, **changes),
        headers=bearer(world.organiser),
    )
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]


@pytest.mark.parametrize(
    ("report", "field"),
    [
        ({"status": "almost"}, "status"),
        ({"status": "limited", "evidence_links": ["javascript:alert(1)"]}, "evidence_links"),
    ],
)
def test_bad_updates_are_422(client, world, report, field):
    cid = client.post(
        f"/api/v1/events/{world.event.id}/commitments",
        json=body(world),
        headers=bearer(world.organiser),
    ).json["id"]
    response = client.post(
        f"/api/v1/commitments/{cid}/updates", json=report, headers=bearer(world.focal_point)
    )
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_a_report_dated_before_the_latest_answers_that_it_is_history(client, world):
    cid = client.post(
        f"/api/v1/events/{world.event.id}/commitments",
        json=body(world),
        headers=bearer(world.organiser),
    ).json["id"]
    day = world.event.starts_at.date()
    latest, older = day + timedelta(days=60), day + timedelta(days=30)
    headers = bearer(world.focal_point)
    first = client.post(
        f"/api/v1/commitments/{cid}/updates",
        json={"status": "substantial", "reported_on": latest.isoformat()},
        headers=headers,
    )
    assert first.status_code == 201
    assert (first.json["current"], first.json["note"]) == (True, None)
    second = client.post(
        f"/api/v1/commitments/{cid}/updates",
        json={"status": "limited", "reported_on": older.isoformat()},
        headers=headers,
    )
    assert second.status_code == 201 and second.json["current"] is False
    assert second.json["note"].startswith(f"This report is dated {older.isoformat()}, before")
    assert client.get(f"/api/v1/commitments/{cid}").json["self_reported"] == "substantial"
    listed = client.get(f"/api/v1/commitments/{cid}/updates").json["items"]
    assert [(u["status"], u["current"]) for u in listed] == [
        ("substantial", True),
        ("limited", False),
    ]


@pytest.mark.parametrize(
    ("reported_on", "message"),
    [
        ("2026-02-30", "The date 2026-02-30 does not exist: check the day and the month."),
        ("2026-13-01", "The date 2026-13-01 does not exist: check the day and the month."),
        ("1 March 2026", "Not a valid date."),
    ],
)
def test_an_impossible_report_date_is_422_and_says_why(client, world, reported_on, message):
    cid = client.post(
        f"/api/v1/events/{world.event.id}/commitments",
        json=body(world),
        headers=bearer(world.organiser),
    ).json["id"]
    response = client.post(
        f"/api/v1/commitments/{cid}/updates",
        json={"status": "limited", "reported_on": reported_on},
        headers=bearer(world.focal_point),
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"]["reported_on"] == [message]
