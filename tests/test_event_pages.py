"""Event pages: the public list and page, the organisers' management pages and the
participant list, through the test client."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from convene.extensions import db
from convene.models import (
    AttendanceMode,
    Event,
    EventFormat,
    EventOrganiser,
    EventQuestion,
    EventStatus,
    OutboxMessage,
    QuestionKind,
    Registration,
    RegistrationStatus,
    SectorQuota,
    Theme,
)
from convene.services import events as event_service
from convene.services import registration as reg

from .dates import SATURDAY, SUNDAY, YEAR, day, utc
from .factories import PASSWORD, make_event, make_member, make_user, registration_input, theme_ids

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
START = utc(SUNDAY, 7)  # 09:00 in Paris (summer time)


# Helpers --------------------------------------------------------------------------------


def as_person(app, person):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def signed_up(event, person=None, **changes):
    registration, _new = reg.register(
        event, registration_input(**changes), actor=person or make_user()
    )
    db.session.commit()
    return registration


def reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def dated_event(**fields) -> Event:
    """An event on SUNDAY (tests/dates.py), 09:00–17:30 in Paris."""
    event = make_event(**fields)
    event.starts_at, event.ends_at = START, START + timedelta(hours=8, minutes=30)
    db.session.commit()
    return event


def page(response) -> str:
    return response.get_data(as_text=True)


def flashed(response) -> str:
    """The text of the flashed messages on the page a redirect leads to."""
    found = re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page(response), re.S)
    return unescape(" ".join(found))


@pytest.fixture
def organiser(app):
    return make_user(name="Olga Organiser", email="olga@example.org")


@pytest.fixture
def org_client(app, organiser):
    return as_person(app, organiser)


# The public list ------------------------------------------------------------------------


def theme(slug):
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def test_the_list_filters_by_theme_with_its_sub_themes_country_format_and_text(app, client):
    make_event(title="Courts in the open", themes=[theme("open-justice")])
    make_event(
        title="Digital trust",
        themes=[theme("open-digital")],
        country="KE",
        city="Nairobi",
        format=EventFormat.ONLINE,
    )
    make_event(title="Last year's forum", days=-30)
    make_event(title="Called off", status="cancelled")
    make_event(title="Secret draft", status="draft")

    def titles(query=""):
        html = page(client.get(f"/events/{query}"))
        return {unescape(t) for t in re.findall(r'<h3><a href="/events/[^"]+">([^<]+)</a>', html)}

    assert titles() == {"Courts in the open", "Digital trust", "Called off"}
    assert titles("?theme=open-state") == {"Courts in the open"}  # a parent theme
    assert titles("?country=KE") == {"Digital trust"}
    assert titles("?format=online") == {"Digital trust"}
    assert titles("?q=COURTS") == {"Courts in the open"}
    assert titles("?q=nairobi") == {"Digital trust"}
    assert titles("?when=past") == {"Last year's forum"}
    assert titles("?when=all") == {
        "Courts in the open",
        "Digital trust",
        "Last year's forum",
        "Called off",
    }
    # A filter that makes no sense is ignored rather than failing.
    assert titles("?format=teleport&theme=nope-theme") == titles()
    assert "status-cancelled" in page(client.get("/events/?q=called"))


def test_the_list_is_paginated(app, client):
    for n in range(1, 26):
        make_event(title=f"Event {n:02d}", days=n)
    first = page(client.get("/events/"))
    assert "Event 01" in first and "Event 20" in first and "Event 21" not in first
    assert "Page 1 of 2" in first and "25 events found." in first
    second = page(client.get("/events/?page=2"))
    assert "Event 21" in second and "Event 25" in second and "Event 20" not in second
    assert page(client.get("/events/?page=99")).count('class="event-item"') == 0


def test_the_list_shows_seats_and_the_waiting_list(app, client):
    make_event(title="Roomy", capacity=5, seats_taken=1)
    make_event(title="Packed", capacity=2, seats_taken=2)
    make_event(title="Closed door", capacity=2, seats_taken=2, waitlist=False)
    html = page(client.get("/events/"))
    assert "4 seats left" in html
    assert "Full: waiting list open" in html
    assert re.search(r"Closed door.*?<span class=\"seats seats-full\">Full</span>", html, re.S)


def test_the_list_shows_dates_in_the_events_timezone_and_the_viewers(app, client):
    dated_event(title="Paris forum")
    html = page(client.get("/events/"))
    assert "09:00 CEST" in html and "07:00 UTC" in html


# The event page -------------------------------------------------------------------------


def test_the_event_page_shows_times_in_the_event_timezone_and_the_viewers(app, client):
    host = make_member(name="Government of Testland")
    event = dated_event(
        title="Open justice",
        hosts=[host],
        themes=[theme("open-justice")],
        languages=["en", "fr"],
        venue="Palais de justice",
        address="10 boulevard du Palais",
    )
    html = page(client.get(f"/events/{event.slug}"))
    assert f"Sun {SUNDAY.day} Mar {YEAR}, 09:00 CEST" in html and "(Europe/Paris)" in html
    assert "In UTC:" in html and "07:00 UTC" in html and "Your time:" not in html
    for text in ("Government of Testland", "Open justice", "English, French", "Palais de justice"):
        assert text in html
    assert f'href="/events/{event.slug}.ics?download=1"' in html
    assert f'href="webcal://convene.test/events/{event.slug}.ics"' in html

    porteño = make_user(timezone="America/Argentina/Buenos_Aires")
    html = page(as_person(app, porteño).get(f"/events/{event.slug}"))
    assert "09:00 CEST" in html and "Your time:" in html
    assert (
        f"Sun {SUNDAY.day} Mar {YEAR}, 04:00 -03" in html
        and "(America/Argentina/Buenos_Aires)" in html
    )

    parisian = make_user(timezone="Europe/Paris")
    assert "Your time:" not in page(as_person(app, parisian).get(f"/events/{event.slug}"))


def test_the_online_link_is_only_for_confirmed_participants(app, client):
    event = make_event(
        capacity=1, format=EventFormat.HYBRID, online_url="https://meet.example.org/secret-room"
    )
    confirmed, waiting = make_user(), make_user()
    signed_up(event, confirmed)
    signed_up(event, waiting)
    link = "https://meet.example.org/secret-room"
    assert link in page(as_person(app, confirmed).get(f"/events/{event.slug}"))
    waiting_page = page(as_person(app, waiting).get(f"/events/{event.slug}"))
    assert link not in waiting_page and "number 1 on the waiting list" in waiting_page
    assert link not in page(client.get(f"/events/{event.slug}"))
    assert link not in page(as_person(app, make_user()).get(f"/events/{event.slug}"))


def test_the_register_button_and_the_signed_in_persons_status(app, client):
    event = make_event(capacity=1)
    html = page(client.get(f"/events/{event.slug}"))
    assert f'href="/events/{event.slug}/register"' in html and "1 seat left" in html
    person = make_user()
    signed_up(event, person)
    html = page(as_person(app, person).get(f"/events/{event.slug}"))
    assert "You are registered." in html and f"/events/{event.slug}/register" not in html
    assert "Full: waiting list open" in html

    later = make_event(registration_opens_at=datetime.now(UTC) + timedelta(days=3))
    html = page(client.get(f"/events/{later.slug}"))
    assert "Registration has not opened yet." in html and "/register" not in html


def test_a_cancelled_event_shows_its_message_and_no_register_button(app, client):
    event = make_event(status="cancelled", cancellation_message="The venue\nflooded.")
    html = page(client.get(f"/events/{event.slug}"))
    assert "This event is cancelled" in html and "The venue\nflooded." in html
    assert "/register" not in html


def test_drafts_are_only_for_their_organisers(app, client, organiser, org_client, admin):
    event = make_event(status="draft", organisers=[organiser])
    assert client.get(f"/events/{event.slug}").status_code == 404
    stranger = as_person(app, make_user())
    assert stranger.get(f"/events/{event.slug}").status_code == 404
    assert stranger.get(f"/events/{event.slug}/manage").status_code == 404
    assert org_client.get(f"/events/{event.slug}").status_code == 200
    assert "This event is a draft" in page(org_client.get(f"/events/{event.slug}"))
    assert as_person(app, admin).get(f"/events/{event.slug}").status_code == 200
    assert "Manage this event" in page(org_client.get(f"/events/{event.slug}"))
    assert "Manage this event" not in page(client.get(f"/events/{make_event().slug}"))


def test_html_in_titles_and_descriptions_stays_text(app, client, organiser, org_client):
    event = make_event(
        title="<script>alert(1)</script> forum",
        description="First line\n<img src=x onerror=alert(2)>",
        organisers=[organiser],
    )
    signed_up(event)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; forum"
    for response in (
        client.get("/events/"),
        client.get(f"/events/{event.slug}"),
        client.get("/"),
        org_client.get(f"/events/{event.slug}/manage"),
        org_client.get(f"/events/{event.slug}/participants"),
    ):
        html = page(response)
        assert escaped in html and "<script>alert(1)" not in html
    html = page(client.get(f"/events/{event.slug}"))
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "<img src=x" not in html


def test_the_front_page_lists_upcoming_events(app, client):
    make_event(title="Coming soon")
    make_event(title="Long gone", days=-10)
    make_event(title="Not yet public", status="draft")
    make_event(title="Called off", status="cancelled")
    html = page(client.get("/"))
    assert "Coming soon" in html
    for title in ("Long gone", "Not yet public", "Called off"):
        assert title not in html
    assert 'href="/events/"' in html


# Who may manage -------------------------------------------------------------------------

MANAGE_GETS = [
    "/manage",
    "/manage/details",
    "/manage/registration",
    "/manage/questions",
    "/participants",
    "/participants.csv",
]
MANAGE_POSTS = [
    "/manage/details",
    "/manage/registration",
    "/manage/questions",
    "/manage/organisers",
    "/manage/publish",
    "/manage/cancel",
    "/manage/complete",
    "/manage/image",
]


@pytest.mark.parametrize("suffix", MANAGE_GETS)
def test_management_pages_need_an_organiser(app, client, organiser, org_client, suffix):
    event = make_event(organisers=[organiser])
    url = f"/events/{event.slug}{suffix}"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    refused = as_person(app, make_user()).get(url)
    assert refused.status_code == 403 and "Only the event" in page(refused)
    assert org_client.get(url).status_code == 200
    assert as_person(app, make_user(roles=["admin"])).get(url).status_code == 200


@pytest.mark.parametrize("suffix", MANAGE_POSTS)
def test_management_actions_need_an_organiser(app, client, organiser, suffix):
    event = make_event(organisers=[organiser], status="draft", title="Untouched")
    public = make_event(organisers=[organiser], title="Untouched")
    for target in (event, public):
        url = f"/events/{target.slug}{suffix}"
        assert client.post(url, data={"title": "Changed"}).status_code == 302
    stranger = as_person(app, make_user())
    assert stranger.post(f"/events/{event.slug}{suffix}").status_code == 404
    response = stranger.post(
        f"/events/{public.slug}{suffix}", data={"title": "Changed", "message": "x"}
    )
    assert response.status_code == 403
    assert reload(Event, event.id).status is EventStatus.DRAFT
    assert reload(Event, public.id).status is EventStatus.PUBLISHED
    assert reload(Event, public.id).title == "Untouched"


def test_participant_actions_need_an_organiser(app, client, organiser):
    event = make_event(organisers=[organiser], manual_approval=True)
    registration = signed_up(event)
    url = f"/events/{event.slug}/participants/{registration.id}/approve"
    assert client.post(url).status_code == 302
    assert as_person(app, make_user()).post(url).status_code == 403
    assert reload(Registration, registration.id).status is RegistrationStatus.PENDING


def test_forms_refuse_a_post_without_csrf_token(app, make_app, organiser):
    event = make_event(organisers=[organiser], status="draft")
    guarded = make_app(WTF_CSRF_ENABLED=True).test_client()
    token_re = r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"'
    token = re.search(token_re, page(guarded.get("/sign-in"))).group(1)
    guarded.post(
        "/sign-in", data={"email": organiser.email, "password": PASSWORD, "csrf_token": token}
    )
    html = page(guarded.get(f"/events/{event.slug}/manage"))
    assert 'name="csrf_token"' in html
    assert guarded.post(f"/events/{event.slug}/manage/publish").status_code == 400
    assert reload(Event, event.id).status is EventStatus.DRAFT
    token = re.search(token_re, html).group(1)
    response = guarded.post(f"/events/{event.slug}/manage/publish", data={"csrf_token": token})
    assert response.status_code == 302
    assert reload(Event, event.id).status is EventStatus.PUBLISHED


# Details --------------------------------------------------------------------------------


def details(**changes):
    data = {
        "title": "Open Justice Forum 2031",
        "description": "Two days on courts.\nBring questions.",
        "themes": theme_ids("open-justice", "youth"),
        "format": "hybrid",
        "starts_at": f"{SUNDAY}T09:00",
        "ends_at": f"{SUNDAY}T17:30",
        "timezone": "Europe/Paris",
        "venue": "Palais",
        "address": "10 boulevard du Palais",
        "city": "Paris",
        "country": "FR",
        "online_url": "https://meet.example.org/ojf",
        "languages": ["en", "fr"],
    }
    data.update(changes)
    return data


def test_editing_the_details_saves_them_in_the_events_timezone(app, organiser, org_client):
    event = make_event(organisers=[organiser])
    form = page(org_client.get(f"/events/{event.slug}/manage/details"))
    assert 'value="Open Justice Forum"' in form
    response = org_client.post(
        f"/events/{event.slug}/manage/details",
        data=details(timezone="America/Argentina/Buenos_Aires"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "The event's details are saved." in flashed(response)
    event = reload(Event, event.id)
    assert event.title == "Open Justice Forum 2031"
    assert event.starts_at == utc(SUNDAY, 12)
    assert event.timezone == "America/Argentina/Buenos_Aires"
    assert {t.slug for t in event.themes} == {"open-justice", "youth"}
    assert event.languages == ["en", "fr"] and event.format is EventFormat.HYBRID
    assert event.sequence == 1
    again = page(org_client.get(f"/events/{event.slug}/manage/details"))
    assert f'value="{SUNDAY}T09:00"' in again


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": f"{SUNDAY}T08:00"}, "ends_at", "The end must come after the start."),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Choose a timezone from the list"),
        (
            {"starts_at": f"{SUNDAY}T02:30"},
            "starts_at",
            "02:30 does not exist on that day in Europe/Paris",
        ),
        ({"starts_at": SUNDAY.strftime("%d/%m/%Y")}, "starts_at", "Not a valid datetime value"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "https://"),
        ({"title": "  "}, "title", "This field is required."),
        ({"country": "XX"}, "country", "two-letter ISO 3166"),
        ({"themes": [999_999]}, "themes", "Unknown theme."),
    ],
)
def test_bad_details_are_marked_and_nothing_is_saved(
    app, organiser, org_client, changes, field, message
):
    event = make_event(organisers=[organiser], title="Before")
    data = details(description="Typed <em>text</em> kept", **changes)
    response = org_client.post(f"/events/{event.slug}/manage/details", data=data)
    assert response.status_code == 422
    html = page(response)
    assert f'id="{field}-error"' in html and message in html
    assert "Typed &lt;em&gt;text&lt;/em&gt; kept" in html
    event = reload(Event, event.id)
    assert event.title == "Before" and event.sequence == 0


def test_a_cancelled_event_cannot_be_edited(app, organiser, org_client):
    event = make_event(organisers=[organiser], status="cancelled", title="Before")
    response = org_client.post(
        f"/events/{event.slug}/manage/details", data=details(), follow_redirects=True
    )
    assert "can no longer be changed" in flashed(response)
    assert reload(Event, event.id).title == "Before"


def test_moving_a_published_event_tells_the_participants(app, organiser, org_client):
    event = dated_event(organisers=[organiser])
    person = make_user()
    signed_up(event, person)
    org_client.post(
        f"/events/{event.slug}/manage/details", data=details(starts_at=f"{SUNDAY}T10:00")
    )
    kinds = db.session.scalars(
        select(OutboxMessage.kind).where(OutboxMessage.to_address == person.email)
    ).all()
    assert "event_changed" in kinds


# Registration settings ------------------------------------------------------------------


def settings(**changes):
    data = {
        "opens_at": f"{day(-29)}T09:00",
        "closes_at": f"{SATURDAY}T18:00",
        "capacity": "40",
        "waitlist_enabled": "y",
        "show_participants": "y",
        "quota_government": "10",
        "quota_civil_society": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_registration_settings_are_saved(app, organiser, org_client):
    event = dated_event(organisers=[organiser], capacity=None)
    response = org_client.post(
        f"/events/{event.slug}/manage/registration",
        data=settings(manual_approval="y", waitlist_enabled=None),
        follow_redirects=True,
    )
    assert "Registration settings saved." in flashed(response)
    event = reload(Event, event.id)
    assert event.registration_opens_at == utc(day(-29), 8)  # CET
    # Clocks in Paris move forward on SUNDAY: the day before is still winter time.
    assert event.registration_closes_at == utc(SATURDAY, 17)
    assert event.capacity == 40 and event.manual_approval and not event.waitlist_enabled
    assert [(q.sector.value, q.seats) for q in event.quotas] == [("government", 10)]
    form = page(org_client.get(f"/events/{event.slug}/manage/registration"))
    assert f'value="{day(-29)}T09:00"' in form and 'name="quota_government"' in form
    assert re.search(r'name="quota_government"[^>]*value="10"', form)


def test_raising_the_capacity_gives_seats_to_people_waiting(app, organiser, org_client):
    event = dated_event(organisers=[organiser], capacity=1)
    signed_up(event)
    waiting = signed_up(event)
    response = org_client.post(
        f"/events/{event.slug}/manage/registration",
        data=settings(capacity="2", opens_at="", closes_at=""),
        follow_redirects=True,
    )
    assert "1 people were given a seat" in flashed(response)
    assert reload(Registration, waiting.id).status is RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": "1"}, "capacity", "2 people are already confirmed"),
        ({"capacity": "-3"}, "capacity", "Number must be between 0 and 1000000"),
        ({"capacity": "lots"}, "capacity", "Not a valid integer value"),
        ({"quota_civil_society": "1"}, "quota_civil_society", "2 people of this sector"),
        ({"quota_media": "-1"}, "quota_media", "Number must be between"),
        ({"closes_at": f"{day(-57)}T09:00"}, "closes_at", "must close after it opens"),
        ({"closes_at": f"{day(2)}T09:00"}, "closes_at", "by the end of the event"),
        ({"opens_at": f"{SUNDAY}T02:30"}, "opens_at", "does not exist on that day"),
    ],
)
def test_bad_registration_settings_are_marked_and_nothing_is_saved(
    app, organiser, org_client, changes, field, message
):
    event = dated_event(organisers=[organiser], capacity=10)
    signed_up(event)
    signed_up(event)
    response = org_client.post(
        f"/events/{event.slug}/manage/registration", data=settings(**changes)
    )
    assert response.status_code == 422
    html = page(response)
    assert f'id="{field}-error"' in html and message in html
    assert f'value="{changes[field]}"' in html
    event = reload(Event, event.id)
    assert event.capacity == 10 and event.registration_opens_at is None and event.quotas == []


# Questions ------------------------------------------------------------------------------


def rows(*questions):
    data = {}
    for i, q in enumerate(questions):
        for key, value in q.items():
            data[f"questions-{i}-{key}"] = value
    return data


def test_questions_are_added_changed_and_removed(app, organiser, org_client):
    event = make_event(organisers=[organiser])
    url = f"/events/{event.slug}/manage/questions"
    assert 'name="questions-0-text"' in page(org_client.get(url))
    response = org_client.post(
        url,
        data=rows(
            {
                "kind": "single_choice",
                "text": "Diet",
                "options": "Vegan\r\nHalal\r\n\r\n",
                "required": "y",
            },
        ),
        follow_redirects=True,
    )
    assert "Questions saved." in flashed(response)
    diet = db.session.scalar(select(EventQuestion).where(EventQuestion.event_id == event.id))
    assert (diet.kind, diet.label, diet.options, diet.required) == (
        QuestionKind.SINGLE_CHOICE,
        "Diet",
        ["Vegan", "Halal"],
        True,
    )
    html = page(org_client.get(url))
    assert 'name="questions-1-text"' in html and "Vegan\nHalal" in html  # and one empty row

    org_client.post(
        url,
        data=rows(
            {"question_id": str(diet.id), "kind": "single_choice", "text": "Diet", "remove": "y"},
            {"question_id": "", "kind": "checkbox", "text": "I accept the rules"},
            {"question_id": "", "kind": "short_text", "text": ""},
        ),
    )
    questions = db.session.scalars(
        select(EventQuestion).where(EventQuestion.event_id == event.id)
    ).all()
    assert [(q.kind, q.label, q.required) for q in questions] == [
        (QuestionKind.CHECKBOX, "I accept the rules", False)
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "multiple_choice", "text": "Topics", "options": "Only one"}, "at least two"),
        ({"kind": "quiz", "text": "What?"}, "Unknown kind of question."),
        ({"kind": "short_text", "text": "x" * 301}, "At most 300 characters."),
        ({"question_id": "999999", "kind": "short_text", "text": "Hijack"}, "Unknown question."),
    ],
)
def test_a_bad_question_is_marked_and_nothing_is_saved(app, organiser, org_client, row, message):
    event = make_event(organisers=[organiser])
    kept = EventQuestion(event=event, kind=QuestionKind.SHORT_TEXT, label="Role", position=0)
    db.session.add(kept)
    db.session.commit()
    response = org_client.post(
        f"/events/{event.slug}/manage/questions",
        data=rows({"question_id": str(kept.id), "kind": "short_text", "text": "Role renamed"}, row),
    )
    assert response.status_code == 422
    html = page(response)
    # The row's error, or its field's when the form itself refuses the value (too long).
    assert re.search(r'id="questions-1(-text)?-error"', html) and message in html
    assert 'value="Role renamed"' in html  # what was typed stays
    questions = db.session.scalars(
        select(EventQuestion).where(EventQuestion.event_id == event.id)
    ).all()
    assert [q.label for q in questions] == ["Role"]


# Organisers -----------------------------------------------------------------------------


def test_co_organisers_are_added_by_address_and_removed(app, organiser, org_client):
    event = make_event(organisers=[organiser])
    colleague = make_user(name="Carl Colleague", email="carl@example.org")
    url = f"/events/{event.slug}/manage/organisers"
    response = org_client.post(url, data={"email": " CARL@example.org "}, follow_redirects=True)
    assert "Carl Colleague now organises this event." in flashed(response)
    assert "carl@example.org" in page(response)
    assert as_person(app, colleague).get(f"/events/{event.slug}/manage").status_code == 200
    mails = db.session.scalars(
        select(OutboxMessage.kind).where(OutboxMessage.to_address == colleague.email)
    ).all()
    assert mails == ["organiser_added"]

    again = org_client.post(url, data={"email": "carl@example.org"})
    assert again.status_code == 422 and "Already an organiser." in page(again)
    unknown = org_client.post(url, data={"email": "nobody@example.org"})
    assert unknown.status_code == 422 and 'id="email-error"' in page(unknown)
    assert 'value="nobody@example.org"' in page(unknown)
    assert db.session.scalar(select(EventOrganiser).where(EventOrganiser.event_id == event.id))

    response = org_client.post(
        f"/events/{event.slug}/manage/organisers/{colleague.id}/remove", follow_redirects=True
    )
    assert "The organiser was removed." in flashed(response)
    assert as_person(app, colleague).get(f"/events/{event.slug}/manage").status_code == 403
    last = org_client.post(
        f"/events/{event.slug}/manage/organisers/{organiser.id}/remove", follow_redirects=True
    )
    assert "at least one organiser" in flashed(last)
    owners = db.session.scalars(
        select(EventOrganiser.user_id).where(EventOrganiser.event_id == event.id)
    ).all()
    assert owners == [organiser.id]


# The event's life -----------------------------------------------------------------------


def test_publishing_a_draft_and_its_refusals(app, organiser, org_client):
    event = make_event(organisers=[organiser], status="draft")
    url = f"/events/{event.slug}/manage/publish"
    response = org_client.post(url, follow_redirects=True)
    assert "The event is published." in flashed(response)
    assert reload(Event, event.id).status is EventStatus.PUBLISHED
    again = org_client.post(url, follow_redirects=True)
    assert "Only a draft can be published." in flashed(again)

    nowhere = make_event(organisers=[organiser], status="draft", city=None)
    refused = org_client.post(f"/events/{nowhere.slug}/manage/publish", follow_redirects=True)
    assert "Say where the event takes place" in flashed(refused)
    assert reload(Event, nowhere.id).status is EventStatus.DRAFT


def test_cancelling_asks_for_a_message_and_tells_everyone(app, client, organiser, org_client):
    event = make_event(organisers=[organiser])
    person = make_user()
    signed_up(event, person)
    manage = page(org_client.get(f"/events/{event.slug}/manage"))
    assert "data-confirm=" in manage and "Cancel the event" in manage
    url = f"/events/{event.slug}/manage/cancel"
    refused = org_client.post(url, data={"message": "   "})
    assert refused.status_code == 422 and 'id="message-error"' in page(refused)
    assert reload(Event, event.id).status is EventStatus.PUBLISHED

    response = org_client.post(url, data={"message": "The venue is closed."}, follow_redirects=True)
    assert "The event is cancelled" in flashed(response)
    event = reload(Event, event.id)
    assert event.status is EventStatus.CANCELLED
    assert "The venue is closed." in page(client.get(f"/events/{event.slug}"))
    kinds = db.session.scalars(
        select(OutboxMessage.kind)
        .where(OutboxMessage.to_address == person.email)
        .order_by(OutboxMessage.id)  # PostgreSQL returns rows in no set order without it
    ).all()
    assert kinds[-1] == "event_cancelled"
    twice = org_client.post(url, data={"message": "Again"}, follow_redirects=True)
    assert "Only a draft or published event can be cancelled." in flashed(twice)


def test_completing_only_once_the_event_has_ended(app, organiser, org_client):
    event = make_event(organisers=[organiser])
    url = f"/events/{event.slug}/manage/complete"
    early = org_client.post(url, follow_redirects=True)
    assert "has ended can be completed" in flashed(early)
    assert reload(Event, event.id).status is EventStatus.PUBLISHED

    assert "Mark as completed" not in page(org_client.get(f"/events/{event.slug}/manage"))
    ended = make_event(organisers=[organiser], days=-2)
    assert "Mark as completed" in page(org_client.get(f"/events/{ended.slug}/manage"))
    response = org_client.post(f"/events/{ended.slug}/manage/complete", follow_redirects=True)
    assert "completed" in flashed(response)
    ended = reload(Event, ended.id)
    assert ended.status is EventStatus.COMPLETED and ended.completed_at is not None


# The image ------------------------------------------------------------------------------


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path


def upload(client, event, data, name="picture.png"):
    """Post a file, the multipart body built here: the test client would spool a large
    body to a temporary file it never closes."""
    boundary = "----convene-test-boundary"
    parts = [f"--{boundary}\r\n".encode()]
    if data is not None:
        parts.append(
            f'Content-Disposition: form-data; name="image"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        parts += [data, f"\r\n--{boundary}\r\n".encode()]
    parts.append(b'Content-Disposition: form-data; name="note"\r\n\r\n-\r\n')
    parts.append(f"--{boundary}--\r\n".encode())
    return client.post(
        f"/events/{event.slug}/manage/image",
        data=b"".join(parts),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_an_image_is_stored_and_served_with_its_type(app, client, organiser, org_client, uploads):
    event = make_event(organisers=[organiser])
    assert client.get(f"/events/{event.slug}/image").status_code == 404
    response = upload(org_client, event, PNG, name="photo.jpg")  # the bytes decide, not the name
    assert response.status_code == 302
    first = reload(Event, event.id).image_path
    assert first.endswith(".png") and (uploads / first).read_bytes() == PNG
    served = client.get(f"/events/{event.slug}/image")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == PNG
    assert f"/events/{event.slug}/image" in page(client.get(f"/events/{event.slug}"))

    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 32
    assert upload(org_client, event, webp, name="x.webp").status_code == 302
    second = reload(Event, event.id).image_path
    assert second.endswith(".webp") and not (uploads / first).exists()
    assert client.get(f"/events/{event.slug}/image").mimetype == "image/webp"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<svg onload=alert(1)></svg>", "evil.png", "Choose a PNG, JPEG or WebP image."),
        (b"GIF89a" + b"\x00" * 20, "anim.gif", "Choose a PNG, JPEG or WebP image."),
        (PNG[:8] + b"\x00" * (3 * 1024 * 1024), "huge.png", "at most 2 MB"),
        (b"", "empty.png", "Choose a PNG, JPEG or WebP image."),
        (None, None, "Choose an image file."),
    ],
)
def test_a_bad_image_is_refused(app, organiser, org_client, uploads, data, name, message):
    event = make_event(organisers=[organiser])
    response = upload(org_client, event, data, name=name)
    assert response.status_code == 422
    html = page(response)
    assert 'id="image-error"' in html and message in html
    assert reload(Event, event.id).image_path is None
    assert list(uploads.rglob("*.*")) == []


def test_image_kinds_come_from_the_first_bytes(app):
    assert event_service.image_kind(b"\xff\xd8\xff\xe0" + b"\x00" * 8) == "jpg"
    assert event_service.image_kind(PNG) == "png"
    assert event_service.image_kind(b"RIFF\x00\x00\x00\x00WAVE") is None
    assert event_service.image_kind(b"\x89PNG") is None


# Participants ---------------------------------------------------------------------------


def crowd(event, n, **changes):
    return [signed_up(event, make_user(name=f"Person {i:03d}"), **changes) for i in range(n)]


def test_the_participant_list_counts_and_filters(app, organiser, org_client):
    event = make_event(organisers=[organiser], capacity=2)
    signed_up(event, make_user(name="Gina Gov", email="gina@gov.example"), sector="government")
    signed_up(event, make_user(name="Cid Civil"))
    first_waiting = signed_up(event, make_user(name="Wes Waiting"))
    signed_up(event, make_user(name="Wanda Waiting"), sector="media")
    event.manual_approval = True
    db.session.commit()
    signed_up(event, make_user(name="Pia Pending"))

    url = f"/events/{event.slug}/participants"
    html = page(org_client.get(url))
    for name in ("Gina Gov", "Cid Civil", "Wes Waiting", "Wanda Waiting", "Pia Pending"):
        assert name in html
    totals = re.search(r'<tr data-sector="all">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", totals) == ["1", "2", "2", "0", "0"]
    civil = re.search(r'<tr data-sector="civil_society">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", civil) == ["1", "1", "1", "0", "0"]
    assert "Position 1" in html and "Position 2" in html and "awaiting approval" in html

    waiting = page(org_client.get(f"{url}?status=waitlisted"))
    assert "Wes Waiting" in waiting and "Gina Gov" not in waiting
    assert waiting.index("Wes Waiting") < waiting.index("Wanda Waiting")
    assert "Gina Gov" in page(org_client.get(f"{url}?q=GOV.EXAMPLE"))
    assert "Cid Civil" not in page(org_client.get(f"{url}?q=gov.example"))
    media = page(org_client.get(f"{url}?sector=media"))
    assert "Wanda Waiting" in media and "Wes Waiting" not in media
    assert "Nobody matches" in page(org_client.get(f"{url}?q=%25"))  # % is no wildcard
    assert "Wes Waiting" in page(org_client.get(f"{url}?status=nonsense"))
    assert first_waiting.waitlist_position == 1


def act(client, event, registration, action, **data):
    return client.post(
        f"/events/{event.slug}/participants/{registration.id}/{action}",
        data=data,
        follow_redirects=True,
    )


def test_organisers_approve_decline_promote_cancel_and_check_in(app, organiser, org_client):
    event = make_event(organisers=[organiser], capacity=1, manual_approval=True)
    first, second, third = crowd(event, 3)
    assert {r.status for r in (first, second, third)} == {RegistrationStatus.PENDING}

    assert "Registration approved." in flashed(act(org_client, event, first, "approve"))
    assert reload(Registration, first.id).status is RegistrationStatus.CONFIRMED
    act(org_client, event, second, "approve")  # no seat left: the waiting list
    assert reload(Registration, second.id).waitlist_position == 1
    assert "Registration declined." in flashed(act(org_client, event, third, "decline"))
    assert reload(Registration, third.id).status is RegistrationStatus.DECLINED
    refused = act(org_client, event, third, "approve")
    assert "not waiting for approval" in flashed(refused)

    full = act(org_client, event, second, "promote")
    assert "no free seat" in flashed(full)
    assert reload(Registration, second.id).status is RegistrationStatus.WAITLISTED

    response = act(org_client, event, first, "check-in", mode="in_person")
    assert "Checked in." in flashed(response)
    checked = reload(Registration, first.id)
    assert checked.checked_in_at and checked.attendance_mode is AttendanceMode.IN_PERSON
    act(org_client, event, first, "check-in", mode="online")
    assert reload(Registration, first.id).attendance_mode is AttendanceMode.ONLINE
    assert "Check-in undone." in flashed(act(org_client, event, first, "undo-check-in"))
    assert reload(Registration, first.id).checked_in_at is None
    refused = act(org_client, event, second, "check-in", mode="in_person")
    assert "Only confirmed participants can be checked in." in flashed(refused)
    assert reload(Registration, second.id).checked_in_at is None

    cancelled = act(org_client, event, first, "cancel", status="confirmed")
    assert "Registration cancelled." in flashed(cancelled)
    assert reload(Registration, first.id).status is RegistrationStatus.CANCELLED
    assert reload(Registration, second.id).status is RegistrationStatus.CONFIRMED  # promoted


def test_moving_someone_from_the_waiting_list(app, organiser, org_client):
    event = make_event(organisers=[organiser], capacity=1)
    _seated, first, second = crowd(event, 3)
    event.capacity = 2  # a seat freed without promoting anyone yet
    db.session.commit()
    response = act(org_client, event, second, "promote")
    assert "the seat is theirs" in flashed(response)
    assert reload(Registration, second.id).status is RegistrationStatus.CONFIRMED
    assert reload(Registration, first.id).waitlist_position == 1


def test_participant_actions_stay_within_the_event(app, organiser, org_client):
    mine = make_event(organisers=[organiser])
    other = make_event()
    theirs = signed_up(other)
    response = org_client.post(f"/events/{mine.slug}/participants/{theirs.id}/cancel")
    assert response.status_code == 404
    assert reload(Registration, theirs.id).status is RegistrationStatus.CONFIRMED
    ours = signed_up(mine)
    assert org_client.post(f"/events/{mine.slug}/participants/{ours.id}/explode").status_code == 404
    redirect = org_client.post(
        f"/events/{mine.slug}/participants/{ours.id}/check-in?status=confirmed&evil=1",
        data={"mode": "in_person"},
    )
    assert redirect.headers["Location"].endswith(
        f"/events/{mine.slug}/participants?status=confirmed"
    )


def test_the_csv_export_keeps_text_as_text(app, organiser, org_client):
    event = make_event(organisers=[organiser], timezone="America/Argentina/Buenos_Aires")
    role = EventQuestion(event=event, kind=QuestionKind.SHORT_TEXT, label="=Role", position=0)
    topics = EventQuestion(
        event=event,
        kind=QuestionKind.MULTIPLE_CHOICE,
        label="Topics",
        options=["Courts", "Data"],
        position=1,
    )
    rules = EventQuestion(event=event, kind=QuestionKind.CHECKBOX, label="Rules", position=2)
    db.session.add_all([role, topics, rules])
    db.session.commit()
    member = make_member(name="+Member & Co")
    person = make_user(name="@Mallory", email="mallory@example.org")
    registration = signed_up(
        event,
        person,
        organisation='=HYPERLINK("http://evil")',
        member_id=member.id,
        accessibility_needs="<b>Ramp</b>\nplease",
        answers={str(role.id): "-2+3", str(topics.id): ["Courts", "Data"], str(rules.id): True},
    )
    signed_up(event, make_user(name="\tTabby", email="tabby@example.org"), sector="media")

    response = org_client.get(f"/events/{event.slug}/participants.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0][:3] == ["Name", "E-mail", "Organisation"]
    assert table[0][-3:] == ["'=Role", "Topics", "Rules"]
    rows_by_email = {row[1]: row for row in table[1:]}
    row = rows_by_email["mallory@example.org"]
    header = table[0]
    cell = dict(zip(header, row, strict=True))
    assert cell["Name"] == "'@Mallory"
    assert cell["Organisation"] == '\'=HYPERLINK("http://evil")'
    assert cell["Member"] == "'+Member & Co"
    assert cell["Sector"] == "civil_society" and cell["Status"] == "confirmed"
    assert cell["Accessibility needs"] == "<b>Ramp</b>\nplease"
    assert cell["'=Role"] == "'-2+3" and cell["Topics"] == "Courts; Data" and cell["Rules"] == "yes"
    registration = reload(Registration, registration.id)
    confirmed = registration.confirmed_at.astimezone(registration.confirmed_at.tzinfo)
    assert cell["Confirmed at"].endswith("-03:00")
    assert cell["Confirmed at"][:10] <= confirmed.strftime("%Y-%m-%d")
    assert rows_by_email["tabby@example.org"][0] == "'\tTabby"

    media = org_client.get(f"/events/{event.slug}/participants.csv?sector=media")
    assert len(list(csv.reader(io.StringIO(media.data.decode("utf-8-sig"))))) == 2


# Queries --------------------------------------------------------------------------------


def count_statements(client, url) -> int:
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_the_participant_pages_take_as_many_queries_for_50_people_as_for_5(
    app, organiser, org_client
):
    member = make_member()
    counts = {}
    for n in (5, 50):
        event = make_event(organisers=[organiser], capacity=n - 2)
        db.session.add(SectorQuota(event=event, sector="media", seats=n))
        db.session.add(EventQuestion(event=event, kind=QuestionKind.SHORT_TEXT, label="Role"))
        db.session.commit()
        crowd(event, n, member_id=member.id)
        people = db.session.scalar(select(db.func.count()).where(Registration.event_id == event.id))
        assert people == n
        counts[n] = [
            count_statements(org_client, f"/events/{event.slug}{suffix}")
            for suffix in ("/participants", "/participants.csv", "")
        ]
    assert counts[5] == counts[50]
