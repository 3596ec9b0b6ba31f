"""A realistic demo: themes, members from several regions, a person for each role."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import FocalPoint, Member, Role, User
from . import accounts, members, themes
from .permissions import SYSTEM

DEMO_PASSWORD = "convene-demo-2026"  # noqa: S105 - printed for the public demo
DEMO_DOMAIN = "example.org"

# (name, kind, country, focal point's name)
DEMO_MEMBERS = [
    ("Government of Argentina", "national_government", "AR", "Lucía Fernández"),
    ("Government of France", "national_government", "FR", "Camille Martin"),
    ("Government of Kenya", "national_government", "KE", "Wanjiru Kamau"),
    ("Government of Indonesia", "national_government", "ID", "Dewi Lestari"),
    ("Government of Canada", "national_government", "CA", "Olivia Tremblay"),
    ("Government of Senegal", "national_government", "SN", "Aminata Diop"),
    ("Government of Chile", "national_government", "CL", "Matías Rojas"),
    ("City of Buenos Aires", "local_government", "AR", "Santiago Pérez"),
    ("City of Paris", "local_government", "FR", "Julien Bernard"),
    ("County of Makueni", "local_government", "KE", "Peter Mutua"),
    ("Poder Ciudadano", "civil_society", "AR", "Valentina Gómez"),
    ("Transparence Citoyenne", "civil_society", "FR", "Claire Lefèvre"),
    ("Mzalendo Trust", "civil_society", "KE", "Brian Otieno"),
    ("Open Data Indonesia", "civil_society", "ID", "Rizky Pratama"),
    ("Youth for Open Government", "civil_society", "SN", "Fatou Ndiaye"),
    ("Women in Governance Network", "civil_society", "CA", "Sarah Thompson"),
]

# theme slug → names of the members that lead it
DEMO_LEADERS = {
    "open-justice": ["Government of Argentina", "Poder Ciudadano"],
    "open-parliament": ["Government of Chile", "Mzalendo Trust"],
    "open-digital": ["Government of France", "Open Data Indonesia"],
    "anti-corruption": ["Government of Kenya", "Transparence Citoyenne"],
    "inclusion-civic-space": ["Government of Canada", "Women in Governance Network"],
    "local": ["City of Buenos Aires", "County of Makueni"],
}

DEMO_STAFF = [
    ("admin", "Ada Admin", Role.ADMIN),
    ("reviewer", "Rafael Reviewer", Role.REVIEWER),
    ("assessor", "Asha Assessor", Role.ASSESSOR),
]


def is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User)) and not db.session.scalar(
        select(func.count()).select_from(Member)
    )


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def load_demo(password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Fill an empty database; returns {role or member: e-mail} of the people created."""
    themes.seed_default_themes()
    people: dict[str, str] = {}
    for local_part, name, role in DEMO_STAFF:
        user = accounts.create_user(demo_email(local_part), name, password, confirmed=True)
        accounts.grant_role(SYSTEM, user, role)
        people[role.value] = user.email
    participant = accounts.create_user(
        demo_email("participant"), "Paula Participant", password, confirmed=True
    )
    people["participant"] = participant.email

    by_name: dict[str, Member] = {}
    for name, kind, country, person in DEMO_MEMBERS:
        member = members.create_member(SYSTEM, name, kind, country)
        by_name[name] = member
        user = accounts.create_user(demo_email(member.slug), person, password, confirmed=True)
        member.focal_points.append(FocalPoint(user=user))
        people[name] = user.email
    for slug, leader_names in DEMO_LEADERS.items():
        theme = themes.get_theme_by_slug(slug)
        for leader_name in leader_names:
            themes.add_leader(SYSTEM, theme, by_name[leader_name])
    db.session.flush()
    _demo_proposals(by_name)
    return people


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


def _demo_proposals(by_name: dict[str, Member]) -> None:
    from datetime import datetime, timedelta

    from . import proposals as proposal_service
    from . import reviews as review_service
    from .proposals import ProposalInput

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
        if state == "draft":
            continue
        proposal_service.submit(person, proposal, "Ready for review.")
        if state == "withdrawn":
            proposal_service.withdraw(person, proposal, "Postponed to next year.")
            continue
        if state == "submitted":
            continue
        review_service.save_review(
            reviewer,
            proposal,
            review_service.ReviewInput(
                "accept" if state == "accepted" else "request_changes",
                4,
                4,
                5,
                3,
                "A clear plan with strong civil-society participation.",
            ),
        )
        decision = {
            "accepted": "accept",
            "declined": "decline",
            "changes_requested": "request_changes",
        }.get(state)
        if decision:
            review_service.decide(
                admin,
                proposal,
                decision,
                {
                    "accept": "Accepted: welcome to the programme of thematic events.",
                    "decline": "Declined: the same theme is already covered this semester.",
                    "request_changes": "Please add a session led by young people themselves.",
                }[decision],
            )
