"""What an agenda page shows: the sessions that match its filters, the choices to filter
by, and the sessions day by day. In memory, so no query is made."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ...models import AgendaSession, SessionKind, Theme
from ..times import to_local


@dataclass(frozen=True)
class AgendaFilters:
    """What a reader filters an agenda by; None leaves that filter out."""

    track: str | None = None
    theme_id: int | None = None
    language: str | None = None
    kind: str | None = None


def filter_sessions(sessions: list[AgendaSession], filters: AgendaFilters) -> list[AgendaSession]:
    """The sessions that match every filter given; in memory, so no query is made."""
    return [
        s
        for s in sessions
        if (filters.track is None or s.track == filters.track)
        and (filters.theme_id is None or s.theme_id == filters.theme_id)
        and (filters.language is None or filters.language in (s.languages or []))
        and (filters.kind is None or s.kind.value == filters.kind)
    ]


@dataclass
class FilterOptions:
    tracks: list[str]
    themes: list[Theme]
    languages: list[str]
    kinds: list[SessionKind]


def filter_options(sessions: list[AgendaSession]) -> FilterOptions:
    """The tracks, themes, languages and kinds the sessions use, to filter by them."""
    themes = {s.theme.id: s.theme for s in sessions if s.theme is not None}
    kinds = {s.kind for s in sessions}
    return FilterOptions(
        tracks=sorted({s.track for s in sessions if s.track}, key=str.casefold),
        themes=sorted(themes.values(), key=lambda t: (t.position, t.slug)),
        languages=sorted({code for s in sessions for code in s.languages or []}),
        kinds=[kind for kind in SessionKind if kind in kinds],
    )


def sessions_by_day(
    sessions: list[AgendaSession], timezone: str
) -> list[tuple[date, list[AgendaSession]]]:
    """Sessions grouped by the day they start on in `timezone`, days and sessions in order."""
    days: dict[date, list[AgendaSession]] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        days[to_local(session.starts_at, timezone).date()].append(session)
    return sorted(days.items())
