"""Who may do what in the follow-up, through the pages and through the API: one table per
person, every action tried in turn, so a changed rule shows as a changed cell."""

from datetime import UTC, date, datetime

import pytest

from convene.extensions import db
from convene.services import accounts, followup
from convene.services.followup import CommitmentInput

from .factories import make_event, make_focal_point, make_member, make_user

ROLES = [
    "anonymous",
    "participant",
    "owner_focal_point",
    "cohost_focal_point",
    "other_focal_point",
    "organiser",
    "assessor",
    "owner_assessor",
    "admin",
]

# What each person gets: "ok" (done, or shown), "sign-in" (sent to sign in first), or the
# refusal's status. A pending commitment is hidden (404) from those who may not see it.
PAGES = {
    "view_follow_up": {role: "ok" for role in ROLES},
    "view_dashboards": {role: "ok" for role in ROLES},
    "view_approved": {role: "ok" for role in ROLES},
    "view_pending": {
        "anonymous": 404,
        "participant": 404,
        "owner_focal_point": "ok",
        "cohost_focal_point": 404,
        "other_focal_point": 404,
        "organiser": "ok",
        "assessor": 404,
        "owner_assessor": "ok",
        "admin": "ok",
    },
    "add_for_owner": {
        "anonymous": "sign-in",
        "participant": 403,
        "owner_focal_point": "ok",
        "cohost_focal_point": 403,
        "other_focal_point": 403,
        "organiser": "ok",
        "assessor": 403,
        "owner_assessor": "ok",
        "admin": "ok",
    },
    "approve": {
        "anonymous": "sign-in",
        "participant": 404,
        "owner_focal_point": 403,
        "cohost_focal_point": 404,
        "other_focal_point": 404,
        "organiser": "ok",
        "assessor": 404,
        "owner_assessor": 403,
        "admin": "ok",
    },
    "report": {
        "anonymous": "sign-in",
        "participant": 403,
        "owner_focal_point": "ok",
        "cohost_focal_point": 403,
        "other_focal_point": 403,
        "organiser": 403,
        "assessor": 403,
        "owner_assessor": "ok",
        "admin": 403,
    },
    "assess": {
        "anonymous": "sign-in",
        "participant": 403,
        "owner_focal_point": 403,
        "cohost_focal_point": 403,
        "other_focal_point": 403,
        "organiser": 403,
        "assessor": "ok",
        "owner_assessor": 403,
        "admin": 403,
    },
    "my_commitments": {role: "sign-in" if role == "anonymous" else "ok" for role in ROLES},
}

# The API says 401 where a page sends people to sign in.
API = {
    action: {role: 401 if v == "sign-in" else v for role, v in cells.items()}
    for action, cells in PAGES.items()
    if action in ("view_approved", "view_pending", "add_for_owner", "approve", "report", "assess")
}
API["list"] = {role: "ok" for role in ROLES}


@pytest.fixture
def world(app):
    class World:
        pass

    w = World()
    w.owner = make_member(name="Government of Testland")
    cohost = make_member(name="Civic Lab")
    w.people = {
        "participant": make_user(),
        "owner_focal_point": make_focal_point(w.owner).user,
        "cohost_focal_point": make_focal_point(cohost).user,
        "other_focal_point": make_focal_point(make_member(name="Elsewhere")).user,
        "organiser": make_user(),
        "assessor": make_user(roles=["assessor"]),
        "owner_assessor": make_focal_point(w.owner, make_user(roles=["assessor"])).user,
        "admin": make_user(roles=["admin"]),
    }
    w.event = make_event(
        organisers=[w.people["organiser"]],
        starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC),
        days=0,
        status="completed",
    )
    w.event.hosts = [w.owner, cohost]
    db.session.commit()

    def commitment(by):
        made = followup.create_commitment(
            by,
            w.event,
            CommitmentInput(member_id=w.owner.id, title="Open courts", due_date=date(2027, 1, 1)),
        )
        db.session.commit()
        return made.id

    w.approved = commitment(w.people["organiser"])
    w.pending = commitment(w.people["owner_focal_point"])
    return w


def outcome(response) -> str | int:
    if response.status_code in (200, 201):
        return "ok"
    if response.status_code == 302:
        return "sign-in" if "/sign-in" in response.headers["Location"] else "ok"
    return response.status_code


def page_actions(world):
    slug, approved, pending = world.event.slug, world.approved, world.pending
    add = {"member_id": world.owner.id, "title": "Train judges", "due_date": "2027-03-01"}
    return {
        "view_follow_up": ("GET", f"/events/{slug}/follow-up", None),
        "view_dashboards": ("GET", f"/members/{world.owner.slug}/follow-up", None),
        "view_approved": ("GET", f"/commitments/{approved}", None),
        "view_pending": ("GET", f"/commitments/{pending}", None),
        "add_for_owner": ("POST", f"/events/{slug}/follow-up", add),
        "approve": ("POST", f"/commitments/{pending}/approve", {}),
        "report": ("POST", f"/commitments/{approved}/updates", {"status": "limited"}),
        "assess": (
            "POST",
            f"/commitments/{approved}/assessments",
            {"assess-status": "limited", "assess-justification": "Two courts of ten."},
        ),
        "my_commitments": ("GET", "/me/commitments", None),
    }


def api_actions(world):
    event_id, approved, pending = world.event.id, world.approved, world.pending
    add = {"member_id": world.owner.id, "title": "Train judges", "due_date": "2027-03-01"}
    return {
        "list": ("GET", f"/api/v1/events/{event_id}/commitments", None),
        "view_approved": ("GET", f"/api/v1/commitments/{approved}", None),
        "view_pending": ("GET", f"/api/v1/commitments/{pending}", None),
        "add_for_owner": ("POST", f"/api/v1/events/{event_id}/commitments", add),
        "approve": ("POST", f"/api/v1/commitments/{pending}/approve", None),
        "report": ("POST", f"/api/v1/commitments/{approved}/updates", {"status": "limited"}),
        "assess": (
            "POST",
            f"/api/v1/commitments/{approved}/assessments",
            {"status": "limited", "justification": "Two courts of ten."},
        ),
    }


@pytest.mark.parametrize("role", ROLES)
def test_pages(client, auth, world, role):
    if role != "anonymous":
        auth.sign_in(world.people[role].email)
    seen = {}
    for action, (method, url, data) in page_actions(world).items():
        response = client.open(url, method=method, data=data)
        seen[action] = outcome(response)
    assert seen == {action: cells[role] for action, cells in PAGES.items()}


@pytest.mark.parametrize("role", ROLES)
def test_api(client, world, role):
    headers = {}
    if role != "anonymous":
        _token, secret = accounts.create_api_token(world.people[role], "t")
        db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
    seen = {}
    for action, (method, url, data) in api_actions(world).items():
        response = client.open(url, method=method, json=data, headers=headers)
        seen[action] = outcome(response)
    assert seen == {action: cells[role] for action, cells in API.items()}
