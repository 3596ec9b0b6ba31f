"""/api/v1/proposals: the journey from draft to event, errors, and the permission matrix."""

import pytest
from sqlalchemy import select

from convene.extensions import db
from convene.models import Event, Proposal, ProposalStatus
from convene.services import accounts

from .dates import SUNDAY
from .factories import Cast, make_focal_point, make_proposal, make_user


@pytest.fixture
def cast(app):
    return Cast()


def bearer(person):
    _token, secret = accounts.create_api_token(person, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def body(cast, **changes):
    data = {
        "member_id": cast.government.id,
        "title": "Open justice in practice",
        "summary": "Courts that publish their decisions.",
        "objectives": "both",
        "themes": ["open-justice"],
        "format": "hybrid",
        "starts_at": f"{SUNDAY}T09:00:00",
        "ends_at": f"{SUNDAY}T17:30:00",
        "timezone": "Europe/Paris",
        "city": "Paris",
        "country": "FR",
        "expected_size": 120,
        "audience": "Judges and journalists",
        "languages": ["en", "fr"],
        "cohosts": [cast.civil_society.id],
    }
    data.update(changes)
    return data


def test_from_draft_to_accepted_event_through_the_api(client, cast):
    proposer, cohost, reviewer = bearer(cast.proposer), bearer(cast.cohost), bearer(cast.reviewer)
    created = client.post("/api/v1/proposals", json=body(cast), headers=proposer)
    assert created.status_code == 201, created.json
    proposal = created.json
    pid = proposal["id"]
    assert proposal["status"] == "draft"
    assert proposal["starts_at"] == f"{SUNDAY}T09:00:00+02:00"  # the day after DST starts
    assert proposal["themes"] == ["open-justice"]
    assert proposal["missing"] == {"cohosts": [proposal["missing"]["cohosts"][0]]}

    early = client.post(f"/api/v1/proposals/{pid}/submit", json={}, headers=proposer)
    assert early.status_code == 422 and "cohosts" in early.json["error"]["fields"]

    answer = client.post(
        f"/api/v1/proposals/{pid}/invitation",
        json={"member_id": cast.civil_society.id, "answer": "accept"},
        headers=cohost,
    )
    assert answer.status_code == 200 and answer.json["cocreation_met"] is True

    patched = client.patch(
        f"/api/v1/proposals/{pid}", json={"title": "Open justice for all"}, headers=proposer
    )
    assert patched.status_code == 200
    assert patched.json["title"] == "Open justice for all"
    assert patched.json["summary"] == "Courts that publish their decisions."

    submitted = client.post(
        f"/api/v1/proposals/{pid}/submit", json={"comment": "Ready"}, headers=proposer
    )
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"

    review = client.post(
        f"/api/v1/proposals/{pid}/reviews",
        headers=reviewer,
        json={
            "recommendation": "accept",
            "relevance": 5,
            "ambition": 4,
            "co_creation": 5,
            "feasibility": 4,
            "comment": "Strong.",
        },
    )
    assert review.status_code == 200 and review.json["relevance"] == 5
    listed = client.get(f"/api/v1/proposals/{pid}/reviews", headers=reviewer)
    assert listed.json["total"] == 1
    assert client.get(f"/api/v1/proposals/{pid}/reviews", headers=proposer).json["total"] == 0

    decided = client.post(
        f"/api/v1/proposals/{pid}/decision",
        headers=reviewer,
        json={"decision": "accept", "comment": "Go ahead."},
    )
    assert decided.status_code == 200
    assert decided.json["status"] == "accepted"
    event = db.session.scalar(select(Event))
    assert decided.json["event_id"] == event.id
    assert [step["to_status"] for step in decided.json["timeline"]] == [
        "draft",
        "submitted",
        "in_review",
        "accepted",
    ]


def scores(**changes):
    data = {
        "recommendation": "request_changes",
        "relevance": 2,
        "ambition": 2,
        "co_creation": 2,
        "feasibility": 2,
        "comment": "Add a youth session.",
    }
    data.update(changes)
    return data


def test_every_rounds_reviews_are_listed_with_their_round(client, cast):
    proposal = make_proposal(cast, "submitted")
    url = f"/api/v1/proposals/{proposal.id}"
    proposer, reviewer = bearer(cast.proposer), bearer(cast.reviewer)
    first = client.post(f"{url}/reviews", json=scores(), headers=reviewer)
    assert first.status_code == 200 and first.json["round"] == 1
    sent_back = client.post(
        f"{url}/decision",
        json={"decision": "request_changes", "comment": "Add a youth session."},
        headers=reviewer,
    )
    assert sent_back.json["review_round"] == 1
    again = client.post(f"{url}/submit", json={"comment": "Added."}, headers=proposer)
    assert again.status_code == 200 and again.json["review_round"] == 2
    for relevance in (5, 4):
        second = client.post(
            f"{url}/reviews",
            json=scores(recommendation="accept", relevance=relevance, comment="Better."),
            headers=reviewer,
        )
    assert second.status_code == 200 and second.json["round"] == 2
    assert second.json["id"] != first.json["id"]

    listed = client.get(f"{url}/reviews", headers=reviewer).json
    assert listed["total"] == 2
    assert [(r["round"], r["relevance"], r["comment"]) for r in listed["items"]] == [
        (2, 4, "Better."),
        (1, 2, "Add a youth session."),
    ]
    only_first = client.get(f"{url}/reviews?round=1", headers=reviewer).json
    assert [r["id"] for r in only_first["items"]] == [first.json["id"]]
    assert client.get(f"{url}/reviews?round=0", headers=reviewer).status_code == 422
    assert client.get(f"{url}/reviews", headers=proposer).json["total"] == 0


def test_an_illegal_transition_is_409(client, cast):
    proposal = make_proposal(cast, "accepted")
    response = client.post(
        f"/api/v1/proposals/{proposal.id}/submit", json={}, headers=bearer(cast.proposer)
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "illegal_transition"
    decided = client.post(
        f"/api/v1/proposals/{proposal.id}/decision",
        json={"decision": "decline", "comment": "x"},
        headers=bearer(cast.reviewer),
    )
    assert decided.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": f"{SUNDAY}T08:00:00"}, "ends_at"),
        ({"timezone": "Atlantis/Capital"}, "timezone"),
        ({"starts_at": f"{SUNDAY}T02:30:00"}, "starts_at"),
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"cohosts": [999_999]}, "cohosts"),
        ({"summary": "x" * 100_000}, "summary"),
        ({"objectives": "world peace"}, "objectives"),
        ({"starts_at": "not a date"}, "starts_at"),
        ({"expected_size": -3}, "expected_size"),
        ({"languages": ["xx"]}, "languages"),
        ({"member_id": None}, "member_id"),
    ],
)
def test_bad_input_is_422_per_field_and_nothing_is_saved(client, cast, changes, field):
    response = client.post(
        "/api/v1/proposals", json=body(cast, **changes), headers=bearer(cast.proposer)
    )
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert db.session.scalar(select(Proposal)) is None


def test_a_failed_update_keeps_the_saved_proposal(client, cast):
    proposal = make_proposal(cast, "draft")
    response = client.patch(
        f"/api/v1/proposals/{proposal.id}",
        json={"title": "New", "timezone": "Nowhere/Land"},
        headers=bearer(cast.proposer),
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Open justice in practice"


def test_html_in_text_is_kept_as_text(client, cast):
    response = client.post(
        "/api/v1/proposals",
        json=body(cast, title="<script>x</script>"),
        headers=bearer(cast.proposer),
    )
    assert response.json["title"] == "<script>x</script>"
    assert response.mimetype == "application/json"


def test_the_list_shows_only_what_each_person_may_see(client, cast):
    draft = make_proposal(cast, "draft", title="A draft")
    submitted = make_proposal(cast, "submitted", title="Submitted one")

    def ids(person, query=""):
        response = client.get(f"/api/v1/proposals{query}", headers=bearer(person))
        assert response.status_code == 200
        return {item["id"] for item in response.json["items"]}

    assert ids(cast.proposer) == {draft.id, submitted.id}
    assert ids(cast.cohost) == {draft.id, submitted.id}
    assert ids(cast.reviewer) == {submitted.id}
    assert ids(cast.leader) == {submitted.id}
    assert ids(cast.admin) == {draft.id, submitted.id}
    assert ids(cast.outsider) == set() and ids(cast.participant) == set()
    assert ids(cast.admin, "?status=draft") == {draft.id}
    assert ids(cast.admin, "?theme=open-state") == {draft.id, submitted.id}
    assert ids(cast.admin, "?theme=youth") == set()
    assert ids(cast.admin, "?region=europe&format=hybrid") == {draft.id, submitted.id}
    bad = client.get("/api/v1/proposals?status=pending", headers=bearer(cast.admin))
    assert bad.status_code == 422


ROLES = [
    "anonymous",
    "participant",
    "proposer",
    "cohost",
    "outsider",
    "leader",
    "reviewer",
    "conflicted_reviewer",
    "admin",
]
# action → role → expected status (409 where the rule is about the state, not the person)
EXPECTED = {
    "view": dict(
        anonymous=401,
        participant=404,
        proposer=200,
        cohost=200,
        outsider=404,
        leader=200,
        reviewer=200,
        conflicted_reviewer=200,
        admin=200,
    ),
    "edit": dict(
        anonymous=401,
        participant=404,
        proposer=200,
        cohost=403,
        outsider=404,
        leader=403,
        reviewer=403,
        conflicted_reviewer=403,
        admin=403,
    ),
    "submit": dict(
        anonymous=401,
        participant=404,
        proposer=200,
        cohost=403,
        outsider=404,
        leader=403,
        reviewer=403,
        conflicted_reviewer=403,
        admin=403,
    ),
    "withdraw": dict(
        anonymous=401,
        participant=404,
        proposer=200,
        cohost=403,
        outsider=404,
        leader=403,
        reviewer=403,
        conflicted_reviewer=403,
        admin=200,
    ),
    "review": dict(
        anonymous=401,
        participant=404,
        proposer=403,
        cohost=403,
        outsider=404,
        leader=200,
        reviewer=200,
        conflicted_reviewer=403,
        admin=200,
    ),
    "decide": dict(
        anonymous=401,
        participant=404,
        proposer=403,
        cohost=403,
        outsider=404,
        leader=403,
        reviewer=200,
        conflicted_reviewer=403,
        admin=200,
    ),
}


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_in_the_api(client, cast, role, action):
    status = "changes_requested" if action in ("edit", "submit") else "submitted"
    proposal = make_proposal(cast, status)
    if role == "conflicted_reviewer":
        person = make_user(roles=["reviewer"])
        make_focal_point(cast.civil_society, person)
    else:
        person = getattr(cast, role, None)
    headers = bearer(person) if person else {}
    url = f"/api/v1/proposals/{proposal.id}"
    calls = {
        "view": lambda: client.get(url, headers=headers),
        "edit": lambda: client.patch(url, json={"title": "Changed"}, headers=headers),
        "submit": lambda: client.post(f"{url}/submit", json={}, headers=headers),
        "withdraw": lambda: client.post(f"{url}/withdraw", json={}, headers=headers),
        "review": lambda: client.post(
            f"{url}/reviews",
            headers=headers,
            json={
                "recommendation": "accept",
                "relevance": 3,
                "ambition": 3,
                "co_creation": 3,
                "feasibility": 3,
            },
        ),
        "decide": lambda: client.post(
            f"{url}/decision", headers=headers, json={"decision": "decline", "comment": "No."}
        ),
    }
    before = (proposal.status, len(proposal.reviews), proposal.title)
    response = calls[action]()
    assert response.status_code == EXPECTED[action][role], response.json
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal.id)
    changed = (proposal.status, len(proposal.reviews), proposal.title) != before
    assert changed == (response.status_code == 200 and action != "view")
    if response.status_code >= 400:
        assert set(response.json["error"]) == {"code", "message", "fields"}


def test_unknown_and_foreign_ids_are_404(client, cast):
    headers = bearer(cast.proposer)
    assert client.get("/api/v1/proposals/999999", headers=headers).status_code == 404
    other = make_proposal(cast, "draft")
    assert (
        client.get(f"/api/v1/proposals/{other.id}", headers=bearer(cast.outsider)).status_code
        == 404
    )
    assert ProposalStatus.DRAFT is other.status
