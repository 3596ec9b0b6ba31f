"""A person's own data: the export holds all of it and nothing else; deleting the account
keeps the partnership's records; the pages and the API are wired to both."""

import json
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import (
    AgendaSession,
    ApiToken,
    ApplicationPerson,
    ApplicationReview,
    ApplicationTransition,
    Assessment,
    CallCriterion,
    Commitment,
    CriterionScore,
    EventQuestion,
    FocalPoint,
    HostStatus,
    Leadership,
    LeadershipApplication,
    LeadershipCall,
    LeadershipPerson,
    ProgressUpdate,
    Proposal,
    ProposalHost,
    ProposalTransition,
    Registration,
    Review,
    Speaker,
    Star,
    User,
    UserToken,
    utcnow,
)
from convene.services import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    accounts,
    calendars,
    personal_data,
    privacy,
)
from convene.services import registration as reg

from .factories import (
    PASSWORD,
    make_event,
    make_focal_point,
    make_member,
    make_user,
    registration_input,
)
from .test_api import assert_documented, assert_error, bearer, new_token, spec  # noqa: F401

EMAIL = "bea.busy@example.org"
# Tables that keep a person's address on purpose after the account goes.
KEPT_RECORDS: set[str] = set()  # every table, the audit log too (it names people by number)


def register(event, person, **changes):
    registration, _new = reg.register(event, registration_input(**changes), actor=person)
    db.session.commit()
    return registration


@pytest.fixture
def world(app):
    """Bea, with a row behind every column that points to a person, and Olive, another
    person, at the same events with answers of her own."""
    w = SimpleNamespace()
    w.member = make_member(name="Government of Testland")
    w.bea = make_user(email=EMAIL, name="Bea Busy", roles=["reviewer", "assessor"])
    w.olive = make_user(email="olive.other@example.org", name="Olive Other")
    w.waiting = make_user(email="wanda.waiting@example.org", name="Wanda Waiting")
    make_focal_point(w.member, w.bea)
    w.event = make_event(title="Open Justice Forum", capacity=2, organisers=[w.bea])
    question = EventQuestion(event=w.event, kind="short_text", label="Dietary needs?")
    db.session.add(question)
    db.session.commit()
    w.registration = register(
        w.event,
        w.bea,
        answers={str(question.id): "vegetarian"},
        accessibility_needs="Step-free access",
        organisation="Ministry of Justice",
        inclusion_consent=True,
        gender="woman",
        show_in_public_list=True,
    )
    register(w.event, w.olive, answers={str(question.id): "OLIVE-SECRET-ANSWER"})
    w.waitlisted = register(w.event, w.waiting)
    # Bea registered Olive for another event, as a delegation.
    w.other_event = make_event(title="Open Parliament Week")
    db.session.add(
        Registration(
            event=w.other_event,
            user=w.olive,
            status="confirmed",
            sector="government",
            registered_by_id=w.bea.id,
        )
    )
    # A past event Bea attended, still counted in its inclusion figures.
    w.past_event = make_event(title="Past Forum", days=-10)
    w.past = Registration(
        event=w.past_event,
        user=w.bea,
        status="confirmed",
        sector="government",
        inclusion_consent=True,
        gender="woman",
        answers={"1": "remembered"},
        accessibility_needs="Sign language",
        checked_in_at=w.past_event.starts_at,
        attendance_mode="in_person",
    )
    db.session.add(w.past)
    start = w.event.starts_at
    session = AgendaSession(
        event=w.event,
        title="Courts online",
        kind="panel",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    session.speakers = [Speaker(user_id=w.bea.id, name="Bea Busy", affiliation="Ministry")]
    db.session.add_all([session, Star(user_id=w.bea.id, session=session)])
    proposal = Proposal(
        member=w.member,
        created_by_id=w.bea.id,
        title="Open courts",
        cocreation_waiver_reason="Small event",
        cocreation_waived_by_id=w.bea.id,
        cocreation_waived_at=utcnow(),
    )
    db.session.add_all(
        [
            proposal,
            ProposalHost(
                proposal=proposal,
                member=w.member,
                is_lead=True,
                status=HostStatus.ACCEPTED,
                responded_by_id=w.bea.id,
            ),
            ProposalTransition(proposal=proposal, actor_id=w.bea.id, to_status="draft"),
            Review(
                proposal=proposal,
                reviewer_id=w.bea.id,
                recommendation="accept",
                relevance=5,
                ambition=4,
                co_creation=3,
                feasibility=4,
                comment="Strong",
            ),
        ]
    )
    w.commitment = Commitment(
        event=w.event,
        member=w.member,
        title="Publish court decisions",
        due_date=w.event.starts_at.date() + timedelta(days=365),
        created_by_id=w.bea.id,
    )
    w.commitment.updates = [
        ProgressUpdate(author_id=w.bea.id, reported_on=date.today(), status="limited")
    ]
    w.commitment.assessments = [
        Assessment(assessor_id=w.bea.id, status="limited", justification="On track")
    ]
    db.session.add(w.commitment)
    _leadership_rows(w)
    db.session.commit()
    _token, w.api_secret = accounts.create_api_token(w.bea, "Reporting")
    accounts.request_password_reset(EMAIL)
    calendars.regenerate_feed_token(w.bea)
    db.session.commit()
    return w


def _leadership_rows(w) -> None:
    """Bea started an application, is in its group and in a leadership as a person (with
    her name and address), and reviewed an application."""
    today = date.today()
    call = LeadershipCall(
        programme_area="Local programme",
        title="Leaders wanted",
        opens_on=today,
        closes_on=today + timedelta(days=30),
        term_starts_on=today + timedelta(days=60),
        term_ends_on=today + timedelta(days=425),
        created_by_id=w.bea.id,
    )
    criterion = CallCriterion(call=call, title="Record of reform", weight=2)
    application = LeadershipApplication(
        call=call, name="Open local courts", created_by_id=w.bea.id, waived_by_id=w.bea.id
    )
    bea_as_person = {"user_id": w.bea.id, "name": "Bea Busy", "email": EMAIL}
    bea_as_person |= {"affiliation": "Ministry", "sector": "government", "country": "FR"}
    application.people = [ApplicationPerson(responded_by_id=w.bea.id, **bea_as_person)]
    application.transitions = [ApplicationTransition(actor_id=w.bea.id, to_status="draft")]
    review = ApplicationReview(application=application, reviewer_id=w.bea.id, comment="Good")
    review.scores = [CriterionScore(criterion=criterion, score=4)]
    leadership = Leadership(slug="local-leaders", name="Local leaders", programme_area="Local")
    leadership.people = [LeadershipPerson(**bea_as_person)]
    db.session.add_all([call, application, review, leadership])


def user_links() -> set[str]:
    """Every column of the models that points to users.id, as "table.column"."""
    return {
        f"{table.name}.{fk.parent.name}"
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "users"
    }


def rows_mentioning(text: str) -> list[str]:
    """Every row of every table (but KEPT_RECORDS) in which `text` appears, in any case."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name in KEPT_RECORDS:
            continue
        for row in db.session.execute(select(table)).mappings():
            if text.lower() in json.dumps(dict(row), default=str).lower():
                found.append(f"{table.name}: {dict(row)}")
    return found


# What the export holds ------------------------------------------------------------------


def test_every_column_pointing_to_a_person_is_decided(app):
    links = user_links()
    assert len(links) >= 17
    undecided = links - personal_data.USER_LINKS.keys()
    assert not undecided, (
        f"add these to personal_data.USER_LINKS (export and deletion): {undecided}"
    )
    tables = set(db.metadata.tables)
    stale = {link for link in personal_data.USER_LINKS if link.split(".")[0] in tables} - links
    assert not stale


def test_the_export_has_a_section_for_every_link_and_each_holds_bea(world):
    data = personal_data.export(world.bea)
    for link, section in personal_data.USER_LINKS.items():
        if section is not None:
            assert data[section], f"{link}: nothing in {section}"
    assert data["format"] == personal_data.FORMAT
    assert data["exported_at"].startswith(str(date.today().year))
    json.dumps(data)  # nothing that JSON cannot carry


def test_the_export_holds_the_account_and_registrations(world):
    data = personal_data.export(world.bea)
    account = data["account"]
    assert (account["name"], account["email"], account["timezone"]) == ("Bea Busy", EMAIL, "UTC")
    assert {role["role"] for role in account["roles"]} == {"reviewer", "assessor"}
    assert account["private_calendar_feed"] is True and account["has_password"] is True
    assert [fp["member"]["name"] for fp in data["focal_points"]] == ["Government of Testland"]
    assert [t["name"] for t in data["api_tokens"]] == ["Reporting"]
    forum = next(r for r in data["registrations"] if r["event"]["title"] == "Open Justice Forum")
    assert forum["status"] == "confirmed"
    assert forum["answers"] == [{"question": "Dietary needs?", "answer": "vegetarian"}]
    assert forum["accessibility_needs"] == "Step-free access"
    assert forum["organisation"] == "Ministry of Justice"
    assert forum["inclusion"]["gender"] == "woman" and forum["inclusion"]["consent"] is True
    past = next(r for r in data["registrations"] if r["event"]["title"] == "Past Forum")
    assert past["checked_in_at"] and past["attendance_mode"] == "in_person"
    assert data["delegations_registered"] == [
        {"event": {"id": world.other_event.id, "slug": world.other_event.slug,
                   "title": "Open Parliament Week"}, "people": 1}
    ]  # fmt: skip
    assert data["speaking"][0]["session"]["title"] == "Courts online"
    assert data["reviews"][0]["scores"]["relevance"] == 5
    assert data["progress_updates"][0]["commitment"]["title"] == "Publish court decisions"


def test_the_export_holds_every_rounds_review_with_its_round(world):
    first = db.session.scalar(select(Review).where(Review.reviewer_id == world.bea.id))
    db.session.add(
        Review(
            proposal_id=first.proposal_id,
            reviewer_id=world.bea.id,
            round=2,
            recommendation="accept",
            relevance=2,
            ambition=2,
            co_creation=2,
            feasibility=2,
            comment="Second look",
        )
    )
    db.session.commit()
    data = personal_data.export(world.bea)
    assert [(r["round"], r["comment"]) for r in data["reviews"]] == [
        (1, "Strong"),
        (2, "Second look"),
    ]


def test_the_export_holds_nothing_about_anyone_else(world):
    text = json.dumps(personal_data.export(world.bea))
    for other in ("Olive", "olive.other@", "OLIVE-SECRET-ANSWER", "Wanda"):
        assert other not in text
    olive = personal_data.export(world.olive)
    assert EMAIL not in json.dumps(olive) and "vegetarian" not in json.dumps(olive)
    assert not olive["delegations_registered"]


def test_the_export_holds_no_secret(world):
    text = json.dumps(personal_data.export(world.bea))
    user = db.session.get(User, world.bea.id)
    secrets = [
        user.password_hash,
        user.session_token,
        user.calendar_nonce,
        calendars.feed_token(user),
        world.api_secret,
        world.registration.manage_nonce,
        *db.session.scalars(select(ApiToken.token_hash)),
        *db.session.scalars(select(UserToken.token_hash)),
    ]
    for secret in secrets:
        assert secret and secret not in text
    assert "hash" not in text and "nonce" not in text


# Deleting an account --------------------------------------------------------------------


def test_a_wrong_password_changes_nothing(world):
    before = personal_data.export(world.bea)
    for wrong in ("not my password", "", None):
        with pytest.raises(InvalidInput) as refused:
            personal_data.delete_account(world.bea, world.bea, wrong)
        assert "password" in refused.value.fields
        db.session.rollback()
    after = personal_data.export(world.bea)
    assert {**after, "exported_at": None} == {**before, "exported_at": None}
    assert accounts.authenticate(EMAIL, PASSWORD).id == world.bea.id


def test_deleting_frees_the_seat_and_erases_the_answers(world):
    counts = privacy.inclusion_counts([world.past_event])
    personal_data.delete_account(world.bea, world.bea, PASSWORD)
    db.session.commit()
    registration = db.session.get(Registration, world.registration.id)
    assert registration.status.value == "cancelled"
    assert (registration.answers, registration.accessibility_needs) == ({}, None)
    assert (registration.organisation, registration.gender) == (None, None)
    assert registration.show_in_public_list is False and registration.anonymised_at
    promoted = db.session.get(Registration, world.waitlisted.id)
    assert promoted.status.value == "confirmed" and promoted.waitlist_position is None
    assert reg.seat_counts_are_consistent(world.event)
    # The past event still counts Bea, without what she told its organisers.
    past = db.session.get(Registration, world.past.id)
    assert past.status.value == "confirmed" and past.checked_in_at is not None
    assert (past.answers, past.accessibility_needs) == ({}, None)
    assert privacy.inclusion_counts([world.past_event]) == counts


def test_after_deleting_nobody_can_sign_in_or_use_a_token(world):
    old_session = world.bea.get_id()
    personal_data.delete_account(world.bea, world.bea, PASSWORD)
    db.session.commit()
    user = db.session.get(User, world.bea.id)
    assert (user.active, user.password_hash, user.calendar_nonce) == (False, None, None)
    assert user.get_id() != old_session
    assert (user.name, user.email) == ("Deleted account", f"deleted-{user.id}@invalid")
    assert personal_data.is_deleted(user)
    with pytest.raises(accounts.SignInRefused):
        accounts.authenticate(EMAIL, PASSWORD)
    assert accounts.user_for_api_token(world.api_secret) is None
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert db.session.scalar(select(func.count()).select_from(UserToken)) == 0
    assert not user.roles and not user.focal_points


def test_the_partnerships_records_stay_under_the_member(world):
    personal_data.delete_account(world.bea, world.bea, PASSWORD)
    db.session.commit()
    commitment = db.session.get(Commitment, world.commitment.id)
    assert commitment.member_id == world.member.id
    assert [u.author_id for u in commitment.updates] == [world.bea.id]
    assert [a.assessor_id for a in commitment.assessments] == [world.bea.id]
    assert db.session.scalar(select(Review.reviewer_id)) == world.bea.id
    assert db.session.scalar(select(ProposalTransition.actor_id)) == world.bea.id
    assert db.session.get(User, world.bea.id).name == "Deleted account"
    assert db.session.scalar(select(func.count()).select_from(Star)) == 0
    speaker = db.session.scalar(select(Speaker))
    assert speaker.user_id is None and speaker.name == "Bea Busy"  # the printed programme
    assert db.session.scalar(select(func.count()).select_from(FocalPoint)) == 0
    assert not world.event.organisers


def test_the_address_is_gone_from_the_database(world):
    assert rows_mentioning(EMAIL)  # the test finds it while it is there
    personal_data.delete_account(world.bea, world.bea, PASSWORD)
    db.session.commit()
    assert rows_mentioning(EMAIL) == []
    assert rows_mentioning("Step-free access") == []
    assert rows_mentioning("olive.other@example.org")  # others' messages stay


def test_administrators_delete_others_and_nobody_else_can(world):
    admin = make_user(name="Ada Admin", roles=["admin"])
    with pytest.raises(PermissionDenied):
        personal_data.delete_account(world.olive, world.bea)
    personal_data.delete_account(admin, world.bea)  # no password needed
    db.session.commit()
    assert personal_data.is_deleted(world.bea)
    with pytest.raises(NotFound):
        personal_data.delete_account(admin, world.bea)


def test_the_last_administrator_cannot_delete_their_account(app):
    admin = make_user(roles=["admin"])
    with pytest.raises(Conflict):
        personal_data.delete_account(admin, admin, PASSWORD)
    db.session.rollback()
    make_user(roles=["admin"])
    personal_data.delete_account(admin, admin, PASSWORD)


# Pages ----------------------------------------------------------------------------------


def test_the_data_page_needs_signing_in(client):
    for path in ("/me/data", "/me/data.json"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert client.post("/me/delete").status_code == 302


def test_the_data_page_explains_and_offers_the_download(world, client, auth):
    auth.sign_in(EMAIL)
    html = client.get("/me/data").get_data(as_text=True)
    assert "Download my data (JSON)" in html and 'href="/me/data.json"' in html
    assert 'action="/me/delete"' in html and 'type="password"' in html
    assert "data-confirm=" in html and "Independent assessor, Reviewer" in html
    assert 'href="/me/data"' in client.get("/me/profile").get_data(as_text=True)


def test_the_download_is_an_uncached_attachment_of_ones_own_data(world, client, auth):
    auth.sign_in(EMAIL)
    response = client.get("/me/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert re.fullmatch(
        r'attachment; filename="convene-data-\d{4}-\d\d-\d\d\.json"',
        response.headers["Content-Disposition"],
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["account"]["email"] == EMAIL


def test_deleting_needs_the_csrf_token(world, make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()

    def token_in(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    sign_in = token_in(client.get("/sign-in").get_data(as_text=True))
    client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD, "csrf_token": sign_in})
    page = client.get("/me/data").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/me/delete".*?</form>', page, re.S).group(0)
    assert 'name="csrf_token"' in form
    refused = client.post("/me/delete", data={"password": PASSWORD})
    assert refused.status_code == 400
    assert not personal_data.is_deleted(db.session.get(User, world.bea.id))
    accepted = client.post("/me/delete", data={"password": PASSWORD, "csrf_token": token_in(form)})
    assert accepted.status_code == 302


def test_a_wrong_password_on_the_page_is_shown_on_the_field(world, client, auth):
    auth.sign_in(EMAIL)
    response = client.post("/me/delete", data={"password": "not it"})
    assert response.status_code == 422
    assert "Your password is not right." in response.get_data(as_text=True)
    assert not personal_data.is_deleted(db.session.get(User, world.bea.id))


def test_deleting_on_the_page_signs_out(world, client, auth):
    auth.sign_in(EMAIL)
    response = client.post("/me/delete", data={"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Your account is deleted" in client.get("/").get_data(as_text=True)
    assert client.get("/me/profile").status_code == 302
    assert personal_data.is_deleted(db.session.get(User, world.bea.id))
    again = auth.sign_in(EMAIL)
    assert again.status_code == 200 and "Wrong e-mail address or password" in again.text


def test_an_administrator_deletes_from_the_person_page(world, client, auth):
    admin = make_user(name="Ada Admin", roles=["admin"])
    auth.sign_in(world.olive.email)
    assert client.post(f"/admin/people/{world.bea.id}/delete").status_code == 403
    auth.sign_out()
    auth.sign_in(admin.email)
    page = client.get(f"/admin/people/{world.bea.id}").get_data(as_text=True)
    assert f'action="/admin/people/{world.bea.id}/delete"' in page
    assert f'action="/admin/people/{admin.id}/delete"' not in client.get(
        f"/admin/people/{admin.id}"
    ).get_data(as_text=True)
    response = client.post(f"/admin/people/{world.bea.id}/delete", follow_redirects=True)
    assert "The account is deleted." in response.get_data(as_text=True)
    assert "This account was deleted" in response.get_data(as_text=True)
    assert personal_data.is_deleted(db.session.get(User, world.bea.id))


# API ------------------------------------------------------------------------------------


def test_the_api_export_needs_a_token(client, spec):  # noqa: F811
    for response in (
        client.get("/api/v1/me/data"),
        client.get("/api/v1/me/data", headers=bearer("cvn_not-a-token")),
    ):
        assert_error(response, 401, spec)
        assert_documented(spec, "get", "/api/v1/me/data", response)


def test_the_api_export_is_ones_own(world, client, spec):  # noqa: F811
    token = new_token(client, world.olive)["token"]
    response = client.get("/api/v1/me/data", headers=bearer(token))
    assert response.status_code == 200
    assert_documented(spec, "get", "/api/v1/me/data", response)
    data = response.get_json()
    assert data["account"]["email"] == "olive.other@example.org"
    assert EMAIL not in response.get_data(as_text=True)
    assert token not in response.get_data(as_text=True)


def test_the_api_export_shows_the_use_of_the_token_it_is_read_with(world, client):
    body = new_token(client, world.olive)
    response = client.get("/api/v1/me/data", headers=bearer(body["token"]))
    (shown,) = response.get_json()["api_tokens"]
    db.session.expire_all()
    used_at = db.session.get(ApiToken, body["id"]).last_used_at
    # Its first use too, though a read saves the use only after answering.
    assert used_at is not None and shown["last_used_at"] == used_at.isoformat()


def test_deleting_through_the_api(world, client, spec):  # noqa: F811
    token = new_token(client, world.bea)["token"]
    wrong = client.delete("/api/v1/me", json={"password": "not it"}, headers=bearer(token))
    assert assert_error(wrong, 422, spec)["fields"] == {"password": ["Your password is not right."]}
    assert_documented(spec, "delete", "/api/v1/me", wrong)
    missing = client.delete("/api/v1/me", json={}, headers=bearer(token))
    assert_error(missing, 422, spec)
    assert_error(client.delete("/api/v1/me", json={"password": PASSWORD}), 401, spec)
    done = client.delete("/api/v1/me", json={"password": PASSWORD}, headers=bearer(token))
    assert done.status_code == 204
    assert_documented(spec, "delete", "/api/v1/me", done)
    assert personal_data.is_deleted(db.session.get(User, world.bea.id))
    assert_error(client.get("/api/v1/me/data", headers=bearer(token)), 401, spec)
