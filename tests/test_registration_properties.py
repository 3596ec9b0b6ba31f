"""Random sequences of registration changes keep the invariants (hypothesis)."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from convene.extensions import db
from convene.models import Registration, RegistrationStatus, User, utcnow
from convene.services import DomainError, events
from convene.services import registration as reg

from .factories import make_event, registration_input

_people = itertools.count()

person = st.integers(0, 4)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("register"), person),
        st.tuples(st.just("register"), person),  # twice as likely: queues need people
        st.tuples(st.just("cancel"), person),
        st.tuples(st.just("approve"), person),
        st.tuples(st.just("decline"), person),
        st.tuples(st.just("capacity"), st.integers(0, 6)),
    ),
    min_size=3,
    max_size=30,
)


def check_invariants(event):
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
    confirmed = [r for r in rows if r.status is RegistrationStatus.CONFIRMED]
    waiting = sorted(r.waitlist_position for r in rows if r.status is RegistrationStatus.WAITLISTED)
    assert event.capacity is None or len(confirmed) <= event.capacity
    assert event.seats_taken == len(confirmed)
    assert waiting == list(range(1, len(waiting) + 1))
    assert len({r.user_id for r in rows}) == len(rows)
    for row in rows:
        assert (row.waitlist_position is not None) == (row.status is RegistrationStatus.WAITLISTED)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(capacity=st.integers(0, 3), manual=st.booleans(), ops=operations)
def test_random_changes_keep_seats_queue_and_uniqueness(app, capacity, manual, ops):
    organiser = User(
        email=f"org{next(_people)}@example.org", name="Org", email_confirmed_at=utcnow()
    )
    people = [
        User(email=f"h{next(_people)}@example.org", name=f"P{i}", email_confirmed_at=utcnow())
        for i in range(5)
    ]
    db.session.add_all([organiser, *people])
    db.session.commit()
    event = make_event(capacity=capacity, manual_approval=manual, organisers=[organiser])
    for op, n in ops:
        try:
            if op == "register":
                reg.register(event, registration_input(), actor=people[n])
            elif op == "capacity":
                events.update_registration_settings(
                    organiser,
                    event,
                    events.RegistrationSettings(capacity=n, manual_approval=manual),
                )
            else:
                registration = reg.registration_of(people[n], event)
                if registration is None:
                    continue
                if op == "cancel":
                    reg.cancel(registration)
                elif op == "approve":
                    reg.approve(organiser, registration)
                else:
                    reg.decline(organiser, registration)
            db.session.commit()
        except DomainError:
            db.session.rollback()
        db.session.refresh(event)
        check_invariants(event)
