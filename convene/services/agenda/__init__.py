"""Agendas: sessions and speakers, the warnings organisers see, and personal agendas.

input     what organisers type for a session and its checks (SessionInput, clean_session)
sessions  reading and changing sessions; `touch(event)` after every change to an agenda
warnings  clashes, sessions off the event's dates, unbalanced panels
personal  stars and the personal timeline across events
filters   what an agenda page shows: filters, their choices, sessions by day
"""

# Speaker: the model a SpeakerInput becomes, named here as callers always have.
from ...models import Speaker
from .filters import AgendaFilters, FilterOptions, filter_options, filter_sessions, sessions_by_day
from .input import MAX_SPEAKERS, SessionInput, SpeakerInput, clean_session
from .personal import AgendaItem, personal_agenda, star, starred_ids, unstar
from .sessions import (
    cancel_session,
    create_session,
    delete_session,
    get_session,
    sessions_of,
    set_values,
    touch,
    update_session,
)
from .warnings import MEN, AgendaWarning, agenda_warnings, warnings_by_session

__all__ = [
    "MAX_SPEAKERS",
    "MEN",
    "AgendaFilters",
    "AgendaItem",
    "AgendaWarning",
    "FilterOptions",
    "SessionInput",
    "Speaker",
    "SpeakerInput",
    "agenda_warnings",
    "cancel_session",
    "clean_session",
    "create_session",
    "delete_session",
    "filter_options",
    "filter_sessions",
    "get_session",
    "personal_agenda",
    "sessions_by_day",
    "sessions_of",
    "set_values",
    "star",
    "starred_ids",
    "touch",
    "unstar",
    "update_session",
    "warnings_by_session",
]
