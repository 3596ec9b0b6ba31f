"""Registration pages: register, confirm and cancel by link, my registrations, delegations,
the public list and the inclusion counts — the journeys, the refusals and the wiring."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from convene.extensions import db
from convene.i18n import localtime
from convene.models import (
    EventQuestion,
    OutboxMessage,
    QuestionKind,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)
from convene.services import registration as reg

from .conftest import link_in, outbox_to
from .factories import (
    PASSWORD,
    make_event,
    make_focal_point,
    make_member,
    make_user,
    registration_input,
)


def as_person(app, person):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def add_questions(event):
    """A required short text, a single choice, a multiple choice and a required checkbox."""
    questions = [
        EventQuestion(event_id=event.id, position=0, kind=QuestionKind.SHORT_TEXT,
                      label="Your role", required=True),
        EventQuestion(event_id=event.id, position=1, kind=QuestionKind.SINGLE_CHOICE,
                      label="Lunch", options=["Vegetarian", "Vegan"]),
        EventQuestion(event_id=event.id, position=2, kind=QuestionKind.MULTIPLE_CHOICE,
                      label="Workshops", options=["Courts", "Data"]),
        EventQuestion(event_id=event.id, position=3, kind=QuestionKind.CHECKBOX,
                      label="I accept the code of conduct", required=True),
    ]  # fmt: skip
    db.session.add_all(questions)
    db.session.commit()
    return questions


def answers(questions, role="Judge", lunch="Vegan", workshops=("Data",), conduct="y"):
    role_q, lunch_q, workshop_q, conduct_q = questions
    data = {f"q{role_q.id}": role, f"q{lunch_q.id}": lunch, f"q{workshop_q.id}": list(workshops)}
    if conduct:
        data[f"q{conduct_q.id}"] = conduct
    return data


def form(**changes):
    data = {"name": "Ana Anon", "email": "ana@example.org", "sector": "civil_society"}
    data.update(changes)
    return data


def registrations(event=None):
    query = select(Registration).order_by(Registration.id)
    if event is not None:
        query = query.where(Registration.event_id == event.id)
    return db.session.scalars(query).all()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def links_in(message) -> list[str]:
    return re.findall(r"http://convene\.test(/\S+)", message.body_text)


def cancel_link(message) -> str:
    return next(link for link in links_in(message) if "/cancel/" in link)


def text(response) -> str:
    return response.get_data(as_text=True)


# The journeys ----------------------------------------------------------------------


def test_anonymous_registration_is_confirmed_by_the_emailed_link(app, client):
    event = make_event(title="Open Justice Forum", capacity=10)
    questions = add_questions(event)
    page = text(client.get(f"/events/{event.slug}/register"))
    assert 'name="email"' in page and 'name="name"' in page and "Your role" in page
    assert "only used in aggregate" in page

    response = client.post(f"/events/{event.slug}/register", data=form(**answers(questions)))
    assert response.status_code == 200
    assert "Check your e-mail" in text(response) and "ana@example.org" in text(response)
    (registration,) = registrations(event)
    assert registration.status is RegistrationStatus.PENDING
    assert registration.answers[str(questions[0].id)] == "Judge"
    assert registration.answers[str(questions[2].id)] == ["Data"]

    (message,) = outbox_to("ana@example.org")
    link = link_in(message)
    # Opening the link (as a mail scanner would) changes nothing: it takes a button.
    page = client.get(link)
    assert page.status_code == 200 and "Confirm my registration" in text(page)
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.PENDING

    done = client.post(link)
    assert done.status_code == 200 and "You are registered." in text(done)
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.user.email_confirmed_at is not None
    assert outbox_to("ana@example.org")[-1].kind == "registration_confirmed"
    # Following the link again is harmless and says where things stand.
    again = client.post(link)
    assert again.status_code == 200 and "You are registered." in text(again)


def test_a_signed_in_person_registers_without_giving_name_or_address(app):
    person = make_user(name="Sam Signed", email="sam@example.org")
    event = make_event(capacity=5)
    client = as_person(app, person)
    page = text(client.get(f"/events/{event.slug}/register"))
    assert 'name="email"' not in page and "sam@example.org" in page
    response = client.post(f"/events/{event.slug}/register", data={"sector": "academia"})
    (registration,) = registrations(event)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/me/registrations/{registration.id}"
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.user_id == person.id
    page = text(client.get(response.headers["Location"]))
    assert "You are registered." in page


def test_full_event_waitlists_with_position_and_a_cancellation_promotes(app):
    event = make_event(capacity=1)
    first = make_user(email="first@example.org")
    second = make_user(email="second@example.org")
    first_client, second_client = as_person(app, first), as_person(app, second)
    first_client.post(f"/events/{event.slug}/register", data={"sector": "government"})
    response = second_client.post(f"/events/{event.slug}/register", data={"sector": "media"})
    page = text(second_client.get(response.headers["Location"], follow_redirects=True))
    assert "you are number 1 on the waiting list" in page
    mine = text(second_client.get("/me/registrations"))
    assert "Waiting list · number 1" in mine

    seat, waiting = registrations(event)
    # The first person cancels from their page: a confirmation first, then the cancellation.
    confirm_page = first_client.get(f"/me/registrations/{seat.id}/cancel")
    assert confirm_page.status_code == 200 and "Yes, cancel my registration" in text(confirm_page)
    db.session.refresh(seat)
    assert seat.status is RegistrationStatus.CONFIRMED
    done = first_client.post(f"/me/registrations/{seat.id}/cancel", follow_redirects=True)
    assert "Your registration is cancelled" in text(done)

    db.session.refresh(seat)
    db.session.refresh(waiting)
    assert seat.status is RegistrationStatus.CANCELLED
    assert waiting.status is RegistrationStatus.CONFIRMED and waiting.waitlist_position is None
    assert outbox_to("second@example.org")[-1].kind == "registration_promoted"
    assert "You are registered." in text(second_client.get(f"/me/registrations/{waiting.id}"))


def test_cancel_by_the_emailed_link_without_signing_in(app, client):
    event = make_event(capacity=1)
    registration, _new = reg.register(event, registration_input(email="lin@example.org"))
    reg.confirm_email(registration.id, reg.manage_token(registration))
    waiting, _new = reg.register(event, registration_input(email="wait@example.org"))
    reg.confirm_email(waiting.id, reg.manage_token(waiting))
    db.session.commit()
    link = cancel_link(outbox_to("lin@example.org")[-1])

    page = client.get(link)
    assert page.status_code == 200 and "Yes, cancel my registration" in text(page)
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.CONFIRMED

    done = client.post(link)
    assert done.status_code == 200 and "This registration is cancelled." in text(done)
    db.session.refresh(registration)
    db.session.refresh(waiting)
    assert registration.status is RegistrationStatus.CANCELLED
    assert waiting.status is RegistrationStatus.CONFIRMED
    assert outbox_to("wait@example.org")[-1].kind == "registration_promoted"
    # The link keeps answering, with where things stand.
    assert "This registration is cancelled." in text(client.get(link))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "path",
    [
        "/registrations/{id}/cancel/forged-token",
        "/registrations/{id}/confirm/forged-token",
        "/registrations/{other}/cancel/{token}",
        "/registrations/99999999/cancel/{token}",
        "/registrations/99999999999999999999/cancel/{token}",
    ],
)
def test_forged_links_are_not_found_and_change_nothing(app, client, method, path):
    event = make_event(title="Secret Strategy Summit")
    registration, _new = reg.register(event, registration_input(email="victim@example.org"))
    other, _new = reg.register(event, registration_input(email="other@example.org"))
    db.session.commit()
    url = path.format(id=registration.id, other=other.id, token=reg.manage_token(registration))
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert "Secret Strategy Summit" not in text(response)
    assert all(r.status is RegistrationStatus.PENDING for r in registrations(event))


def test_registering_twice_shows_the_existing_registration(app, client):
    event = make_event(capacity=5)
    person = make_user()
    signed = as_person(app, person)
    signed.post(f"/events/{event.slug}/register", data={"sector": "government"})
    (registration,) = registrations(event)
    for response in (
        signed.get(f"/events/{event.slug}/register"),
        signed.post(f"/events/{event.slug}/register", data={"sector": "media"}),
    ):
        assert response.status_code == 302
        assert response.headers["Location"] == f"/me/registrations/{registration.id}"
    assert len(registrations(event)) == 1
    assert registrations(event)[0].sector.value == "government"

    # Without signing in, the page says only "check your e-mail"; the e-mail says the rest.
    for _attempt in range(2):
        response = client.post(f"/events/{event.slug}/register", data=form())
        assert response.status_code == 200 and "Check your e-mail" in text(response)
    assert len(registrations(event)) == 2
    assert [m.kind for m in outbox_to("ana@example.org")] == ["registration_confirm_email"] * 2
    assert link_in(outbox_to("ana@example.org")[0]) == link_in(outbox_to("ana@example.org")[1])


# Refusals: a clear message, nothing saved --------------------------------------------


def _closed_cases():
    now = utcnow()
    return {
        "not yet open": (dict(registration_opens_at=now + timedelta(days=2)), "not opened yet"),
        "closed": (dict(registration_closes_at=now - timedelta(hours=1)), "Registration is closed"),
        "cancelled": (dict(status="cancelled"), "not open for registration"),
        "completed": (dict(status="completed"), "not open for registration"),
    }


@pytest.mark.parametrize("case", ["not yet open", "closed", "cancelled", "completed"])
def test_registration_refused_when_not_open(app, client, case):
    fields, message = _closed_cases()[case]
    event = make_event(**fields)
    page = client.get(f"/events/{event.slug}/register")
    assert page.status_code == 200 and message in text(page)
    assert 'name="sector"' not in text(page)
    response = client.post(f"/events/{event.slug}/register", data=form())
    assert response.status_code == 409 and message in text(response)
    assert registrations() == [] and count(OutboxMessage) == 0
    assert db.session.scalar(select(User).where(User.email == "ana@example.org")) is None


def test_a_draft_event_is_hidden_and_its_organiser_sees_why_not(app, client):
    organiser = make_user()
    event = make_event(status="draft", organisers=[organiser])
    assert client.get(f"/events/{event.slug}/register").status_code == 404
    assert client.post(f"/events/{event.slug}/register", data=form()).status_code == 404
    response = as_person(app, organiser).post(
        f"/events/{event.slug}/register", data={"sector": "government"}
    )
    assert response.status_code == 409 and "not open for registration" in text(response)
    assert registrations() == []


def test_a_full_event_without_waiting_list_says_so_when_the_address_is_confirmed(app, client):
    event = make_event(capacity=1, waitlist=False)
    reg.register(event, registration_input(), actor=make_user())
    db.session.commit()
    client.post(f"/events/{event.slug}/register", data=form())
    link = link_in(outbox_to("ana@example.org")[0])
    response = client.post(link)
    assert response.status_code == 409 and "This event is full." in text(response)
    late = registrations(event)[1]
    assert late.status is RegistrationStatus.PENDING and late.user.email_confirmed_at is None


def test_a_confirmation_link_that_expired_says_so(app, client):
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form())
    (registration,) = registrations(event)
    registration.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(link_in(outbox_to("ana@example.org")[0]))
    assert response.status_code == 422 and "expired" in text(response)
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.PENDING


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("missing required answer", "role", "This answer is required."),
        ("unticked required box", "conduct", "Please tick this box."),
        ("invalid e-mail", "email", "e-mail"),
        ("answer not among the choices", "lunch", "Choose among the options given."),
        ("choice not among the options", "workshops", "Choose among the options given."),
        ("answer too long", "role", "At most 300 characters."),
        ("no sector", "sector", "Choose your sector."),
        ("no name", "name", "Enter your name"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(app, client, case, field, message):
    event = make_event()
    questions = add_questions(event)
    role_q, lunch_q, workshop_q, conduct_q = questions
    data = form(organisation="Typed Org", **answers(questions))
    change = {
        "missing required answer": {f"q{role_q.id}": ""},
        "unticked required box": {f"q{conduct_q.id}": ""},
        "invalid e-mail": {"email": "not-an-address"},
        "answer not among the choices": {f"q{lunch_q.id}": "Steak"},
        "choice not among the options": {f"q{workshop_q.id}": ["Data", "Sabotage"]},
        "answer too long": {f"q{role_q.id}": "x" * 301},
        "no sector": {"sector": ""},
        "no name": {"name": ""},
    }[case]
    data.update(change)
    response = client.post(f"/events/{event.slug}/register", data=data)
    page = text(response)
    assert response.status_code == 422
    ids = {"role": f"q{role_q.id}", "conduct": f"q{conduct_q.id}", "lunch": f"q{lunch_q.id}"}
    ids["workshops"] = f"q{workshop_q.id}"
    error_block = re.search(rf'id="{ids.get(field, field)}-error">(.*?)</ul>', page, re.S)
    assert error_block and message in error_block.group(1)
    assert 'value="Typed Org"' in page  # what was typed is kept
    assert registrations() == [] and count(OutboxMessage) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_megabyte_answer_is_refused_cleanly(app, client):
    event = make_event()
    role_q = add_questions(event)[0]
    why_q = EventQuestion(event_id=event.id, position=4, kind=QuestionKind.LONG_TEXT, label="Why")
    db.session.add(why_q)
    db.session.commit()
    data = form(**{f"q{role_q.id}": "x" * 1_000_000, f"q{why_q.id}": "y" * 1_000_000})
    response = client.post(f"/events/{event.slug}/register", data=data)
    page = text(response)
    assert response.status_code == 422
    assert re.search(rf'id="q{role_q.id}-error">\s*<li>At most 300 characters', page)
    assert re.search(rf'id="q{why_q.id}-error">\s*<li>At most 5000 characters', page)
    assert "x" * 301 not in page and "y" * 5001 not in page  # nor shown back whole
    assert registrations() == [] and count(OutboxMessage) == 0


def test_html_in_names_and_answers_is_shown_escaped(app, client):
    event = make_event()
    role_q, _lunch, _workshops, conduct_q = add_questions(event)
    person = make_user(name="<b>Bold</b> Person")
    reg.register(
        event,
        registration_input(
            sector="media",
            organisation="<script>alert(1)</script>",
            show_in_public_list=True,
            answers={str(role_q.id): "<img src=x onerror=alert(2)>", str(conduct_q.id): True},
        ),
        actor=person,
    )
    db.session.commit()
    listing = text(client.get(f"/events/{event.slug}/attendees"))
    assert "&lt;b&gt;Bold&lt;/b&gt; Person" in listing and "<b>Bold</b>" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing and "<script>alert" not in listing
    (registration,) = registrations(event)
    mine = text(as_person(app, person).get(f"/me/registrations/{registration.id}"))
    assert "&lt;img src=x onerror=alert(2)&gt;" in mine and "<img src=x" not in mine
    # A refused form shows what was typed, escaped too.
    response = client.post(
        f"/events/{event.slug}/register", data=form(name='"><script>x()</script>', email="bad")
    )
    assert response.status_code == 422 and "<script>x()" not in text(response)


# My registrations --------------------------------------------------------------------


def test_my_registrations_show_status_position_and_dates_in_the_events_timezone(app):
    person = make_user()
    far = make_event(title="Buenos Aires Forum", timezone="America/Argentina/Buenos_Aires")
    full = make_event(title="Nairobi Forum", timezone="Africa/Nairobi", capacity=0)
    reg.register(far, registration_input(), actor=person)
    reg.register(full, registration_input(), actor=person)
    db.session.commit()
    page = text(as_person(app, person).get("/me/registrations"))
    assert "Buenos Aires Forum" in page and "Nairobi Forum" in page
    assert localtime(far.starts_at, far.timezone) in page
    assert localtime(full.starts_at, full.timezone) in page
    assert "-03" in page and "EAT" in page
    assert "Confirmed" in page and "Waiting list · number 1" in page


def test_my_registrations_need_signing_in(app, client):
    response = client.get("/me/registrations")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_answers_change_until_registration_closes(app):
    person = make_user()
    event = make_event()
    questions = add_questions(event)
    client = as_person(app, person)
    client.post(f"/events/{event.slug}/register", data=form(**answers(questions)))
    (registration,) = registrations(event)
    url = f"/me/registrations/{registration.id}"
    page = text(client.get(url))
    assert 'value="Judge"' in page

    refused = client.post(url, data={"sector": "media", **answers(questions, lunch="Steak")})
    assert refused.status_code == 422 and "Choose among the options given." in text(refused)
    db.session.refresh(registration)
    assert registration.answers[str(questions[1].id)] == "Vegan"

    saved = client.post(url, data={"sector": "media", **answers(questions, role="Clerk")})
    assert saved.status_code == 302
    db.session.refresh(registration)
    assert registration.answers[str(questions[0].id)] == "Clerk"
    assert registration.sector.value == "media"

    event.registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    closed = client.post(url, data={"sector": "academia", **answers(questions, role="Judge")})
    assert closed.status_code == 200 and "answers can no longer change" in text(closed)
    db.session.refresh(registration)
    assert registration.answers[str(questions[0].id)] == "Clerk"


@pytest.mark.parametrize(
    "path", ["/me/registrations/{id}", "/me/registrations/{id}/cancel"], ids=["detail", "cancel"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_registration_is_not_found(app, path, method):
    organiser = make_user()
    event = make_event(organisers=[organiser])
    owner = make_user()
    registration, _new = reg.register(event, registration_input(), actor=owner)
    db.session.commit()
    for intruder in (make_user(), organiser):
        response = getattr(as_person(app, intruder), method)(
            path.format(id=registration.id), data={"sector": "media"}
        )
        assert response.status_code == 404
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.sector.value == "civil_society"


# Delegations -------------------------------------------------------------------------


def test_a_delegation_is_all_or_nothing_with_errors_per_line(app):
    member = make_member(name="Government of Testland")
    focal_point = make_focal_point(member).user
    event = make_event()
    client = as_person(app, focal_point)
    page = client.get(f"/events/{event.slug}/delegation")
    assert page.status_code == 200 and "Government of Testland" in text(page)

    lines = (
        "Ada One <ada@example.org>\n\nBob Two, not-an-address\nJust a name\n"
        "Cy Three, cy@example.org"
    )
    data = {"member_id": member.id, "sector": "government", "people": lines}
    response = client.post(f"/events/{event.slug}/delegation", data=data)
    page = text(response)
    assert response.status_code == 422
    assert "Line 4: write" in page  # not understood
    data["people"] = lines.replace("Just a name\n", "")
    response = client.post(f"/events/{event.slug}/delegation", data=data)
    page = text(response)
    assert response.status_code == 422 and "nobody was registered" in page
    assert re.search(r"Line 3: [^<]*e-mail", page)
    assert "Line 1:" not in page and "Line 4:" not in page
    assert "Cy Three, cy@example.org" in page  # the text is kept
    assert registrations() == [] and count(OutboxMessage) == 0
    assert db.session.scalar(select(User).where(User.email == "ada@example.org")) is None

    data["people"] = "Ada One <ada@example.org>\nCy Three, cy@example.org\n"
    response = client.post(f"/events/{event.slug}/delegation", data=data)
    assert response.status_code == 302
    made = registrations(event)
    assert [r.user.email for r in made] == ["ada@example.org", "cy@example.org"]
    assert all(r.status is RegistrationStatus.PENDING and r.member_id == member.id for r in made)
    assert all(r.registered_by_id == focal_point.id for r in made)
    assert outbox_to("cy@example.org")[0].kind == "registration_confirm_email"
    assert "2 people registered" in text(client.get(response.headers["Location"]))


def test_a_delegation_needs_a_sector(app):
    member = make_member()
    client = as_person(app, make_focal_point(member).user)
    event = make_event()
    response = client.post(
        f"/events/{event.slug}/delegation",
        data={
            "member_id": member.id,
            "sector": "",
            "people": "A <a@example.org>\nB, b@example.org",
        },
    )
    page = text(response)
    assert response.status_code == 422
    assert re.search(r'id="sector-error">\s*<li>Choose your sector.</li>\s*</ul>', page)
    assert registrations() == []


def test_delegations_are_for_focal_points_only(app, client):
    event = make_event()
    someone = as_person(app, make_user())
    assert someone.get(f"/events/{event.slug}/delegation").status_code == 403
    other_member = make_member()
    data = {"member_id": other_member.id, "sector": "government", "people": "A <a@example.org>"}
    assert someone.post(f"/events/{event.slug}/delegation", data=data).status_code == 403
    # A focal point cannot register people on behalf of another member.
    focal = as_person(app, make_focal_point().user)
    assert focal.post(f"/events/{event.slug}/delegation", data=data).status_code == 403
    assert client.get(f"/events/{event.slug}/delegation").status_code == 302
    assert registrations() == []


def test_a_delegation_for_a_closed_event_is_refused(app):
    member = make_member()
    client = as_person(app, make_focal_point(member).user)
    event = make_event(registration_closes_at=utcnow() - timedelta(hours=1))
    data = {"member_id": member.id, "sector": "government", "people": "A <a@example.org>"}
    response = client.post(f"/events/{event.slug}/delegation", data=data)
    assert response.status_code == 409 and "Registration is closed" in text(response)
    assert registrations() == []


# Privacy -------------------------------------------------------------------------------


def test_the_public_list_shows_only_consenting_confirmed_people(app, client):
    event = make_event(capacity=2)
    for name, consent in [("Carla Consents", True), ("Nora Notlisted", False), ("Wes Waits", True)]:
        reg.register(
            event, registration_input(show_in_public_list=consent), actor=make_user(name=name)
        )
    reg.register(event, registration_input(name="Pia Pending", show_in_public_list=True))
    db.session.commit()
    page = text(client.get(f"/events/{event.slug}/attendees"))
    assert "Carla Consents" in page
    assert "Nora Notlisted" not in page and "Wes Waits" not in page and "Pia Pending" not in page

    event.show_participants = False
    db.session.commit()
    page = text(client.get(f"/events/{event.slug}/attendees"))
    assert "Carla Consents" not in page and "do not publish" in page


def test_the_inclusion_page_never_shows_a_count_under_five(app, client):
    event = make_event()
    for i in range(13):
        data = registration_input(
            inclusion_consent=True,
            age_band="25_34" if i < 6 else ("45_54" if i < 11 else "35_44"),
            gender="woman" if i < 7 else ("femme" if i < 12 else "Unique Self-Description"),
            indigenous=i == 0,
        )
        reg.register(event, data, actor=make_user())
    # Without consent, nothing of it is counted.
    reg.register(event, registration_input(gender="man", age_band="65_plus"), actor=make_user())
    db.session.commit()
    page = text(client.get(f"/events/{event.slug}/inclusion"))
    cells = re.findall(r"<td>([^<]*)</td>", page)
    numbers = [int(c) for c in cells if c.strip().isdigit()]
    assert numbers and min(numbers) >= 5
    assert "25 to 34" in page and "woman" in page
    assert "Other or fewer than 5" in page and "35 to 44" not in page  # 2: not named
    assert "Unique Self-Description".lower() not in page.lower()
    assert "65 or over" not in page and ">man</th>" not in page, page


def test_every_form_carries_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    event = make_event()
    client = app.test_client()
    page = text(client.get(f"/events/{event.slug}/register"))
    assert 'name="csrf_token"' in page
    response = client.post(f"/events/{event.slug}/register", data=form())
    assert response.status_code == 400
    assert registrations() == []


def test_anonymous_registrations_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REGISTRATION_LIMIT="2 per minute")
    event = make_event()
    client = app.test_client()
    statuses = [
        client.post(f"/events/{event.slug}/register", data=form(email=f"r{i}@example.org"))
        for i in range(3)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert len(registrations(event)) == 2


def test_a_new_person_gets_e_mails_in_the_language_they_registered_in(client, app):
    from convene.models import User

    from .factories import make_event

    event = make_event(capacity=10)
    response = client.post(
        f"/events/{event.slug}/register",
        data={"name": "Inès", "email": "ines@example.org", "sector": "civil_society"},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    assert response.status_code in (200, 302)
    person = db.session.scalar(db.select(User).where(User.email == "ines@example.org"))
    assert person.locale == "fr"
