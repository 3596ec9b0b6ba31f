"""One reviewer's review sent several times at once (a double click, a retried request)
is one review, revised, and every request gets an answer — never a server error."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from convene.extensions import db
from convene.models import Review
from convene.services import accounts

from .factories import Cast, make_proposal
from .test_registration_concurrency import call

AT_ONCE = 8


def test_the_same_first_review_sent_at_once_is_one_review(app, server):
    cast = Cast()
    proposal = make_proposal(cast, "submitted")
    # A token each, as from several programs or a page and a program: nothing else
    # makes the requests take turns.
    secrets = [accounts.create_api_token(cast.reviewer, f"t{n}")[1] for n in range(AT_ONCE)]
    db.session.commit()
    url = f"{server}/api/v1/proposals/{proposal.id}/reviews"

    def review(n):
        body = {
            "recommendation": "accept",
            "relevance": 1 + n % 5,
            "ambition": 4,
            "co_creation": 4,
            "feasibility": 4,
            "comment": "Ready.",
        }
        return call("POST", url, secrets[n], body)

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        answers = list(pool.map(review, range(AT_ONCE)))

    assert {status for status, _body in answers} == {200}, answers
    assert len({body["id"] for _status, body in answers}) == 1
    db.session.commit()  # a new transaction: read what the server wrote
    reviews = db.session.scalars(select(Review).where(Review.proposal_id == proposal.id)).all()
    assert len(reviews) == 1 and reviews[0].round == 1


def test_decisions_sent_at_once_make_one_decision_and_one_event(app, server):
    """Two people deciding at the same moment: one decision stands, the other is told the
    proposal was decided meanwhile (409), and an accepted proposal has one event."""
    from convene.models import Event, Proposal, ProposalTransition

    cast = Cast()
    proposal = make_proposal(cast, "in_review")
    deciders = [cast.reviewer, cast.admin] * (AT_ONCE // 2)
    secrets = [accounts.create_api_token(p, f"t{n}")[1] for n, p in enumerate(deciders)]
    db.session.commit()
    url = f"{server}/api/v1/proposals/{proposal.id}/decision"

    def decide(n):
        decision = "accept" if n % 2 else "decline"
        return call("POST", url, secrets[n], {"decision": decision, "comment": "Decided."})

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        answers = list(pool.map(decide, range(AT_ONCE)))

    statuses = sorted(status for status, _body in answers)
    assert statuses == [200] + [409] * (AT_ONCE - 1), answers
    db.session.commit()
    decided = db.session.get(Proposal, proposal.id)
    decisions = db.session.scalars(
        select(ProposalTransition).where(
            ProposalTransition.proposal_id == proposal.id,
            ProposalTransition.from_status == "in_review",
        )
    ).all()
    assert len(decisions) == 1 and decisions[0].to_status == decided.status
    events = db.session.scalars(select(Event).where(Event.proposal_id == proposal.id)).all()
    assert len(events) == (1 if decided.status.value == "accepted" else 0)
