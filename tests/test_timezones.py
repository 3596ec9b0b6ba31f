"""Timezones: only canonical IANA names are offered and accepted (UTC included); old aliases
already stored are read under their canonical name; a page's unknown `?tz=` falls back
with a notice and every time keeps its zone label."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from sqlalchemy import text

from convene.extensions import db
from convene.models import Event, Proposal, User
from convene.services import InvalidInput
from convene.services.validation import canonical_timezone, check_timezone, timezone_names

from .factories import Cast, make_event, make_proposal, make_user
from .test_event_api import bearer, new_event

NOT_CANONICAL = ["localtime", "posixrules", "Factory", "Africa/Asmera", "US/Eastern", "Etc/GMT+5"]
NOT_CANONICAL += ["Etc/UTC", "GMT", "Asia/Calcutta", "Europe/Kiev", "EST5EDT", "Mars/Olympus"]


def offsets(name: str) -> list[timedelta]:
    """The zone's UTC offset every fortnight from 2000 to 2040."""
    zone, start = ZoneInfo(name), datetime(2000, 1, 1, tzinfo=UTC)
    return [(start + timedelta(days=14 * n)).astimezone(zone).utcoffset() for n in range(1044)]


def test_the_list_holds_canonical_zones_and_utc():
    names = timezone_names()
    for name in ("UTC", "Europe/Paris", "Africa/Asmara", "America/Argentina/Buenos_Aires"):
        assert name in names
    assert not names & set(NOT_CANONICAL)
    assert not {name for name in names if name.startswith("Etc/")}
    # Each one loads and names its offset, so no time is ever shown without a label.
    moment = datetime(2031, 3, 30, 12, tzinfo=UTC)
    assert all(moment.astimezone(ZoneInfo(name)).tzname() for name in names)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Africa/Asmera", "Africa/Asmara"),
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Etc/UTC", "UTC"),
        ("GMT", "UTC"),
        ("UTC", "UTC"),
        ("Europe/Paris", "Europe/Paris"),
    ],
)
def test_an_alias_has_its_canonical_name(alias, canonical):
    assert canonical_timezone(alias) == canonical


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "Etc/GMT+5", "", None])
def test_names_with_no_canonical_zone(name):
    assert canonical_timezone(name) is None


def test_every_alias_keeps_its_times():
    """Whatever zoneinfo knows maps to a canonical zone with the same offsets, or to none."""
    mapped = {name: canonical_timezone(name) for name in available_timezones()}
    assert {name for name, canonical in mapped.items() if canonical} > timezone_names()
    for name, canonical in mapped.items():
        if canonical and canonical != name:
            assert offsets(name) == offsets(canonical), (name, canonical)


@pytest.mark.parametrize("name", NOT_CANONICAL)
def test_only_canonical_names_are_accepted(name):
    with pytest.raises(InvalidInput) as refused:
        check_timezone(name)
    [message] = refused.value.fields["timezone"]
    canonical = canonical_timezone(name)
    if canonical:
        assert canonical in message  # says which name to use instead
    else:
        assert "Europe/Paris" in message  # an example of a name that works


def test_an_oversized_name_is_refused_without_being_repeated():
    with pytest.raises(InvalidInput) as refused:
        check_timezone("Europe/" + "x" * 100_000)
    assert "xxxx" not in str(refused.value.fields) + refused.value.message


# Names stored before: read under their canonical name ---------------------------------


def test_aliases_stored_before_are_read_as_canonical(app):
    person = make_user()
    event = make_event()
    proposal = make_proposal(Cast())
    for table, row in (("users", person), ("events", event), ("proposals", proposal)):
        db.session.execute(
            text(f"UPDATE {table} SET timezone = 'Asia/Calcutta' WHERE id = :id"),  # noqa: S608
            {"id": row.id},
        )
    db.session.commit()
    db.session.expire_all()
    for model, row in ((User, person), (Event, event), (Proposal, proposal)):
        assert db.session.get(model, row.id).timezone == "Asia/Kolkata"
    # A name with no canonical zone is left as it is, and still works where it did.
    db.session.execute(
        text("UPDATE users SET timezone = 'Etc/GMT+5' WHERE id = :id"), {"id": person.id}
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, person.id).timezone == "Etc/GMT+5"


def test_the_profile_form_shows_a_stored_alias_as_its_canonical_zone(app, client, auth):
    person = make_user()
    db.session.execute(
        text("UPDATE users SET timezone = 'Africa/Asmera' WHERE id = :id"), {"id": person.id}
    )
    db.session.commit()
    auth.sign_in(person.email)
    page = client.get("/me/profile").get_data(as_text=True)
    assert re.search(
        r'<option selected value="Africa/Asmara">|<option value="Africa/Asmara" selected', page
    )
    assert "Africa/Asmera" not in page


def test_a_stored_name_with_no_canonical_zone_is_shown_not_replaced(app, client, auth):
    """Otherwise the browser would pick the first option and saving would change the zone
    silently; sent back, it is refused with the reason."""
    person = make_user()
    db.session.execute(
        text("UPDATE users SET timezone = 'Etc/GMT+5' WHERE id = :id"), {"id": person.id}
    )
    db.session.commit()
    auth.sign_in(person.email)
    page = client.get("/me/profile").get_data(as_text=True)
    assert re.search(
        r'<option selected value="Etc/GMT\+5">|<option value="Etc/GMT\+5" selected', page
    )
    response = client.post(
        "/me/profile", data={"name": "Renamed", "timezone": "Etc/GMT+5", "locale": ""}
    )
    assert response.status_code == 200
    assert "Choose a timezone from the list" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.name != "Renamed"


# Input: forms and API ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["localtime", "Africa/Asmera", "Etc/UTC"])
def test_the_profile_refuses_a_name_that_is_not_canonical(app, client, auth, name):
    person = make_user(timezone="Europe/Paris")
    auth.sign_in(person.email)
    response = client.post("/me/profile", data={"name": "Renamed", "timezone": name, "locale": ""})
    assert response.status_code == 200
    assert 'id="timezone-error"' in response.get_data(as_text=True)
    db.session.refresh(person)
    assert (person.name, person.timezone) == ("Test Person", "Europe/Paris")


@pytest.mark.parametrize("path", ["/me/profile", "/proposals/new"])
def test_the_forms_offer_canonical_zones_only(app, client, auth, path):
    cast = Cast()
    auth.sign_in(cast.proposer.email)
    page = client.get(path).get_data(as_text=True)
    [select] = re.findall(r'<select[^>]*name="timezone".*?</select>', page, re.S)
    offered = set(re.findall(r'value="([^"]+)"', select)) - {""}
    assert offered == timezone_names()


def test_the_event_form_offers_canonical_zones_only(app, client, auth):
    organiser = make_user()
    event = make_event(status="draft", organisers=[organiser], timezone="Asia/Tokyo")
    auth.sign_in(organiser.email)
    page = client.get(f"/events/{event.slug}/manage/details").get_data(as_text=True)
    assert page.count('value="localtime"') == page.count('value="Africa/Asmera"') == 0
    assert 'value="Africa/Asmara"' in page and 'value="UTC"' in page


@pytest.mark.parametrize(
    ("name", "hint"), [("localtime", "Europe/Paris"), ("US/Eastern", "America/New_York")]
)
def test_the_api_refuses_a_name_that_is_not_canonical(app, client, name, hint):
    cast = Cast()
    response = client.post(
        "/api/v1/events", json=new_event(cast, timezone=name), headers=bearer(cast.admin)
    )
    assert response.status_code == 422
    [message] = response.json["error"]["fields"]["timezone"]
    assert hint in message
    assert db.session.query(Event).count() == 0


def test_the_api_gives_a_stored_alias_as_its_canonical_zone(app, client):
    event = make_event(timezone="Europe/Paris")
    db.session.execute(
        text("UPDATE events SET timezone = 'Europe/Kiev' WHERE id = :id"), {"id": event.id}
    )
    db.session.commit()
    assert client.get(f"/api/v1/events/{event.id}").json["timezone"] == "Europe/Kyiv"


# The agenda's ?tz= ---------------------------------------------------------------------


@pytest.fixture
def agenda_event(app):
    from convene.services import agenda
    from convene.services.agenda import SessionInput

    organiser = make_user()
    event = make_event(organisers=[organiser], timezone="Europe/Paris", slug="tz-forum")
    start = event.starts_at.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    agenda.create_session(
        organiser,
        event,
        SessionInput(
            title="Opening", kind="plenary", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
    )
    db.session.commit()
    return event


def viewer_times(page: str) -> list[str]:
    return re.findall(r'class="viewer-time">(.*?)</span>', page, re.S)


@pytest.mark.parametrize("asked", ["localtime", "posixrules", "Mars/Olympus", "x" * 5000])
def test_an_unknown_tz_falls_back_with_a_notice(client, agenda_event, asked):
    page = client.get(f"/events/tz-forum/agenda?tz={asked}").get_data(as_text=True)
    [notice] = re.findall(r"<p[^>]*>([^<]*is not a timezone convene knows[^<]*)</p>", page)
    assert "times are shown in UTC" in notice
    assert asked not in notice
    [shown] = viewer_times(page)
    assert re.search(r"<abbr title=\"UTC\">UTC</abbr>", shown)


def test_an_alias_in_tz_is_read_as_its_canonical_zone(client, agenda_event):
    page = client.get("/events/tz-forum/agenda?tz=Asia/Calcutta").get_data(as_text=True)
    assert "not a timezone convene knows" not in page
    [shown] = viewer_times(page)
    assert '<abbr title="Asia/Kolkata">IST</abbr>' in shown


def test_a_canonical_tz_shows_no_notice(client, agenda_event):
    page = client.get("/events/tz-forum/agenda?tz=Asia/Tokyo").get_data(as_text=True)
    assert "not a timezone convene knows" not in page
    [shown] = viewer_times(page)
    assert '<abbr title="Asia/Tokyo">JST</abbr>' in shown
