"""Proposal pages: the journey from draft to accepted event, and who may do what."""

import re

import pytest
from sqlalchemy import select

from convene.extensions import db
from convene.models import Event, Proposal, ProposalStatus

from .dates import SUNDAY
from .factories import PASSWORD, Cast, make_proposal, theme_ids


@pytest.fixture
def cast(app):
    return Cast()


def as_person(app, person):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def form_data(cast, **changes):
    data = {
        "member_id": cast.government.id,
        "title": "Open justice in practice",
        "summary": "Courts that publish their decisions.",
        "objectives": "both",
        "themes": theme_ids("open-justice"),
        "format": "hybrid",
        "starts_at": f"{SUNDAY}T09:00",
        "ends_at": f"{SUNDAY}T17:30",
        "timezone": "Europe/Paris",
        "city": "Paris",
        "country": "FR",
        "expected_size": "120",
        "audience": "Judges and journalists",
        "languages": ["en", "fr"],
        "cohosts": [cast.civil_society.id],
    }
    data.update(changes)
    return data


def test_from_draft_to_accepted_event_through_the_pages(app, cast):
    proposer = as_person(app, cast.proposer)
    response = proposer.post("/proposals/new", data=form_data(cast))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert proposal.starts_at.isoformat() == f"{SUNDAY}T07:00:00+00:00"
    page = proposer.get(response.headers["Location"]).data.decode()
    assert "Open justice in practice" in page and "invited, no answer yet" in page

    # Submitting before the co-host answers shows what is missing, keeping the draft.
    refused = proposer.post(f"/proposals/{proposal.id}/submit")
    assert refused.status_code == 422
    assert "at least one civil-society organisation" in refused.data.decode()

    cohost = as_person(app, cast.cohost)
    cohost.post(
        f"/proposals/{proposal.id}/invitation",
        data={"member_id": cast.civil_society.id, "answer": "accept"},
    )
    assert (
        proposer.post(f"/proposals/{proposal.id}/submit", data={"comment": "Ready."}).status_code
        == 302
    )
    db.session.refresh(proposal)
    assert proposal.status is ProposalStatus.SUBMITTED

    reviewer = as_person(app, cast.reviewer)
    queue = reviewer.get("/proposals/review").data.decode()
    assert "Open justice in practice" in queue
    reviewer.post(
        f"/proposals/{proposal.id}/review",
        data={
            "recommendation": "accept",
            "relevance": 5,
            "ambition": 4,
            "co_creation": 5,
            "feasibility": 4,
            "comment": "Excellent.",
        },
    )
    reviewer.post(
        f"/proposals/{proposal.id}/decision", data={"decision": "accept", "comment": "Go ahead."}
    )
    db.session.refresh(proposal)
    assert proposal.status is ProposalStatus.ACCEPTED
    event = db.session.scalar(select(Event))
    assert event.proposal_id == proposal.id and event.status.value == "draft"

    page = proposer.get(f"/proposals/{proposal.id}").data.decode()
    assert "Go ahead." in page
    assert "Excellent." not in page  # reviews are for reviewers; hosts see the decision
    for label in ("Submitted", "In review", "Accepted"):
        assert label in page


def test_a_failed_save_keeps_what_was_typed_and_marks_each_field(app, cast):
    proposer = as_person(app, cast.proposer)
    response = proposer.post(
        "/proposals/new",
        data=form_data(
            cast,
            title="<b>Bold</b> idea",
            summary="s" * 4000,
            ends_at=f"{SUNDAY}T08:00",
            timezone="Europe/Paris",
            cohosts=[999_999],
        ),
    )
    assert response.status_code == 422
    page = response.data.decode()
    assert 'id="ends_at-error"' in page and 'id="cohosts-error"' in page
    assert "&lt;b&gt;Bold&lt;/b&gt; idea" in page and "<b>Bold</b>" not in page
    assert "s" * 4000 in page
    assert db.session.scalar(select(Proposal)) is None
    # Longer than a summary may be: refused by the form, shown back cut to its limit.
    response = proposer.post("/proposals/new", data=form_data(cast, summary="s" * 100_000))
    assert response.status_code == 422
    page = response.data.decode()
    assert 'id="summary-error"' in page and "At most 5000 characters." in page
    assert "s" * 5000 in page and "s" * 5001 not in page
    assert db.session.scalar(select(Proposal)) is None


def test_a_dst_gap_time_is_explained(app, cast):
    proposer = as_person(app, cast.proposer)
    response = proposer.post(
        "/proposals/new",
        data=form_data(cast, starts_at=f"{SUNDAY}T02:30", ends_at=f"{SUNDAY}T10:00"),
    )
    assert response.status_code == 422
    assert "does not exist on that day in Europe/Paris" in response.data.decode()


def test_an_illegal_transition_is_a_flashed_message(app, cast):
    proposal = make_proposal(cast, "accepted")
    proposer = as_person(app, cast.proposer)
    response = proposer.post(f"/proposals/{proposal.id}/withdraw", follow_redirects=True)
    assert response.status_code == 200
    assert "cannot become withdrawn" in response.data.decode()
    db.session.refresh(proposal)
    assert proposal.status is ProposalStatus.ACCEPTED


def test_a_conflicted_reviewer_is_told_why(app, cast):
    from .factories import make_focal_point

    proposal = make_proposal(cast, "submitted")
    make_focal_point(cast.civil_society, cast.reviewer)
    reviewer = as_person(app, cast.reviewer)
    page = reviewer.get(f"/proposals/{proposal.id}").data.decode()
    assert "conflict of interest" in page
    response = reviewer.post(
        f"/proposals/{proposal.id}/review",
        data={
            "recommendation": "accept",
            "relevance": 5,
            "ambition": 5,
            "co_creation": 5,
            "feasibility": 5,
        },
        follow_redirects=True,
    )
    assert "conflict of interest" in response.data.decode()
    assert proposal.reviews == []


def review_box(page: str) -> str:
    """What the page's review comment box holds."""
    box = re.search(r'<textarea[^>]*id="review-comment"[^>]*>(.*?)</textarea>', page, re.S)
    return box.group(1).strip()


def test_the_page_shows_every_rounds_reviews_the_current_round_first(app, cast):
    from convene.services import proposals, reviews

    proposal = make_proposal(cast, "submitted")
    scores = dict(relevance=2, ambition=2, co_creation=2, feasibility=2)
    reviews.save_review(
        cast.reviewer,
        proposal,
        reviews.ReviewInput("request_changes", **scores, comment="Needs a youth session."),
    )
    reviews.decide(cast.admin, proposal, "request_changes", "Add a youth session.")
    proposals.submit(cast.proposer, proposal, "Added.")
    reviews.save_review(
        cast.leader, proposal, reviews.ReviewInput("accept", **scores, comment="Much better.")
    )
    db.session.commit()

    reviewer = as_person(app, cast.reviewer)
    page = reviewer.get(f"/proposals/{proposal.id}").data.decode()
    assert page.index("Round 2") < page.index("Much better.") < page.index("Round 1")
    assert page.index("Round 1") < page.index("Needs a youth session.")
    # The reviewer's form is for the new round: empty, not their first round's review.
    assert "Revise your review" not in page and "Your review" in page
    assert review_box(page) == ""
    reviewer.post(
        f"/proposals/{proposal.id}/review",
        data={"recommendation": "accept", **scores, "comment": "Now yes."},
    )
    db.session.expire_all()
    kept = [(r.round, r.reviewer_id, r.comment) for r in proposal.reviews]
    assert kept == [
        (1, cast.reviewer.id, "Needs a youth session."),
        (2, cast.leader.id, "Much better."),
        (2, cast.reviewer.id, "Now yes."),
    ]
    page = reviewer.get(f"/proposals/{proposal.id}").data.decode()
    assert "Revise your review" in page and "Needs a youth session." in page
    assert review_box(page) == "Now yes."
    queue = reviewer.get("/proposals/review").data.decode()
    assert "round 2" in queue


# role × action on pages: (person, action, expected status or "ok")
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

EXPECTED = {
    # view a submitted proposal
    "view": {
        "anonymous": 302,
        "participant": 404,
        "proposer": 200,
        "cohost": 200,
        "outsider": 404,
        "leader": 200,
        "reviewer": 200,
        "conflicted_reviewer": 200,
        "admin": 200,
    },
    "edit": {
        "anonymous": 302,
        "participant": 404,
        "proposer": "ok",
        "cohost": "refused",
        "outsider": 404,
        "leader": "refused",
        "reviewer": "refused",
        "conflicted_reviewer": "refused",
        "admin": "refused",
    },
    "submit": {
        "anonymous": 302,
        "participant": 404,
        "proposer": "ok",
        "cohost": "refused",
        "outsider": 404,
        "leader": "refused",
        "reviewer": "refused",
        "conflicted_reviewer": "refused",
        "admin": "refused",
    },
    "withdraw": {
        "anonymous": 302,
        "participant": 404,
        "proposer": "ok",
        "cohost": "refused",
        "outsider": 404,
        "leader": "refused",
        "reviewer": "refused",
        "conflicted_reviewer": "refused",
        "admin": "ok",
    },
    "review": {
        "anonymous": 302,
        "participant": 404,
        "proposer": "refused",
        "cohost": "refused",
        "outsider": 404,
        "leader": "ok",
        "reviewer": "ok",
        "conflicted_reviewer": "refused",
        "admin": "ok",
    },
    "decide": {
        "anonymous": 302,
        "participant": 404,
        "proposer": "refused",
        "cohost": "refused",
        "outsider": 404,
        "leader": "refused",
        "reviewer": "ok",
        "conflicted_reviewer": "refused",
        "admin": "ok",
    },
}


def person_for(cast, role):
    from .factories import make_focal_point, make_user

    if role == "conflicted_reviewer":
        person = make_user(roles=["reviewer"])
        make_focal_point(cast.civil_society, person)
        return person
    return {
        "participant": cast.participant,
        "proposer": cast.proposer,
        "cohost": cast.cohost,
        "outsider": cast.outsider,
        "leader": cast.leader,
        "reviewer": cast.reviewer,
        "admin": cast.admin,
    }.get(role)


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_on_pages(app, cast, role, action):
    status = "changes_requested" if action in ("edit", "submit") else "submitted"
    proposal = make_proposal(cast, status)
    person = person_for(cast, role)
    client = as_person(app, person) if person else app.test_client()
    before = (proposal.status, len(proposal.reviews), proposal.title)
    url = f"/proposals/{proposal.id}"
    requests = {
        "view": lambda: client.get(url),
        "edit": lambda: client.post(f"{url}/edit", data=form_data(cast, title="Changed title")),
        "submit": lambda: client.post(f"{url}/submit"),
        "withdraw": lambda: client.post(f"{url}/withdraw"),
        "review": lambda: client.post(
            f"{url}/review",
            data={
                "recommendation": "accept",
                "relevance": 3,
                "ambition": 3,
                "co_creation": 3,
                "feasibility": 3,
            },
        ),
        "decide": lambda: client.post(
            f"{url}/decision", data={"decision": "decline", "comment": "No."}
        ),
    }
    response = requests[action]()
    expected = EXPECTED[action][role]
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal.id)
    after = (proposal.status, len(proposal.reviews), proposal.title)
    if isinstance(expected, int):
        assert response.status_code == expected
        if expected == 302:
            assert "/sign-in" in response.headers["Location"]
        assert after == before
    elif expected == "ok":
        assert response.status_code in (200, 302)
        assert after != before
    else:
        assert response.status_code in (302, 403, 409, 422)
        assert after == before
