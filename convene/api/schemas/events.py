"""What /api/v1/events reads and answers."""

from operator import attrgetter

import marshmallow as ma

from ...models import Event, EventFormat, EventStatus, QuestionKind, Sector
from ...services.registration import registration_open
from ...urls import external_url
from .base import ObjectOut, PageArgs, TranslatedIn, TranslatedOut, collection_schema, reader, slugs
from .fields import ID_RANGE, TIMEZONE_DOC, DateTime, Text, ZonedDateTime

STATUSES = [s.value for s in EventStatus]
FORMATS = [f.value for f in EventFormat]
SECTORS = [s.value for s in Sector]
QUESTION_KINDS = [k.value for k in QuestionKind]
ZONE = attrgetter("timezone")


class EventHostOut(ma.Schema):
    member_id = ma.fields.Integer(required=True, attribute="id")
    name = ma.fields.String(required=True)


class EventQuestionOut(ObjectOut):
    id = ma.fields.Integer(required=True, metadata={"description": "the key in `answers`"})
    kind = ma.fields.String(required=True, metadata={"enum": QUESTION_KINDS})
    label = ma.fields.String(required=True)
    options = ma.fields.List(ma.fields.String(), required=True)
    required = ma.fields.Boolean(required=True)

    def get_options(self, question) -> list[str]:
        return list(question.options or [])


CONTACT_DOC = {
    "description": "a public address for questions, named as the ORGANIZER in calendars "
    "(null: the site's own sender, when it is a real address)",
    "example": "justice@example.org",
}


class EventOut(TranslatedOut):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    format = ma.fields.String(required=True, metadata={"enum": FORMATS})
    starts_at = ZonedDateTime(ZONE, required=True)
    ends_at = ZonedDateTime(ZONE, required=True)
    timezone = ma.fields.String(required=True, metadata={"example": "Europe/Paris"})
    venue = ma.fields.String(allow_none=True, required=True)
    address = ma.fields.String(allow_none=True, required=True)
    city = ma.fields.String(allow_none=True, required=True)
    country = ma.fields.String(allow_none=True, required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    themes = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "slugs"})
    hosts = ma.fields.List(ma.fields.Nested(EventHostOut), required=True)
    contact_email = ma.fields.String(allow_none=True, required=True, metadata=CONTACT_DOC)
    capacity = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "null: no limit"}
    )
    seats_left = ma.fields.Integer(allow_none=True, required=True)
    waitlist_enabled = ma.fields.Boolean(required=True)
    manual_approval = ma.fields.Boolean(required=True)
    show_participants = ma.fields.Boolean(required=True)
    quotas = ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": SECTORS}),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": "seats reserved at most for a sector"},
    )
    registration_opens_at = ZonedDateTime(ZONE, allow_none=True, required=True)
    registration_closes_at = ZonedDateTime(
        ZONE, allow_none=True, required=True, metadata={"description": "null: at the event's end"}
    )
    registration_open = ma.fields.Boolean(required=True)
    registration_closed_reason = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "why not open; null when open"}
    )
    questions = ma.fields.List(ma.fields.Nested(EventQuestionOut), required=True)
    cancellation_message = ma.fields.String(allow_none=True, required=True)
    url = ma.fields.String(required=True, metadata={"description": "the event's page"})
    online_url = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "the join link: null except for confirmed participants and organisers"
        },
    )

    def get_languages(self, event: Event) -> list[str]:
        return list(event.languages or [])

    def get_themes(self, event: Event) -> list[str]:
        return slugs(event.themes)

    def get_quotas(self, event: Event) -> dict[str, int]:
        return {quota.sector.value: quota.seats for quota in event.quotas}

    def get_registration_open(self, event: Event) -> bool:
        return registration_open(event) is None

    def get_registration_closed_reason(self, event: Event) -> str | None:
        return registration_open(event)

    def get_url(self, event: Event) -> str:
        return external_url("events.detail", slug=event.slug)

    def get_online_url(self, event: Event) -> str | None:
        return event.online_url if event.id in reader().links else None


EventCollection = collection_schema(EventOut, "EventCollection")


class EventQuestionIn(ma.Schema):
    id = ma.fields.Integer(
        allow_none=True,
        validate=ID_RANGE,
        metadata={"description": "an existing question's id keeps its answers"},
    )
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(QUESTION_KINDS))
    label = Text(required=True, validate=ma.validate.Length(max=300))
    options = ma.fields.List(Text(validate=ma.validate.Length(max=200)), load_default=list)
    required = ma.fields.Boolean(load_default=False)


class EventIn(TranslatedIn):
    title = Text(validate=ma.validate.Length(max=200))
    description = Text(allow_none=True, validate=ma.validate.Length(max=20_000))
    themes = ma.fields.List(Text(), metadata={"description": "theme slugs"})
    format = ma.fields.String(validate=ma.validate.OneOf(FORMATS))
    starts_at = DateTime(metadata={"example": "2031-03-30T09:00:00"})
    ends_at = DateTime()
    timezone = Text(metadata={"example": "Europe/Paris", "description": TIMEZONE_DOC})
    venue = Text(allow_none=True)
    address = Text(allow_none=True)
    city = Text(allow_none=True)
    country = Text(allow_none=True, metadata={"example": "FR"})
    online_url = Text(allow_none=True, metadata={"example": "https://meet.example.org/forum"})
    contact_email = Text(allow_none=True, metadata=CONTACT_DOC)
    languages = ma.fields.List(Text(), metadata={"example": ["en", "fr"]})
    registration_opens_at = DateTime(allow_none=True)
    registration_closes_at = DateTime(allow_none=True)
    capacity = ma.fields.Integer(allow_none=True, metadata={"description": "null: no limit"})
    waitlist_enabled = ma.fields.Boolean()
    manual_approval = ma.fields.Boolean()
    show_participants = ma.fields.Boolean(
        metadata={"description": "show the participants who consented on the event's page"}
    )
    quotas = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(SECTORS)),
        values=ma.fields.Integer(validate=ma.validate.Range(min=0, max=1_000_000)),
        metadata={"description": "sector → seats; replaces all quotas"},
    )
    questions = ma.fields.List(
        ma.fields.Nested(EventQuestionIn),
        validate=ma.validate.Length(max=100),
        metadata={"description": "replaces all questions, in this order"},
    )


class EventCreate(EventIn):
    hosts = ma.fields.List(
        ma.fields.Integer(validate=ID_RANGE), metadata={"description": "member ids"}
    )


class EventArgs(PageArgs):
    theme = Text(metadata={"description": "a theme slug; its sub-themes match too"})
    country = Text(validate=ma.validate.Length(equal=2), metadata={"example": "FR"})
    format = ma.fields.String(validate=ma.validate.OneOf(FORMATS))
    when = ma.fields.String(
        load_default="upcoming", validate=ma.validate.OneOf(["upcoming", "past", "all"])
    )
    q = Text(
        validate=ma.validate.Length(max=200),
        metadata={"description": "part of the title, description or city"},
    )


class CancelIn(ma.Schema):
    message = Text(
        required=True,
        validate=ma.validate.Length(max=5000),
        metadata={"description": "e-mailed to everyone registered"},
    )
