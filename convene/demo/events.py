"""The demo's events: published in three timezones and online, a full one with a waiting
list, a cancelled one and a completed one with its commitments."""

from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Event, EventQuestion, EventStatus, Member, Registration, User, utcnow
from ..policy import SYSTEM
from ..services import accounts, themes
from ..services import events as event_service
from ..services import registration as registration_service
from .agenda import load_agenda
from .followup import load_followup
from .people import demo_email, load_crowd

Crowd = list[tuple[User, str]]  # people and their sectors

# The events made directly, not from a proposal: (title, hosts, theme, timezone, city,
# country, days ahead, days long, format, capacity, venue, online link)
DEMO_EVENTS = {
    "nairobi": (
        "Open Parliament Week",
        ["Government of Kenya", "Mzalendo Trust"],
        "open-parliament",
        "Africa/Nairobi",
        "Nairobi",
        "KE",
        21,
        2,
        "in_person",
        3,
        "Kenyatta International Convention Centre",
        None,
    ),
    "paris": (
        "Beneficial Ownership Forum",
        ["Government of France", "Transparence Citoyenne"],
        "beneficial-ownership",
        "Europe/Paris",
        "Paris",
        "FR",
        45,
        1,
        "in_person",
        80,
        "Maison de la Chimie",
        None,
    ),
    "online": (
        "Trust in digital governance: an online clinic",
        ["Government of Canada", "Open Data Indonesia"],
        "open-digital",
        "America/Toronto",
        None,
        None,
        14,
        1,
        "online",
        500,
        None,
        "https://meet.example.org/convene-clinic",
    ),
    "cancelled": (
        "Local open government exchange",
        ["City of Paris", "Poder Ciudadano"],
        "local",
        "Europe/Paris",
        "Paris",
        "FR",
        60,
        1,
        "in_person",
        40,
        None,
        None,
    ),
    "past": (
        "Open Justice Days",
        ["Government of Chile", "Poder Ciudadano"],
        "open-justice",
        "America/Santiago",
        "Santiago",
        "CL",
        -40,
        2,
        "in_person",
        150,
        "Biblioteca Nacional",
        None,
    ),
}


def load_events(by_name: dict[str, Member]) -> None:
    """Every demo event with its registrations; agendas for two, commitments for the past one."""
    crowd = load_crowd()
    accepted = _publish_accepted(crowd)
    nairobi = _open_events(by_name, crowd)
    _cancelled_event(by_name, crowd)
    past = _past_event(by_name, crowd)
    db.session.flush()
    for event in (nairobi, accepted):
        if event is not None:
            load_agenda(event)
    load_followup(past, by_name)


def _day(days: int, hour: int = 9) -> datetime:
    return (datetime.now() + timedelta(days=days)).replace(  # noqa: DTZ005 - wall time
        hour=hour, minute=0, second=0, microsecond=0
    )


def _new(by_name: dict[str, Member], name: str) -> Event:
    """The event DEMO_EVENTS names `name`, made by the system with its capacity."""
    title, hosts, theme, tz, city, country, days, length_days, fmt, capacity, venue, online_url = (
        DEMO_EVENTS[name]
    )
    data = event_service.EventInput(
        title=title,
        description=f"{title}. Members, governments and civil society meet "
        "to raise the ambition of their commitments and push their implementation forward.",
        theme_ids=[themes.get_theme_by_slug(theme).id],
        format=fmt,
        starts_at=_day(days),
        ends_at=_day(days + length_days - 1, 17),
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


def _fill(event: Event, people: Crowd) -> None:
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


def _publish_accepted(crowd: Crowd) -> Event | None:
    """The accepted demo proposal's event, published in Buenos Aires with two questions."""
    accepted = db.session.scalar(select(Event).where(Event.proposal_id.is_not(None)))
    if accepted is None:
        return None
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
    for person, sector in crowd[:4]:
        registration_service.register(
            accepted,
            registration_service.RegistrationInput(
                sector=sector, answers={lunch: "Vegetarian"}, show_in_public_list=True
            ),
            actor=person,
        )
    return accepted


def _open_events(by_name: dict[str, Member], crowd: Crowd) -> Event:
    """Nairobi (full, with a waiting list), Paris and an online clinic; returns Nairobi's."""
    nairobi = _new(by_name, "nairobi")
    event_service.publish(SYSTEM, nairobi)
    paula = accounts.find_user_by_email(demo_email("participant"))
    _fill(nairobi, [*crowd[:6], (paula, "civil_society")])

    paris = _new(by_name, "paris")
    event_service.publish(SYSTEM, paris)
    _fill(paris, [*crowd[4:], (paula, "civil_society")])

    online = _new(by_name, "online")
    event_service.publish(SYSTEM, online)
    _fill(online, crowd[:3])
    return nairobi


def _cancelled_event(by_name: dict[str, Member], crowd: Crowd) -> None:
    cancelled = _new(by_name, "cancelled")
    event_service.publish(SYSTEM, cancelled)
    _fill(cancelled, crowd[5:7])
    event_service.cancel_event(
        SYSTEM,
        cancelled,
        "The venue is no longer available; the exchange will be proposed again next semester.",
    )


def _past_event(by_name: dict[str, Member], crowd: Crowd) -> Event:
    """Completed forty days ago, everyone in the crowd checked in."""
    past = _new(by_name, "past")
    past.status, past.completed_at = EventStatus.COMPLETED, utcnow() - timedelta(days=38)
    for person, sector in crowd:
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
    return past
