"""The demo's agenda: two days of sessions, in parallel at times, with a speaker booked
twice at once (Mateo García at 13:30) and an all-male, single-sector panel for the warnings."""

from datetime import datetime, timedelta

from ..models import Event
from ..policy import SYSTEM
from ..services import agenda
from ..services.times import to_local

# Speakers: (name, affiliation, sector, gender)
AMINA = ("Amina Wanjiku", "Parliament", "government", "woman")
LUCAS = ("Lucas Moreau", "Open Government Partnership", "international_organisation", "man")
DANIEL = ("Daniel Otieno", "Parliament", "government", "man")
PEDRO = ("Pedro Alves", "National Assembly", "government", "man")
JONAS = ("Jonas Berg", "Ministry of Justice", "government", "man")
GRACE = ("Grace Njeri", "Open Data Kenya", "civil_society", "woman")
SARA = ("Sara Haile", "Youth Parliament", "civil_society", "woman")
MATEO = ("Mateo García", "University of Buenos Aires", "academia", "man")
RUTH = ("Ruth Mwangi", "Daily Nation", "media", "woman")

# (day, start, end, title, kind, room)
DEMO_AGENDA = [
    (0, "09:00", "10:00", "Opening plenary", "plenary", "Main hall"),
    (0, "10:30", "12:00", "Legislative openness in practice", "panel", "Main hall"),
    (0, "10:30", "12:00", "Workshop: open data for budgets", "workshop", "Room 2"),
    (0, "12:00", "13:30", "Lunch", "break", "Terrace"),
    (0, "13:30", "15:00", "Citizens in the committee room", "roundtable", "Room 2"),
    (0, "13:30", "15:00", "Side event: journalists and parliaments", "side_event", "Room 3"),
    (1, "09:00", "10:30", "Commitments that last beyond an election", "panel", "Main hall"),
    (1, "11:00", "12:30", "Workshop: drafting commitments", "workshop", "Room 2"),
    (1, "14:00", "15:00", "Closing plenary", "plenary", "Main hall"),
]

# session title → speakers
DEMO_SPEAKERS = {
    "Opening plenary": [AMINA, LUCAS],
    "Legislative openness in practice": [DANIEL, PEDRO, JONAS],  # all men, one sector
    "Workshop: open data for budgets": [GRACE, LUCAS],
    "Citizens in the committee room": [SARA, MATEO],
    # Booked in the roundtable at the same time: the editor warns of it.
    "Side event: journalists and parliaments": [RUTH, MATEO],
    "Commitments that last beyond an election": [AMINA, GRACE, MATEO],
    "Workshop: drafting commitments": [SARA],
    "Closing plenary": [LUCAS],
}


def load_agenda(event: Event) -> None:
    """DEMO_AGENDA's sessions, from the event's first day in its own timezone."""
    first_day = to_local(event.starts_at, event.timezone).date()
    for day, start, end, title, kind, room in DEMO_AGENDA:
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
                    for n, a, sec, g in DEMO_SPEAKERS.get(title, [])
                ],
            ),
        )
