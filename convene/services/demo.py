"""A realistic demo: themes, members from several regions, a person for each role."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import FocalPoint, Member, Proposal, Role, User, utcnow
from . import accounts, members, themes
from .permissions import SYSTEM

DEMO_PASSWORD = "convene-demo-2026"  # noqa: S105 - printed for the public demo  # nosec B105
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
    _demo_events(by_name)
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


# Sent back once and resubmitted: its page shows the first round's reviews under the second's.
TWO_ROUNDS = {"Beneficial ownership registers that work"}


def _first_round(proposal: Proposal, proposer: User, reviewer: User, admin: User) -> None:
    """A round of review ended by a request for changes, and the proposal resubmitted."""
    from . import proposals as proposal_service
    from . import reviews as review_service

    review_service.save_review(
        reviewer,
        proposal,
        review_service.ReviewInput(
            "request_changes",
            4,
            2,
            4,
            3,
            "Promising, but nothing yet on verifying the data that companies declare.",
        ),
    )
    review_service.decide(
        admin,
        proposal,
        "request_changes",
        "Please add a session on verifying beneficial ownership data.",
    )
    proposal_service.submit(proposer, proposal, "Added a session on verification.")


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
        if title in TWO_ROUNDS:
            _first_round(proposal, person, reviewer, admin)
        review_service.save_review(
            reviewer,
            proposal,
            review_service.ReviewInput(
                "accept" if state == "accepted" or title in TWO_ROUNDS else "request_changes",
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


DEMO_PARTICIPANTS = [
    ("Amara Okafor", "civil_society"),
    ("Bruno Costa", "government"),
    ("Chen Wei", "academia"),
    ("Daniela Ruiz", "media"),
    ("Elif Yilmaz", "civil_society"),
    ("Farah Haddad", "international_organisation"),
    ("Gustavo Lima", "private_sector"),
    ("Hana Sato", "government"),
]


def _demo_events(by_name: dict[str, Member]) -> None:
    """Published events in three timezones and online, a full one with a waiting list,
    a cancelled one and a completed one."""
    from datetime import datetime, timedelta

    from ..models import Event, EventQuestion, EventStatus, Registration, utcnow
    from . import events as event_service
    from . import registration as registration_service

    crowd = [
        accounts.create_user(
            demo_email(name.split()[0].lower()), name, DEMO_PASSWORD, confirmed=True
        )
        for name, _sector in DEMO_PARTICIPANTS
    ]
    sectors = [sector for _name, sector in DEMO_PARTICIPANTS]

    def day(days: int, hour: int = 9) -> datetime:
        return (datetime.now() + timedelta(days=days)).replace(  # noqa: DTZ005 - wall time
            hour=hour, minute=0, second=0, microsecond=0
        )

    def new(
        title,
        hosts,
        theme,
        tz,
        city,
        country,
        days,
        length_days=1,
        fmt="in_person",
        capacity=None,
        online_url=None,
        venue=None,
    ):
        data = event_service.EventInput(
            title=title,
            description=f"{title}. Members, governments and civil society meet "
            "to raise the ambition of their commitments and push their implementation forward.",
            theme_ids=[themes.get_theme_by_slug(theme).id],
            format=fmt,
            starts_at=day(days),
            ends_at=day(days + length_days - 1, 17),
            timezone=tz,
            city=city,
            country=country,
            venue=venue,
            online_url=online_url,
            # A public address of the first host's, which calendars name as the organiser.
            contact_email=demo_email(f"events.{by_name[hosts[0]].slug}"),
            languages=["en", "fr", "es"],
        )
        event = event_service.create_event(SYSTEM, data, [by_name[h].id for h in hosts])
        event_service.update_registration_settings(
            SYSTEM, event, event_service.RegistrationSettings(capacity=capacity)
        )
        return event

    def fill(event, people):
        for person, sector in people:
            registration_service.register(
                event,
                registration_service.RegistrationInput(
                    sector=sector,
                    show_in_public_list=True,
                    inclusion_consent=True,
                    gender="woman" if person.name[0] in "AEFH" else "man",
                ),
                actor=person,
            )

    # The accepted demo proposal's event, published in Buenos Aires.
    accepted = db.session.scalar(select(Event).where(Event.proposal_id.is_not(None)))
    if accepted is not None:
        accepted.venue = "Centro Cultural Kirchner"
        accepted.contact_email = demo_email(f"events.{accepted.hosts[0].slug}")
        event_service.update_registration_settings(
            SYSTEM, accepted, event_service.RegistrationSettings(capacity=120)
        )
        accepted.questions = [
            EventQuestion(
                kind="single_choice",
                label="Lunch",
                options=["Vegetarian", "Vegan", "No preference"],
                required=True,
                position=0,
            ),
            EventQuestion(kind="checkbox", label="I need interpretation into English", position=1),
        ]
        event_service.publish(SYSTEM, accepted)
        db.session.flush()
        lunch, _interpretation = (str(q.id) for q in accepted.questions)
        for person, sector in zip(crowd[:4], sectors[:4], strict=True):
            registration_service.register(
                accepted,
                registration_service.RegistrationInput(
                    sector=sector, answers={lunch: "Vegetarian"}, show_in_public_list=True
                ),
                actor=person,
            )

    nairobi = new(
        "Open Parliament Week",
        ["Government of Kenya", "Mzalendo Trust"],
        "open-parliament",
        "Africa/Nairobi",
        "Nairobi",
        "KE",
        21,
        length_days=2,
        capacity=3,
        venue="Kenyatta International Convention Centre",
    )
    event_service.publish(SYSTEM, nairobi)
    paula = accounts.find_user_by_email(demo_email("participant"))
    fill(nairobi, [*zip(crowd[:6], sectors[:6], strict=True), (paula, "civil_society")])

    paris = new(
        "Beneficial Ownership Forum",
        ["Government of France", "Transparence Citoyenne"],
        "beneficial-ownership",
        "Europe/Paris",
        "Paris",
        "FR",
        45,
        capacity=80,
        venue="Maison de la Chimie",
    )
    event_service.publish(SYSTEM, paris)
    fill(paris, [*zip(crowd[4:], sectors[4:], strict=True), (paula, "civil_society")])

    online = new(
        "Trust in digital governance: an online clinic",
        ["Government of Canada", "Open Data Indonesia"],
        "open-digital",
        "America/Toronto",
        None,
        None,
        14,
        fmt="online",
        capacity=500,
        online_url="https://meet.example.org/convene-clinic",
    )
    event_service.publish(SYSTEM, online)
    fill(online, list(zip(crowd[:3], sectors[:3], strict=True)))

    cancelled = new(
        "Local open government exchange",
        ["City of Paris", "Poder Ciudadano"],
        "local",
        "Europe/Paris",
        "Paris",
        "FR",
        60,
        capacity=40,
    )
    event_service.publish(SYSTEM, cancelled)
    fill(cancelled, list(zip(crowd[5:7], sectors[5:7], strict=True)))
    event_service.cancel_event(
        SYSTEM,
        cancelled,
        "The venue is no longer available; the exchange will be proposed again next semester.",
    )

    past = new(
        "Open Justice Days",
        ["Government of Chile", "Poder Ciudadano"],
        "open-justice",
        "America/Santiago",
        "Santiago",
        "CL",
        -40,
        length_days=2,
        capacity=150,
        venue="Biblioteca Nacional",
    )
    past.status, past.completed_at = EventStatus.COMPLETED, utcnow() - timedelta(days=38)
    for person, sector in zip(crowd, sectors, strict=True):
        db.session.add(
            Registration(
                event=past,
                user=person,
                status="confirmed",
                sector=sector,
                confirmed_at=past.starts_at - timedelta(days=10),
                checked_in_at=past.starts_at,
                attendance_mode="in_person",
                show_in_public_list=True,
            )
        )
    past.seats_taken = len(crowd)
    db.session.flush()
    for event in (nairobi, accepted):
        if event is not None:
            _demo_agenda(event)
    _demo_followup(past, by_name)


# (owner, title, months after the event it is due, self-reports over time, assessment)
DEMO_COMMITMENTS = [
    (
        "Government of Chile",
        "Publish every court decision in open data",
        6,
        ["limited", "substantial"],
        "substantial",
    ),
    (
        "Government of Chile",
        "A single portal for access-to-information requests",
        3,
        ["substantial", "completed"],
        "completed",
    ),
    (
        "Poder Ciudadano",
        "Train 200 journalists to read judicial statistics",
        4,
        ["limited", "completed"],
        "substantial",
    ),
    (
        "Government of Argentina",
        "Open the judiciary's budget, line by line",
        1,
        ["not_started", "limited"],
        "limited",
    ),
    (
        "Government of Argentina",
        "Beneficial ownership of contractors in procurement",
        -1,
        ["not_started"],
        None,
    ),
    (
        "City of Buenos Aires",
        "Publish local court waiting times monthly",
        2,
        ["limited"],
        "not_started",
    ),
    ("Government of France", "Open legal aid statistics", 8, ["substantial"], "substantial"),
    (
        "Government of Kenya",
        "Hearing schedules online in every county court",
        -1,
        ["limited"],
        "limited",
    ),
    (
        "Mzalendo Trust",
        "Citizen scorecards for parliamentary committees",
        5,
        ["completed"],
        "completed",
    ),
    (
        "Government of Senegal",
        "Translate court rulings into Wolof and Pulaar",
        9,
        ["withdrawn"],
        None,
    ),
    (
        "Transparence Citoyenne",
        "Independent review of the open-justice action plan",
        7,
        ["not_started"],
        None,
    ),
    (
        "Government of Indonesia",
        "Open data on the handling of corruption cases",
        2,
        ["limited", "substantial"],
        "limited",
    ),
]


def _demo_followup(event, by_name: dict[str, Member]) -> None:
    """A dozen commitments of the completed event, in every status, with histories,
    assessments that agree and some that differ, and overdue ones."""
    from datetime import timedelta

    from . import followup

    assessor = accounts.find_user_by_email(demo_email("assessor"))
    event.hosts = list({*event.hosts, *(by_name[o] for o, *_rest in DEMO_COMMITMENTS)})
    ended = event.ends_at.date()
    for owner, title, months, reports, rating in DEMO_COMMITMENTS:
        member = by_name[owner]
        commitment = followup.create_commitment(
            SYSTEM,
            event,
            followup.CommitmentInput(
                member_id=member.id,
                title=title,
                theme_ids=[themes.get_theme_by_slug("open-justice").id],
                due_date=max(ended, ended + timedelta(days=30 * months)),
                description=f"{owner} commits: {title.lower()}.",
                action_plan_ref="https://www.example.org/action-plans/2026#justice",
            ),
        )
        if months < 0:  # already due: overdue unless reported completed
            commitment.due_date = ended + timedelta(days=10)
        reporter = member.focal_points[0].user
        for step, status in enumerate(reports):
            followup.post_update(
                reporter,
                commitment,
                followup.UpdateInput(
                    status=status,
                    narrative=f"Progress report {step + 1}: {status.replace('_', ' ')}.",
                    evidence_links=["https://www.example.org/evidence"]
                    if status != "not_started"
                    else [],
                    reported_on=min(ended + timedelta(days=7 * (step + 1)), utcnow().date()),
                ),
            )
        if rating:
            followup.assess(
                assessor,
                commitment,
                rating,
                "Checked against the published evidence and interviews.",
            )


# (day, start, end, title, kind, room, speakers as (name, affiliation, sector, gender))
DEMO_AGENDA = [
    (
        0,
        "09:00",
        "10:00",
        "Opening plenary",
        "plenary",
        "Main hall",
        [
            ("Amina Wanjiku", "Parliament", "government", "woman"),
            ("Lucas Moreau", "Open Government Partnership", "international_organisation", "man"),
        ],
    ),
    (
        0,
        "10:30",
        "12:00",
        "Legislative openness in practice",
        "panel",
        "Main hall",
        [
            ("Daniel Otieno", "Parliament", "government", "man"),
            ("Pedro Alves", "National Assembly", "government", "man"),
            ("Jonas Berg", "Ministry of Justice", "government", "man"),
        ],
    ),  # all men, one sector
    (
        0,
        "10:30",
        "12:00",
        "Workshop: open data for budgets",
        "workshop",
        "Room 2",
        [
            ("Grace Njeri", "Open Data Kenya", "civil_society", "woman"),
            ("Lucas Moreau", "Open Government Partnership", "international_organisation", "man"),
        ],
    ),
    (0, "12:00", "13:30", "Lunch", "break", "Terrace", []),
    (
        0,
        "13:30",
        "15:00",
        "Citizens in the committee room",
        "roundtable",
        "Room 2",
        [
            ("Sara Haile", "Youth Parliament", "civil_society", "woman"),
            ("Mateo García", "University of Buenos Aires", "academia", "man"),
        ],
    ),
    (
        0,
        "13:30",
        "15:00",
        "Side event: journalists and parliaments",
        "side_event",
        "Room 3",
        [
            ("Ruth Mwangi", "Daily Nation", "media", "woman"),
            # Booked in the roundtable at the same time: the editor warns of it.
            ("Mateo García", "University of Buenos Aires", "academia", "man"),
        ],
    ),
    (
        1,
        "09:00",
        "10:30",
        "Commitments that last beyond an election",
        "panel",
        "Main hall",
        [
            ("Amina Wanjiku", "Parliament", "government", "woman"),
            ("Grace Njeri", "Open Data Kenya", "civil_society", "woman"),
            ("Mateo García", "University of Buenos Aires", "academia", "man"),
        ],
    ),
    (
        1,
        "11:00",
        "12:30",
        "Workshop: drafting commitments",
        "workshop",
        "Room 2",
        [("Sara Haile", "Youth Parliament", "civil_society", "woman")],
    ),
    (
        1,
        "14:00",
        "15:00",
        "Closing plenary",
        "plenary",
        "Main hall",
        [("Lucas Moreau", "Open Government Partnership", "international_organisation", "man")],
    ),
]


def _demo_agenda(event) -> None:
    """Two days of sessions, in parallel at times, with a speaker booked twice at once
    (Mateo García at 13:30) and an all-male, single-sector panel for the warnings."""
    from datetime import datetime, timedelta

    from . import agenda
    from .times import to_local

    first_day = to_local(event.starts_at, event.timezone).date()
    for day, start, end, title, kind, room, speakers in DEMO_AGENDA:
        date = first_day + timedelta(days=day)
        agenda.create_session(
            SYSTEM,
            event,
            agenda.SessionInput(
                title=title,
                description=f"{title}: how members open up and follow through.",
                kind=kind,
                starts_at=datetime.combine(date, datetime.strptime(start, "%H:%M").time()),
                ends_at=datetime.combine(date, datetime.strptime(end, "%H:%M").time()),
                room=room,
                languages=["en", "fr"] if kind == "plenary" else ["en"],
                interpretation=kind == "plenary",
                track="Parliaments" if day == 0 else "Commitments",
                speakers=[
                    agenda.SpeakerInput(name=n, affiliation=a, sector=sec, gender=g)
                    for n, a, sec, g in speakers
                ],
            ),
        )
