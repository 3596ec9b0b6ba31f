"""Registration rules called directly: seats, the waiting list, approval, privacy."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import (
    Awaiting,
    EventQuestion,
    OutboxMessage,
    QuestionKind,
    Registration,
    RegistrationStatus,
    SectorQuota,
    utcnow,
)
from convene.services import InvalidInput, NotFound, PermissionDenied, events, privacy
from convene.services import registration as reg
from convene.services.registration import EventFull, RegistrationClosed

from .conftest import outbox_to
from .factories import make_event, make_focal_point, make_member, make_user, registration_input


def people(n):
    return [make_user(email=f"p{i}-{utcnow().timestamp()}@example.org") for i in range(n)]


def signed_up(event, person, **changes):
    registration, _new = reg.register(event, registration_input(**changes), actor=person)
    db.session.commit()
    return registration


def statuses(event):
    rows = db.session.execute(
        select(Registration.status, Registration.waitlist_position)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    ).all()
    return [(s.value, p) for s, p in rows]


def test_seats_then_a_numbered_waiting_list(app):
    event = make_event(capacity=2)
    regs = [signed_up(event, person) for person in people(4)]
    assert [r.status.value for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in regs] == [None, None, 1, 2]
    db.session.refresh(event)
    assert event.seats_taken == 2 and event.seats_left == 0
    kinds = [m.kind for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["registration_confirmed"] * 2 + ["registration_waitlisted"] * 2


def test_a_cancellation_promotes_the_first_waiting_and_closes_the_gap(app):
    event = make_event(capacity=1)
    first, second, third = (signed_up(event, p) for p in people(3))
    promoted = reg.cancel(first)
    db.session.commit()
    assert promoted == [second]
    assert statuses(event) == [("cancelled", None), ("confirmed", None), ("waitlisted", 1)]
    assert outbox_to(second.user.email)[-1].kind == "registration_promoted"
    reg.cancel(third)
    db.session.commit()
    assert statuses(event)[2] == ("cancelled", None)
    assert reg.seat_counts_are_consistent(event)


def test_leaving_the_waiting_list_moves_the_others_up(app):
    event = make_event(capacity=1)
    regs = [signed_up(event, p) for p in people(4)]
    reg.cancel(regs[2])  # position 2 of 3
    db.session.commit()
    assert [r for r in statuses(event) if r[0] == "waitlisted"] == [
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]


def test_registering_twice_returns_the_same_registration(app):
    event = make_event(capacity=5)
    person = make_user()
    first = signed_up(event, person)
    again, new = reg.register(event, registration_input(), actor=person)
    assert (again.id, new) == (first.id, False)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    db.session.refresh(event)
    assert event.seats_taken == 1


def test_no_waiting_list_means_full_is_full(app):
    event = make_event(capacity=1, waitlist=False)
    signed_up(event, make_user())
    with pytest.raises(EventFull):
        signed_up(event, make_user())
    db.session.rollback()
    db.session.refresh(event)
    assert event.seats_taken == 1


def test_the_database_refuses_an_oversold_event(app):
    event = make_event(capacity=1)
    event.seats_taken = 2
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.session.commit()
    db.session.rollback()


def test_a_new_person_confirms_their_address_before_taking_a_seat(app):
    event = make_event(capacity=1)
    registration, new = reg.register(event, registration_input(email="New@Example.org"))
    db.session.commit()
    assert new and registration.status is RegistrationStatus.PENDING
    assert registration.awaiting is Awaiting.EMAIL
    assert registration.user.email_confirmed_at is None
    [message] = outbox_to("New@example.org")
    assert message.kind == "registration_confirm_email"
    token = reg.manage_token(registration)
    assert f"/registrations/{registration.id}/confirm/{token}" in message.body_text
    reg.confirm_email(registration.id, token)
    db.session.commit()
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.user.email_confirmed_at is not None
    with pytest.raises(NotFound):
        reg.confirm_email(registration.id, token + "x")


def test_unconfirmed_registrations_expire(app):
    event = make_event(capacity=1)
    registration, _ = reg.register(event, registration_input())
    db.session.commit()
    assert reg.expire_unconfirmed(utcnow() + timedelta(hours=47)) == 0
    assert reg.expire_unconfirmed(utcnow() + timedelta(hours=49)) == 1
    db.session.commit()
    assert registration.status is RegistrationStatus.CANCELLED
    with pytest.raises(InvalidInput, match="expired"):
        reg.confirm_email(registration.id, reg.manage_token(registration))


def test_manual_approval(app):
    organiser = make_user()
    event = make_event(capacity=1, manual_approval=True, organisers=[organiser])
    first, second = (signed_up(event, p) for p in people(2))
    assert {first.awaiting, second.awaiting} == {Awaiting.APPROVAL}
    with pytest.raises(PermissionDenied):
        reg.approve(make_user(), first)
    reg.approve(organiser, first)
    reg.approve(organiser, second)
    db.session.commit()
    assert (first.status, second.status) == (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    )
    third = signed_up(event, make_user())
    reg.decline(organiser, third)
    db.session.commit()
    assert third.status is RegistrationStatus.DECLINED


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"status": "draft"}, "not open"),
        ({"status": "cancelled"}, "not open"),
        ({"registration_opens_at": "future"}, "not opened"),
        ({"registration_closes_at": "past"}, "closed"),
    ],
)
def test_registration_outside_its_window_is_refused(app, when, message):
    fields = dict(when)
    for key, value in fields.items():
        if value == "future":
            fields[key] = utcnow() + timedelta(days=1)
        elif value == "past":
            fields[key] = utcnow() - timedelta(days=1)
    event = make_event(capacity=5, **fields)
    with pytest.raises(RegistrationClosed, match=message):
        reg.register(event, registration_input(), actor=make_user())


def test_answers_are_checked(app):
    event = make_event()
    db.session.add_all(
        [
            EventQuestion(
                event=event,
                kind=QuestionKind.SINGLE_CHOICE,
                label="Lunch",
                options=["meat", "vegetarian"],
                required=True,
                position=0,
            ),
            EventQuestion(event=event, kind=QuestionKind.LONG_TEXT, label="Why", position=1),
            EventQuestion(
                event=event, kind=QuestionKind.CHECKBOX, label="Rules", required=True, position=2
            ),
        ]
    )
    db.session.commit()
    lunch, why, rules = (str(q.id) for q in event.questions)
    bad = [
        ({}, {lunch, rules}),
        ({lunch: "fish", rules: True}, {lunch}),
        ({lunch: "meat", why: "x" * 1_000_000, rules: True}, {why}),
        ({lunch: "meat", rules: True, "9999": "?"}, {"9999"}),
    ]
    for answers, fields in bad:
        with pytest.raises(InvalidInput) as error:
            reg.register(event, registration_input(answers=answers), actor=make_user())
        assert {k.split(".")[1] for k in error.value.fields} == fields
    good = signed_up(event, make_user(), answers={lunch: "vegetarian", rules: "on"})
    assert good.answers == {lunch: "vegetarian", why: "", rules: True}


def test_sector_quotas_are_never_exceeded(app):
    event = make_event(capacity=10)
    event.quotas = [SectorQuota(sector="private_sector", seats=1)]
    db.session.commit()
    a = signed_up(event, make_user(), sector="private_sector")
    b = signed_up(event, make_user(), sector="private_sector")
    c = signed_up(event, make_user(), sector="government")
    assert (a.status.value, b.status.value, c.status.value) == (
        "confirmed",
        "waitlisted",
        "confirmed",
    )
    reg.cancel(c)  # a government seat frees nothing for the private sector
    db.session.commit()
    assert b.status is RegistrationStatus.WAITLISTED
    reg.cancel(a)
    db.session.commit()
    assert b.status is RegistrationStatus.CONFIRMED


def test_raising_the_capacity_promotes_people(app):
    organiser = make_user()
    event = make_event(capacity=1, organisers=[organiser])
    regs = [signed_up(event, p) for p in people(3)]
    promoted = events.update_registration_settings(
        organiser, event, events.RegistrationSettings(capacity=2)
    )
    db.session.commit()
    assert promoted == [regs[1]]
    with pytest.raises(InvalidInput):
        events.update_registration_settings(
            organiser, event, events.RegistrationSettings(capacity=1)
        )


def test_the_public_list_and_inclusion_counts_respect_consent(app):
    event = make_event(capacity=20)
    for i in range(6):
        signed_up(
            event,
            make_user(name=f"Person {i}"),
            show_in_public_list=i < 2,
            inclusion_consent=i < 5,
            gender="woman" if i < 5 else "man",
        )
    listed = privacy.public_participants(event)
    assert [r.user.name for r in listed] == ["Person 0", "Person 1"]
    counts = privacy.inclusion_counts([event])
    assert counts["gender"] == [("woman", 5)]  # the sixth gave no consent: not counted
    assert counts["sector"] == [("civil_society", 6)]
    signed_up(event, make_user(), inclusion_consent=True, gender="non-binary")
    genders = privacy.inclusion_counts([event])["gender"]
    # A rare self-description is never shown; alone, 6 − 5 would tell it: "woman" folds in.
    assert genders == [(None, 6)]
    assert "non-binary" not in str(genders)


def test_anonymising_keeps_the_aggregates(app):
    event = make_event(capacity=20, days=-100)
    event.status = "published"
    for _ in range(5):
        registration = Registration(
            event=event,
            user=make_user(),
            status="confirmed",
            sector="media",
            inclusion_consent=True,
            gender="woman",
            accessibility_needs="wheelchair",
            answers={"1": "x"},
        )
        db.session.add(registration)
    db.session.commit()
    before = privacy.inclusion_counts([event])
    assert privacy.anonymise_ended_events(90) == 1
    db.session.commit()
    assert privacy.inclusion_counts([event]) == before
    leftovers = db.session.scalars(select(Registration.accessibility_needs)).all()
    assert leftovers == [None] * 5
    assert privacy.anonymise_ended_events(90) == 0


def test_delegations_register_everyone_or_nobody(app):
    member = make_member()
    focal_point = make_focal_point(member).user
    event = make_event(capacity=10)
    with pytest.raises(InvalidInput) as error:
        reg.register_delegation(
            focal_point,
            event,
            member.id,
            "government",
            [reg.Delegate("Ana", "ana@example.org"), reg.Delegate("Bo", "not-an-address")],
        )
    assert "people.2.email" in error.value.fields
    db.session.rollback()  # as every caller does after a refusal
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    regs = reg.register_delegation(
        focal_point,
        event,
        member.id,
        "government",
        [reg.Delegate("Ana", "ana@example.org"), reg.Delegate("Bo", "bo@example.org")],
    )
    db.session.commit()
    assert [r.awaiting for r in regs] == [Awaiting.EMAIL, Awaiting.EMAIL]
    assert {r.registered_by_id for r in regs} == {focal_point.id}
    with pytest.raises(PermissionDenied):
        reg.register_delegation(
            make_user(), event, member.id, "government", [reg.Delegate("C", "c@example.org")]
        )


def test_check_in_and_undo(app):
    organiser = make_user()
    event = make_event(capacity=2, organisers=[organiser])
    registration = signed_up(event, make_user())
    reg.set_check_in(organiser, registration, "in_person")
    assert registration.checked_in_at is not None
    reg.set_check_in(organiser, registration, None)
    assert registration.checked_in_at is None
    with pytest.raises(PermissionDenied):
        reg.set_check_in(make_user(), registration, "online")


def test_cancelling_an_event_tells_everyone_registered(app):
    organiser = make_user()
    event = make_event(capacity=1, organisers=[organiser])
    a, b = (signed_up(event, p) for p in people(2))
    events.cancel_event(organiser, event, "The venue flooded.")
    db.session.commit()
    for registration in (a, b):
        assert outbox_to(registration.user.email)[-1].kind == "event_cancelled"
        assert "The venue flooded." in outbox_to(registration.user.email)[-1].body_text
    assert event.sequence == 1


def test_ended_events_are_completed(app):
    past = make_event(days=-2)
    future = make_event(days=2)
    assert events.complete_ended() == 1
    assert (past.status.value, future.status.value) == ("completed", "published")


def test_confirmation_and_cancellation_emails_carry_the_event_for_calendars(app):
    import icalendar

    # METHOD:PUBLISH needs an ORGANIZER: the event's contact (the tests' sender is a placeholder).
    event = make_event(capacity=1, contact_email="forum@testland.example.org")
    first, second = (signed_up(event, p) for p in people(2))
    reg.cancel(first)
    db.session.commit()
    kinds = {}
    for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
        kinds.setdefault(message.kind, []).append(message)
    for kind, status in (
        ("registration_confirmed", "CONFIRMED"),
        ("registration_promoted", "CONFIRMED"),
        ("registration_cancelled", "CANCELLED"),
    ):
        message = kinds[kind][0]
        assert message.attachment_type == "text/calendar"
        calendar = icalendar.Calendar.from_ical(message.attachment_body)
        assert str(calendar["method"]) == "PUBLISH"
        assert str(calendar.walk("VEVENT")[0]["status"]) == status, kind
    assert kinds["registration_waitlisted"][0].attachment_body is None
