"""Required answers on every path: the form, the API, a delegation and the delegated
person's confirmation, a participant's edit, and a question made required later."""

import pytest
from sqlalchemy import select

from convene.extensions import db
from convene.models import Awaiting, EventQuestion, QuestionKind, Registration, RegistrationStatus
from convene.services import InvalidInput, events
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
from .test_api import assert_error


def ask(event, *questions: tuple[QuestionKind, str, bool]) -> list[EventQuestion]:
    """Add (kind, label, required) questions to `event`, in this order."""
    made = [
        EventQuestion(
            event_id=event.id,
            position=position,
            kind=kind,
            label=label,
            required=required,
            options=["Courts", "Data"] if kind is QuestionKind.MULTIPLE_CHOICE else [],
        )
        for position, (kind, label, required) in enumerate(questions)
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


def role_and_rules(event) -> tuple[str, str]:
    """A required short text and a required checkbox; their ids as the answers' keys."""
    role, rules = ask(
        event,
        (QuestionKind.SHORT_TEXT, "Your role", True),
        (QuestionKind.CHECKBOX, "I accept the code of conduct", True),
    )
    return str(role.id), str(rules.id)


def delegate(event, email="ana@example.org") -> Registration:
    member = make_member()
    focal_point = make_focal_point(member).user
    (registration,) = reg.register_delegation(
        focal_point, event, member.id, "government", [reg.Delegate("Ana Delegate", email)]
    )
    db.session.commit()
    return registration


def as_person(app, person):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


# A delegation is held until the person answers ----------------------------------------


def test_a_delegated_person_cannot_confirm_without_the_required_answers(app):
    event = make_event(capacity=10)
    role, rules = role_and_rules(event)
    registration = delegate(event)
    token = reg.manage_token(registration)
    assert not any(registration.answers.values())  # nobody answered for Ana

    with pytest.raises(InvalidInput) as refused:
        reg.confirm_email(registration.id, token)
    assert set(refused.value.fields) == {f"answers.{role}", f"answers.{rules}"}
    db.session.rollback()
    with pytest.raises(InvalidInput) as refused:
        reg.confirm_email(registration.id, token, answers={role: "Judge", rules: False})
    assert set(refused.value.fields) == {f"answers.{rules}"}
    db.session.rollback()
    db.session.refresh(registration)
    assert (registration.status, registration.awaiting) == (
        RegistrationStatus.PENDING,
        Awaiting.EMAIL,
    )
    assert registration.user.email_confirmed_at is None  # nothing half-done
    assert event.seats_taken == 0

    reg.confirm_email(registration.id, token, answers={role: "Judge", rules: True})
    db.session.commit()
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.answers == {role: "Judge", rules: True}
    assert reg.seat_counts_are_consistent(event)


def test_the_confirmation_page_asks_a_delegated_person_the_required_questions(app):
    event = make_event(capacity=10)
    role, rules = role_and_rules(event)
    member = make_member(name="Government of Testland")
    client = as_person(app, make_focal_point(member).user)
    data = {"member_id": member.id, "sector": "government", "people": "Ana <ana@example.org>"}
    assert client.post(f"/events/{event.slug}/delegation", data=data).status_code == 302
    (message,) = outbox_to("ana@example.org")
    link = link_in(message)
    registration = db.session.scalar(select(Registration))

    anyone = app.test_client()  # the person follows the e-mailed link, not signed in
    page = text(anyone.get(link))
    assert "Your role" in page and "I accept the code of conduct" in page
    assert "Confirm my registration" in page

    refused = anyone.post(link, data={f"q{role}": "  "})
    assert refused.status_code == 422
    page = text(refused)
    assert "This answer is required." in page and "Please tick this box." in page
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.PENDING
    assert registration.awaiting is Awaiting.EMAIL
    assert registration.user.email_confirmed_at is None

    done = anyone.post(link, data={f"q{role}": "Clerk", f"q{rules}": "y"})
    assert done.status_code == 200 and "You are registered." in text(done)
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.answers == {role: "Clerk", rules: True}
    assert outbox_to("ana@example.org")[-1].kind == "registration_confirmed"


def test_someone_who_answered_confirms_with_one_button(app, client):
    event = make_event(capacity=10)
    role, rules = role_and_rules(event)
    registration, _new = reg.register(
        event, registration_input(answers={role: "Judge", rules: True})
    )
    db.session.commit()
    link = f"/registrations/{registration.id}/confirm/{reg.manage_token(registration)}"
    page = text(client.get(link))
    assert "Confirm my registration" in page and "Your role" not in page
    done = client.post(link)
    assert done.status_code == 200 and "You are registered." in text(done)
    db.session.refresh(registration)
    assert registration.answers == {role: "Judge", rules: True}  # kept, not emptied


# A question made required after people registered --------------------------------------


def make_required(organiser, event, question: EventQuestion) -> None:
    inputs = [
        events.QuestionInput(
            kind=q.kind.value,
            label=q.label,
            options=list(q.options or []),
            required=q.required or q.id == question.id,
            id=q.id,
        )
        for q in event.questions
    ]
    events.save_questions(organiser, event, inputs)
    db.session.commit()


def test_a_question_made_required_later_is_asked_at_the_next_step(app):
    organiser = make_user()
    event = make_event(capacity=1, organisers=[organiser])
    (diet,) = ask(event, (QuestionKind.SHORT_TEXT, "Diet", False))
    key = str(diet.id)
    seated, waiting, unconfirmed = (make_user() for _ in range(3))
    seated_reg, _ = reg.register(event, registration_input(), actor=seated)
    waiting_reg, _ = reg.register(event, registration_input(), actor=waiting)
    pending_reg, _ = reg.register(event, registration_input(email=unconfirmed.email))
    db.session.commit()
    make_required(organiser, event, diet)

    # Nobody's registration changes because a question became required.
    assert seated_reg.status is RegistrationStatus.CONFIRMED
    assert waiting_reg.status is RegistrationStatus.WAITLISTED
    assert seated_reg.answers == {key: ""}
    # A freed seat still goes to the first person waiting: they are asked when they next edit.
    reg.cancel(seated_reg)
    db.session.commit()
    assert waiting_reg.status is RegistrationStatus.CONFIRMED

    with pytest.raises(InvalidInput) as refused:
        reg.update_answers(waiting, waiting_reg, registration_input(sector="media"))
    assert set(refused.value.fields) == {f"answers.{key}"}
    db.session.rollback()
    reg.update_answers(
        waiting, waiting_reg, registration_input(sector="media", answers={key: "Vegan"})
    )
    db.session.commit()
    assert waiting_reg.answers == {key: "Vegan"}

    # Someone who has not confirmed their address yet answers when they confirm it.
    token = reg.manage_token(pending_reg)
    with pytest.raises(InvalidInput) as refused:
        reg.confirm_email(pending_reg.id, token)
    assert set(refused.value.fields) == {f"answers.{key}"}
    db.session.rollback()
    reg.confirm_email(pending_reg.id, token, answers={key: "None"})
    db.session.commit()
    assert pending_reg.status is RegistrationStatus.WAITLISTED
    assert pending_reg.answers == {key: "None"}


def test_organisers_approve_someone_who_registered_before_a_question_became_required(app):
    organiser = make_user()
    event = make_event(capacity=5, organisers=[organiser], manual_approval=True)
    (diet,) = ask(event, (QuestionKind.SHORT_TEXT, "Diet", False))
    person = make_user()
    registration, _ = reg.register(event, registration_input(), actor=person)
    db.session.commit()
    assert registration.awaiting is Awaiting.APPROVAL
    make_required(organiser, event, diet)
    reg.approve(organiser, registration)
    db.session.commit()
    assert registration.status is RegistrationStatus.CONFIRMED


def test_the_edit_page_asks_for_a_question_made_required_later(app):
    organiser = make_user()
    event = make_event(organisers=[organiser])
    (diet,) = ask(event, (QuestionKind.SHORT_TEXT, "Diet", False))
    person = make_user()
    registration, _ = reg.register(event, registration_input(), actor=person)
    db.session.commit()
    make_required(organiser, event, diet)
    client = as_person(app, person)
    url = f"/me/registrations/{registration.id}"
    refused = client.post(url, data={"sector": "media"})
    assert refused.status_code == 422 and "This answer is required." in text(refused)
    db.session.refresh(registration)
    assert registration.sector.value == "civil_society"
    saved = client.post(url, data={"sector": "media", f"q{diet.id}": "Vegan"})
    assert saved.status_code == 302
    db.session.refresh(registration)
    assert registration.answers == {str(diet.id): "Vegan"}


# The API ---------------------------------------------------------------------------------


def test_the_api_names_every_missing_required_answer(app, client):
    event = make_event(capacity=10)
    role, rules = role_and_rules(event)
    (topics,) = ask(event, (QuestionKind.MULTIPLE_CHOICE, "Topics", True))
    response = client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"name": "Ann", "email": "ann@example.org", "sector": "media", "answers": {}},
    )
    error = assert_error(response, 422)
    assert {f"answers.{role}", f"answers.{rules}", f"answers.{topics.id}"} <= set(error["fields"])
    assert db.session.scalar(select(Registration)) is None
