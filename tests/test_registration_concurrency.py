"""100 people register at once for 20 seats, through a real HTTP server and the API."""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from convene.extensions import db
from convene.models import Registration, RegistrationStatus
from convene.services import accounts

from .factories import make_event, make_user

PEOPLE, SEATS = 100, 20


def call(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_concurrent_registrations_never_oversell_and_promote_in_order(app, server):
    event = make_event(capacity=SEATS)
    tokens = []
    for n in range(PEOPLE):
        person = make_user(email=f"crowd{n}@example.org")
        tokens.append(accounts.create_api_token(person, "crowd")[1])
    db.session.commit()
    url = f"{server}/api/v1/events/{event.id}/registrations"
    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        answers = list(
            pool.map(lambda token: call("POST", url, token, {"sector": "civil_society"}), tokens)
        )
    assert {status for status, _body in answers} == {201}, answers[:3]

    db.session.commit()  # a new transaction, so the test reads what the server wrote
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
    confirmed = [r for r in rows if r.status is RegistrationStatus.CONFIRMED]
    waiting = sorted(rows, key=lambda r: r.waitlist_position or 0)
    waiting = [r for r in waiting if r.status is RegistrationStatus.WAITLISTED]
    assert len(rows) == PEOPLE and len({r.user_id for r in rows}) == PEOPLE
    assert len(confirmed) == SEATS
    assert [r.waitlist_position for r in waiting] == list(range(1, PEOPLE - SEATS + 1))
    db.session.refresh(event)
    assert event.seats_taken == SEATS

    # The 20 confirmed cancel at once: exactly the first 20 waiting take their seats.
    token_of = {r.user_id: tokens[int(r.user.email[5:].split("@")[0])] for r in rows}
    first_twenty = {r.id for r in waiting[:SEATS]}
    with ThreadPoolExecutor(max_workers=SEATS) as pool:
        cancelled = list(
            pool.map(
                lambda r: call(
                    "DELETE", f"{server}/api/v1/registrations/{r.id}", token_of[r.user_id]
                ),
                confirmed,
            )
        )
    assert {status for status, _body in cancelled} <= {200, 204}
    db.session.commit()
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
    now_confirmed = {r.id for r in rows if r.status is RegistrationStatus.CONFIRMED}
    still_waiting = sorted(
        r.waitlist_position for r in rows if r.status is RegistrationStatus.WAITLISTED
    )
    assert now_confirmed == first_twenty
    assert still_waiting == list(range(1, PEOPLE - 2 * SEATS + 1))
    db.session.refresh(event)
    assert event.seats_taken == SEATS
