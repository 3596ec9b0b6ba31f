"""Rotating SECRET_KEY: with the old key in SECRET_KEY_FALLBACKS, everything signed with it
(feed addresses, registration links, sessions, remember-me cookies, open forms) still
works, new signatures use the new key, and without the old key the old signatures die."""

import re

import pytest
from flask_login.utils import decode_cookie

from config import load_config
from convene.extensions import db
from convene.services import calendars
from convene.services import registration as reg

from .conftest import link_in, outbox_to
from .factories import PASSWORD, make_event, make_user, registration_input

OLD, NEW = "the-old-secret-key-for-this-test", "the-new-secret-key-for-this-test"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def before(make_app):
    """The app as it ran before the rotation."""
    return make_app(SECRET_KEY=OLD)


@pytest.fixture
def rotated(make_app):
    """The app after the rotation, the old key kept as a fallback."""
    return make_app(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD])


@pytest.fixture
def forgotten(make_app):
    """The app once the old key is dropped from the fallbacks."""
    return make_app(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[])


def copy_cookies(source, target, names=("session", "remember_token")) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def test_fallback_keys_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", NEW)
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", f" {OLD} , older-key ,")
    assert load_config("production", tmp_path)["SECRET_KEY_FALLBACKS"] == [OLD, "older-key"]
    monkeypatch.delenv("SECRET_KEY_FALLBACKS")
    # A list, never a string: Flask would take each character of a string for a key.
    assert load_config("production", tmp_path)["SECRET_KEY_FALLBACKS"] == []


def _feed_address(app_, person) -> str:
    with app_.test_request_context():
        return f"/me/calendar/{calendars.feed_token(person)}.ics"


def test_a_subscribed_feed_survives_the_rotation(app, before, rotated, forgotten):
    person = make_user()
    calendars.regenerate_feed_token(person)
    db.session.commit()
    old_address = _feed_address(before, person)
    assert before.test_client().get(old_address).status_code == 200
    assert rotated.test_client().get(old_address).status_code == 200
    # The page now hands out an address signed with the new key, which works too.
    new_address = _feed_address(rotated, person)
    assert new_address != old_address
    assert rotated.test_client().get(new_address).status_code == 200
    assert forgotten.test_client().get(old_address).status_code == 404
    assert forgotten.test_client().get(new_address).status_code == 200


@pytest.mark.parametrize("action", ["confirm", "cancel"])
def test_links_in_registration_emails_survive_the_rotation(app, before, rotated, forgotten, action):
    registration, _new = reg.register(make_event(), registration_input())
    db.session.commit()
    with before.test_request_context():
        token = reg.manage_token(registration)
    path = f"/registrations/{registration.id}/{action}/{token}"
    assert forgotten.test_client().get(path).status_code == 404
    assert rotated.test_client().get(path).status_code == 200
    assert rotated.test_client().post(path).status_code == 200
    db.session.refresh(registration)
    assert registration.status.value == ("confirmed" if action == "confirm" else "cancelled")


def test_account_links_do_not_depend_on_the_key(app, before, forgotten):
    """Confirmation and reset links are random secrets kept hashed: no key involved."""
    person = make_user(confirmed=False)
    before.test_client().post("/confirm", data={"email": person.email})
    before.test_client().post("/password/forgot", data={"email": person.email})
    confirm, reset = (link_in(message) for message in outbox_to(person.email))
    assert (confirm.split("/")[1], reset.split("/")[1]) == ("confirm", "password")
    assert forgotten.test_client().post(confirm).status_code == 302
    db.session.refresh(person)
    assert person.email_confirmed
    assert forgotten.test_client().get(reset).status_code == 200


def test_a_signed_in_browser_stays_signed_in(app, before, rotated, forgotten):
    person = make_user()
    browser = before.test_client()
    browser.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    after, gone = rotated.test_client(), forgotten.test_client()
    copy_cookies(browser, after, ["session"])
    copy_cookies(browser, gone, ["session"])
    assert after.get("/me/profile").status_code == 200
    assert gone.get("/me/profile").status_code == 302


def test_a_session_is_signed_again_with_the_new_key(app, before, rotated, forgotten):
    """So dropping the old key later does not sign out the people active meanwhile."""
    person = make_user()
    browser = before.test_client()
    browser.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert browser.get("/me/profile").status_code == 200  # the session has all it keeps
    after = rotated.test_client()
    copy_cookies(browser, after, ["session"])
    assert after.get("/me/profile").status_code == 200
    later = forgotten.test_client()
    copy_cookies(after, later, ["session"])
    assert later.get("/me/profile").status_code == 200


def test_a_remembered_browser_stays_signed_in_and_gets_a_new_cookie(
    app, before, rotated, forgotten
):
    person = make_user()
    browser = before.test_client()
    browser.post("/sign-in", data={"email": person.email, "password": PASSWORD, "remember": "y"})
    # The browser was closed: only the remember-me cookie is left.
    after, gone = rotated.test_client(), forgotten.test_client()
    copy_cookies(browser, after, ["remember_token"])
    copy_cookies(browser, gone, ["remember_token"])
    assert gone.get("/me/profile").status_code == 302
    assert after.get("/me/profile").status_code == 200
    # Signed again with the new key, so it outlives the fallback.
    renewed = after.get_cookie("remember_token").value
    assert decode_cookie(renewed, key=NEW.encode()) is not None
    later = forgotten.test_client()
    later.set_cookie("remember_token", renewed)
    assert later.get("/me/profile").status_code == 200


def test_a_form_opened_before_the_rotation_is_accepted_after_it(make_app):
    before = make_app(SECRET_KEY=OLD, WTF_CSRF_ENABLED=True)
    rotated = make_app(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD], WTF_CSRF_ENABLED=True)
    forgotten = make_app(SECRET_KEY=NEW, WTF_CSRF_ENABLED=True)
    person = make_user()
    browser = before.test_client()
    page = browser.get("/sign-in").get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    data = {"email": person.email, "password": PASSWORD, "csrf_token": token}
    after, gone = rotated.test_client(), forgotten.test_client()
    copy_cookies(browser, after, ["session"])
    copy_cookies(browser, gone, ["session"])
    assert gone.post("/sign-in", data=data).status_code == 400
    assert after.post("/sign-in", data=data).status_code == 302
    # Flask-WTF's other checks still apply: an old token from another browser is refused.
    other = before.test_client()
    foreign = CSRF_FIELD.search(other.get("/sign-in").get_data(as_text=True)).group(1)
    later = rotated.test_client()
    copy_cookies(browser, later, ["session"])
    assert later.post("/sign-in", data={**data, "csrf_token": foreign}).status_code == 400
