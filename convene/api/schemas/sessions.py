"""What /api/v1/events/{id}/sessions reads and answers."""

import marshmallow as ma

from ...models import AgendaSession, Sector, SessionKind
from .base import PageArgs, TranslatedIn, TranslatedOut, collection_schema, reader
from .fields import EVENT_ZONE, ID_RANGE, DateTime, Text, ZonedDateTime

KINDS = [k.value for k in SessionKind]
SECTORS = [s.value for s in Sector]
WARNINGS = ["speaker_clash", "room_clash", "outside_event", "all_male_panel", "single_sector_panel"]
WALL_TIME_DOC = "without an offset: wall time in the event's timezone"


class WarningOut(ma.Schema):
    code = ma.fields.String(required=True, metadata={"enum": WARNINGS})
    message = ma.fields.String(required=True)
    session_ids = ma.fields.List(ma.fields.Integer(), required=True)


class SpeakerOut(ma.Schema):
    """A speaker's gender is for the warnings only: never in an answer."""

    name = ma.fields.String(required=True)
    affiliation = ma.fields.String(allow_none=True, required=True)
    sector = ma.fields.String(allow_none=True, required=True, metadata={"enum": [*SECTORS, None]})


class SessionOut(TranslatedOut):
    """Times carry the offset of the event's timezone; `warnings` is left out for anyone
    but the event's organisers."""

    id = ma.fields.Integer(required=True)
    event_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": KINDS})
    starts_at = ZonedDateTime(EVENT_ZONE, required=True)
    ends_at = ZonedDateTime(EVENT_ZONE, required=True)
    timezone = ma.fields.String(
        required=True,
        attribute="event.timezone",
        metadata={"description": "the event's", "example": "Europe/Paris"},
    )
    room = ma.fields.String(allow_none=True, required=True)
    online_url = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "the join link: null except for confirmed participants and organisers"
        },
    )
    track = ma.fields.String(allow_none=True, required=True)
    theme = ma.fields.String(allow_none=True, required=True, metadata={"description": "a slug"})
    languages = ma.fields.List(ma.fields.String(), required=True)
    interpretation = ma.fields.Boolean(required=True)
    capacity = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "null: no limit"}
    )
    cancelled = ma.fields.Boolean(
        required=True, metadata={"description": "still on the agenda, marked cancelled"}
    )
    sequence = ma.fields.Integer(
        required=True, metadata={"description": "raised by every change calendars show"}
    )
    speakers = ma.fields.List(ma.fields.Nested(SpeakerOut), required=True)
    warnings = ma.fields.List(
        ma.fields.Nested(WarningOut),
        metadata={"description": "organisers only: what to look at in this session"},
    )

    def get_online_url(self, session: AgendaSession) -> str | None:
        return session.online_url if session.event_id in reader().links else None

    def get_theme(self, session: AgendaSession) -> str | None:
        return session.theme.slug if session.theme else None

    def get_languages(self, session: AgendaSession) -> list[str]:
        return list(session.languages or [])

    def get_cancelled(self, session: AgendaSession) -> bool:
        return session.cancelled_at is not None

    def get_warnings(self, session: AgendaSession):
        shown = reader().warnings
        return ma.missing if shown is None else shown.get(session.id, [])


class SessionCollection(collection_schema(SessionOut, "SessionPage")):
    warnings = ma.fields.List(
        ma.fields.Nested(WarningOut),
        metadata={"description": "organisers only: the whole agenda's warnings"},
    )


class SpeakerIn(ma.Schema):
    name = Text(required=True)
    affiliation = Text(allow_none=True)
    sector = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(SECTORS))
    gender = Text(
        allow_none=True,
        metadata={
            "description": "self-described, with the speaker's consent; used only for the "
            "panel-balance warnings and never shown"
        },
    )
    user_id = ma.fields.Integer(
        allow_none=True, validate=ID_RANGE, metadata={"description": "a registered person"}
    )


class SessionIn(TranslatedIn):
    title = Text()
    description = Text(allow_none=True)
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    starts_at = DateTime(metadata={"example": "2031-03-30T09:00:00", "description": WALL_TIME_DOC})
    ends_at = DateTime(metadata={"example": "2031-03-30T10:30:00"})
    room = Text(allow_none=True)
    online_url = Text(allow_none=True, metadata={"example": "https://meet.example.org/panel"})
    track = Text(allow_none=True)
    theme = Text(allow_none=True, metadata={"description": "a theme slug"})
    languages = ma.fields.List(Text(), allow_none=True, metadata={"example": ["en", "fr"]})
    interpretation = ma.fields.Boolean()
    capacity = ma.fields.Integer(allow_none=True, metadata={"description": "null: no limit"})
    speakers = ma.fields.List(
        ma.fields.Nested(SpeakerIn),
        allow_none=True,
        metadata={"description": "replaces all speakers, in this order"},
    )


class SessionCreate(SessionIn):
    title = Text(required=True)
    starts_at = DateTime(
        required=True, metadata={"example": "2031-03-30T09:00:00", "description": WALL_TIME_DOC}
    )
    ends_at = DateTime(required=True, metadata={"example": "2031-03-30T10:30:00"})


class SessionArgs(PageArgs):
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    track = Text()
    theme = Text(metadata={"description": "a theme slug"})
    language = Text(metadata={"example": "fr"})
