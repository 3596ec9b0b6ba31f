"""Accounts through the pages: sign-up, confirmation, sign-in, reset, profile, tokens."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import ApiToken, User, UserToken, utcnow
from convene.services import accounts

from .conftest import link_in, outbox_to
from .factories import PASSWORD, make_user

GOOD = "a long passphrase"


def sign_up(client, email="ana@example.org", password=GOOD, confirm=None, name="Ana Gómez"):
    return client.post(
        "/sign-up",
        data={"name": name, "email": email, "password": password, "confirm": confirm or password},
    )


def test_sign_up_confirm_and_sign_in(client, auth):
    response = sign_up(client)
    assert response.status_code == 200
    assert b"Check your e-mail" in response.data
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.email_confirmed_at is None
    assert user.password_hash and GOOD not in user.password_hash

    # Unconfirmed people cannot sign in yet, and are told why.
    refused = auth.sign_in("ana@example.org", GOOD)
    assert refused.status_code == 200
    assert b"confirm your e-mail address first" in refused.data

    [message] = outbox_to("ana@example.org")
    path = link_in(message)
    assert client.get(path).status_code == 200  # a page with a button: scanners spend nothing
    db.session.refresh(user)
    assert user.email_confirmed_at is None
    response = client.post(path)
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed_at is not None

    response = auth.sign_in("ANA@example.org", GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_confirmation_link_works_once(client):
    sign_up(client)
    path = link_in(outbox_to("ana@example.org")[0])
    client.post(path)
    again = client.post(path, follow_redirects=True)
    assert b"invalid, has expired or was already used" in again.data


def test_an_expired_confirmation_link_is_refused(client):
    sign_up(client)
    path = link_in(outbox_to("ana@example.org")[0])
    token = db.session.scalar(select(UserToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(path, follow_redirects=True)
    assert b"invalid, has expired or was already used" in response.data
    assert db.session.scalar(select(User)).email_confirmed_at is None


@pytest.mark.parametrize("email", ["taken@example.org", "TAKEN@Example.org", " taken@example.org "])
def test_sign_up_with_a_taken_address_reveals_nothing_and_tells_the_owner(client, email):
    owner = make_user(email="taken@example.org")
    original_hash = owner.password_hash
    response = sign_up(client, email=email)
    assert response.status_code == 200
    assert b"Check your e-mail" in response.data
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    db.session.refresh(owner)
    assert owner.password_hash == original_hash
    [message] = outbox_to("taken@example.org")
    assert message.kind == "account_exists"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", b"Invalid email address"),
        ({"password": "short"}, "password", b"at least 10 characters"),
        ({"password": "aaaaaaaaaaaa"}, "password", b"too easy to guess"),
        ({"confirm": "something else entirely"}, "confirm", b"The passwords differ"),
        ({"name": ""}, "name", b"This field is required"),
    ],
)
def test_sign_up_errors_are_shown_on_their_fields_and_keep_what_was_typed(
    client, data, field, message
):
    form = {"name": "Ana Gómez", "email": "ana@example.org", "password": GOOD, "confirm": GOOD}
    form.update(data)
    if "password" in data and "confirm" not in data:
        form["confirm"] = data["password"]
    response = client.post("/sign-up", data=form)
    assert response.status_code == 200
    assert message in response.data
    assert f'id="{field}-error"'.encode() in response.data
    if data.get("email"):
        assert b'value="not-an-address"' in response.data
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_wrong_password_and_unknown_address_get_the_same_answer(client, auth, user):
    wrong = auth.sign_in(user.email, "not the password")
    unknown = auth.sign_in("nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert b"Wrong e-mail address or password" in wrong.data
    assert b"Wrong e-mail address or password" in unknown.data


def test_many_wrong_passwords_are_slowed_down(make_app, user):
    app = make_app(RATELIMIT_ENABLED=True, SIGN_IN_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [
        client.post("/sign-in", data={"email": user.email, "password": "wrong one!"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert limited.status_code == 429
    assert b"Please wait a little" in limited.data
    assert "Retry-After" in limited.headers


def test_sign_in_follows_next_only_within_the_site(client, auth, user):
    ok = client.post("/sign-in?next=/me/profile", data={"email": user.email, "password": PASSWORD})
    assert ok.headers["Location"] == "/me/profile"
    auth.sign_out()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            f"/sign-in?next={target}", data={"email": user.email, "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", target
        auth.sign_out()


def test_sign_out_ends_the_session(signed_in):
    assert signed_in.get("/me/profile").status_code == 200
    signed_in.post("/sign-out")
    response = signed_in.get("/me/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_remember_me_cookie_is_set_only_when_asked(client, user):
    plain = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert "remember_token" not in plain.headers.get("Set-Cookie", "")
    client.post("/sign-out")
    remembered = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = remembered.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)


def test_deactivated_people_cannot_sign_in(client, auth):
    person = make_user(active=False)
    response = auth.sign_in(person.email)
    assert b"Wrong e-mail address or password" in response.data


def test_password_reset_by_single_use_link(client, auth, user):
    response = client.post("/password/forgot", data={"email": user.email.upper()})
    assert b"If an account uses" in response.data
    [message] = outbox_to(user.email)
    assert message.kind == "reset_password"
    path = link_in(message)
    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    assert response.status_code == 302
    assert auth.sign_in(user.email, PASSWORD).status_code == 200  # the old one no longer works
    assert auth.sign_in(user.email, "a brand new passphrase").status_code == 302
    auth.sign_out()
    reused = client.get(path, follow_redirects=True)
    assert b"invalid, has expired or was already used" in reused.data


def test_password_reset_for_an_unknown_address_looks_the_same(client):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert b"If an account uses" in response.data
    assert outbox_to("nobody@example.org") == []


def test_expired_reset_link_is_refused(client, user):
    client.post("/password/forgot", data={"email": user.email})
    path = link_in(outbox_to(user.email)[0])
    token = db.session.scalar(select(UserToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(
        path,
        data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"},
        follow_redirects=True,
    )
    assert b"invalid, has expired or was already used" in response.data
    original = user.password_hash
    db.session.refresh(user)
    assert user.password_hash == original


def test_a_weak_new_password_keeps_the_reset_link_usable(client, user):
    client.post("/password/forgot", data={"email": user.email})
    path = link_in(outbox_to(user.email)[0])
    weak = client.post(path, data={"password": "abcabcabcabc", "confirm": "abcabcabcabc"})
    assert weak.status_code == 200
    assert b"too easy to guess" in weak.data
    strong = client.post(
        path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    assert strong.status_code == 302


def test_profile_sets_timezone_and_language(signed_in, user):
    response = signed_in.post(
        "/me/profile",
        data={"name": "Renamed", "timezone": "America/Argentina/Buenos_Aires", "locale": "es"},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.timezone, user.locale) == (
        "Renamed",
        "America/Argentina/Buenos_Aires",
        "es",
    )
    page = signed_in.get("/me/profile")
    assert b'lang="es"' in page.data


def test_profile_refuses_an_unknown_timezone(signed_in, user):
    response = signed_in.post(
        "/me/profile", data={"name": "Renamed", "timezone": "Mars/Olympus", "locale": ""}
    )
    assert response.status_code == 200
    assert b'id="timezone-error"' in response.data
    db.session.refresh(user)
    assert user.name == "Test Person"


def test_changing_the_password_signs_out_other_sessions(client, app, user):
    other = app.test_client()
    other.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    response = client.post(
        "/me/password", data={"current_password": PASSWORD, "new_password": "another passphrase"}
    )
    assert response.status_code == 302
    assert other.get("/me/profile").status_code == 302


def test_changing_the_password_needs_the_current_one(signed_in, user):
    response = signed_in.post(
        "/me/password",
        data={"current_password": "wrong guess!", "new_password": "another passphrase"},
    )
    assert response.status_code == 422
    assert b"current password is not right" in response.data


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(signed_in, user):
    response = signed_in.post("/me/tokens", data={"name": "calendar sync"})
    assert response.status_code == 200
    token = db.session.scalar(select(ApiToken))
    page = response.data.decode()
    secret = page.split('<code class="token">')[1].split("</code>")[0]
    assert secret.startswith("cvn_") and secret not in token.token_hash
    assert accounts.user_for_api_token(secret).id == user.id
    assert secret not in signed_in.get("/me/profile").data.decode()
    signed_in.post(f"/me/tokens/{token.id}/revoke")
    assert accounts.user_for_api_token(secret) is None


def test_someone_elses_token_cannot_be_revoked(signed_in):
    other = make_user()
    token, _secret = accounts.create_api_token(other, "theirs")
    db.session.commit()
    response = signed_in.post(f"/me/tokens/{token.id}/revoke")
    assert response.status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_email_uniqueness_is_enforced_by_the_database_whatever_the_case(app):
    make_user(email="Case@Example.org")
    db.session.add(User(email="case@example.org", name="Dup"))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        db.session.commit()
    db.session.rollback()
