"""A realistic demo, loaded by `flask --app convene demo` (command.py) into an empty database:
themes, members from several regions, a person for each role, proposals in every state,
events with registrations, agendas and commitments. Data only: every change goes through
the services, as a person's would."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import Member, User
from ..services import themes
from .events import load_events
from .people import DEMO_PASSWORD as DEMO_PASSWORD  # re-exported: tests sign in with it
from .people import demo_email as demo_email  # re-exported: tests find the demo's people
from .people import load_people
from .proposals import load_proposals


def is_empty() -> bool:
    """True when the database has neither a person nor a member: the demo may load."""
    return not db.session.scalar(select(func.count()).select_from(User)) and not db.session.scalar(
        select(func.count()).select_from(Member)
    )


def load_demo(password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Fill an empty database; returns {role or member: e-mail} of the people created."""
    themes.seed_default_themes()
    people, by_name = load_people(password)
    db.session.flush()
    load_proposals(by_name)
    load_events(by_name)
    return people
