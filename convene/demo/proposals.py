"""The demo's proposals: one in every state, one of them reviewed over two rounds."""

from datetime import datetime, timedelta

from ..extensions import db
from ..models import Member, Proposal, User
from ..services import accounts, reviews, themes
from ..services import proposals as proposal_service
from ..services.proposals import ProposalInput
from .people import demo_email

# (title, proposer, co-hosts, theme, timezone, city, country, days ahead, state)
DEMO_PROPOSALS = [
    (
        "Open justice in the Americas: courts that publish",
        "Government of Argentina",
        ["Poder Ciudadano"],
        "open-justice",
        "America/Argentina/Buenos_Aires",
        "Buenos Aires",
        "AR",
        75,
        "accepted",
    ),
    (
        "Beneficial ownership registers that work",
        "Government of Kenya",
        ["Mzalendo Trust"],
        "beneficial-ownership",
        "Africa/Nairobi",
        "Nairobi",
        "KE",
        90,
        "in_review",
    ),
    (
        "Trust in digital governance: AI in public services",
        "Government of France",
        ["Transparence Citoyenne"],
        "open-digital",
        "Europe/Paris",
        "Paris",
        "FR",
        120,
        "submitted",
    ),
    (
        "Young people in open parliaments",
        "Government of Senegal",
        ["Youth for Open Government"],
        "youth",
        "Africa/Dakar",
        "Dakar",
        "SN",
        100,
        "changes_requested",
    ),
    (
        "Open contracting for local infrastructure",
        "City of Buenos Aires",
        ["Poder Ciudadano"],
        "open-contracting",
        "America/Argentina/Buenos_Aires",
        "Buenos Aires",
        "AR",
        140,
        "draft",
    ),
    (
        "Feminist open government: a regional exchange",
        "Government of Canada",
        ["Women in Governance Network"],
        "feminist-open-government",
        "America/Toronto",
        "Ottawa",
        "CA",
        60,
        "declined",
    ),
    (
        "Independent audit institutions and citizens",
        "Government of Indonesia",
        ["Open Data Indonesia"],
        "independent-institutions",
        "Asia/Jakarta",
        "Jakarta",
        "ID",
        110,
        "withdrawn",
    ),
]

# Sent back once and resubmitted: its page shows the first round's reviews under the second's.
TWO_ROUNDS = {"Beneficial ownership registers that work"}

DECISIONS = {"accepted": "accept", "declined": "decline", "changes_requested": "request_changes"}
DECISION_COMMENTS = {
    "accept": "Accepted: welcome to the programme of thematic events.",
    "decline": "Declined: the same theme is already covered this semester.",
    "request_changes": "Please add a session led by young people themselves.",
}


def load_proposals(by_name: dict[str, Member]) -> None:
    """Each of DEMO_PROPOSALS made, its co-hosts' answers given, and taken to its state."""
    reviewer = accounts.find_user_by_email(demo_email("reviewer"))
    admin = accounts.find_user_by_email(demo_email("admin"))
    for title, proposer, cohosts, theme_slug, tz, city, country, days, state in DEMO_PROPOSALS:
        member = by_name[proposer]
        person = member.focal_points[0].user
        start = (datetime.now() + timedelta(days=days)).replace(  # noqa: DTZ005 - wall time
            hour=9, minute=0, second=0, microsecond=0
        )
        proposal = proposal_service.create_proposal(
            person,
            member.id,
            ProposalInput(
                title=title,
                summary=f"{title}: a focused event to raise the ambition of members' "
                "commitments and to push their implementation forward.",
                objectives="both",
                theme_ids=[themes.get_theme_by_slug(theme_slug).id],
                format="hybrid",
                starts_at=start,
                ends_at=start + timedelta(days=1, hours=8),
                timezone=tz,
                city=city,
                country=country,
                expected_size=150,
                audience="Government officials, civil society and journalists",
                languages=["en", "es", "fr"],
                cohost_ids=[by_name[n].id for n in cohosts],
            ),
        )
        db.session.flush()
        for name in cohosts:
            cohost = by_name[name]
            proposal_service.respond_to_invitation(
                cohost.focal_points[0].user, proposal, cohost.id, accept=True
            )
        _take_to(state, proposal, person, reviewer, admin)


def _take_to(state: str, proposal: Proposal, proposer: User, reviewer: User, admin: User) -> None:
    """Submit, withdraw, review and decide as far as `state` needs."""
    if state == "draft":
        return
    proposal_service.submit(proposer, proposal, "Ready for review.")
    if state == "withdrawn":
        proposal_service.withdraw(proposer, proposal, "Postponed to next year.")
        return
    if state == "submitted":
        return
    two_rounds = proposal.title in TWO_ROUNDS
    if two_rounds:
        _first_round(proposal, proposer, reviewer, admin)
    reviews.save_review(
        reviewer,
        proposal,
        reviews.ReviewInput(
            "accept" if state == "accepted" or two_rounds else "request_changes",
            4,
            4,
            5,
            3,
            "A clear plan with strong civil-society participation.",
        ),
    )
    decision = DECISIONS.get(state)
    if decision:
        reviews.decide(admin, proposal, decision, DECISION_COMMENTS[decision])


def _first_round(proposal: Proposal, proposer: User, reviewer: User, admin: User) -> None:
    """A round of review ended by a request for changes, and the proposal resubmitted."""
    reviews.save_review(
        reviewer,
        proposal,
        reviews.ReviewInput(
            "request_changes",
            4,
            2,
            4,
            3,
            "Promising, but nothing yet on verifying the data that companies declare.",
        ),
    )
    reviews.decide(
        admin,
        proposal,
        "request_changes",
        "Please add a session on verifying beneficial ownership data.",
    )
    proposal_service.submit(proposer, proposal, "Added a session on verification.")
