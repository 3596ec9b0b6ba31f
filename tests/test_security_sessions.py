"""Sessions and forms: CSRF on every state-changing form, cookies, session renewal and
invalidation, no account enumeration, and `next=` that only leads back to this site."""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from convene import create_app
from convene.extensions import db
from convene.models import Registration, User

from . import conftest
from .conftest import outbox_to
from .factories import PASSWORD, make_user
from .test_security_authz import API_BODIES, build_world, requests_for

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/sign-in") -> str:
    found = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in_with_token(client, email: str, **extra):
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_token(client), **extra}
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def snapshot() -> dict:
    """Every row of every table, to show that a refused request changed nothing."""
    db.session.expire_all()
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(table.select().order_by(*table.primary_key.columns)).all()
        ]
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def csrf_app(make_app, tmp_path):
    return make_app(WTF_CSRF_ENABLED=True, UPLOAD_FOLDER=str(tmp_path))


@pytest.fixture
def world(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return build_world()


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


# CSRF ---------------------------------------------------------------------------------


def test_every_form_refuses_a_post_without_its_csrf_token(csrf_app, world):
    """Every POST rule outside the API, signed out and then as an administrator (whom
    nothing else would stop): 400, and not one row of the database changed."""
    admin = world.people["admin"]
    signed_out, signed_in = csrf_app.test_client(), csrf_app.test_client()
    sign_in_with_token(signed_in, admin.email)
    before = snapshot()
    for client, person in ((signed_out, None), (signed_in, admin)):
        posts = [r for r in requests_for(csrf_app, world, person, api=False) if r[1] == "POST"]
        assert len(posts) > 50
        answers = {
            endpoint: client.post(url, data=body).status_code
            for endpoint, _method, url, body in posts
        }
        assert answers == dict.fromkeys(answers, 400), person
    assert snapshot() == before
    # Still signed in: the refused sign-out did not sign out.
    assert signed_in.get("/me/profile").status_code == 200


def test_a_token_from_another_session_is_refused(csrf_app, app):
    person = make_user()
    mine, theirs = csrf_app.test_client(), csrf_app.test_client()
    sign_in_with_token(mine, person.email)
    foreign = csrf_token(theirs, "/")
    assert mine.post("/sign-out", data={"csrf_token": foreign}).status_code == 400
    assert mine.post("/sign-out", data={"csrf_token": csrf_token(mine, "/")}).status_code == 302
    assert mine.get("/me/profile").status_code == 302


def test_the_csrf_refusal_is_a_page_that_says_why(csrf_app, app):
    response = csrf_app.test_client().post("/sign-up", data={"email": "a@example.org"})
    assert response.status_code == 400
    assert "came from another site" in response.get_data(as_text=True)


# The API: bearer tokens, never cookies ------------------------------------------------


def test_the_api_needs_no_csrf_token_with_a_bearer_token(csrf_app, world):
    from .test_security_authz import bearer

    response = csrf_app.test_client().post(
        f"/api/v1/events/{world.a.id}/sessions",
        json=API_BODIES[("api_sessions.create_session", "POST")](world, None),
        headers=bearer(world.people["owner_focal_point"]),
    )
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_browser_session_is_not_enough_to_call_the_api(csrf_app, world):
    """Signed in as an administrator with a cookie, without a bearer token: every API
    operation that changes something is refused (or, where anyone may call it, treated
    as a stranger's call) and nothing is changed for the administrator."""
    client = csrf_app.test_client()
    admin = world.people["admin"]
    sign_in_with_token(client, admin.email)
    writes = [
        r
        for r in requests_for(csrf_app, world, admin, api=True)
        if r[1] != "GET" and r[0] != "api_tokens.create_token"  # a password is its proof
    ]
    assert len(writes) > 20
    answers = {
        endpoint: client.open(url, method=method, json=body).status_code
        for endpoint, method, url, body in writes
    }
    # Registering without a token is a stranger's registration: it needs a name and an
    # address, which the administrator's cookie does not supply.
    assert answers.pop("api_registrations.register") == 422
    assert answers == dict.fromkeys(answers, 401)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me/data").status_code == 401
    assert not db.session.scalars(
        select(Registration).where(Registration.user_id == admin.id)
    ).all()


def test_only_the_api_is_exempt_from_csrf(app):
    from convene.extensions import csrf

    exempt = {getattr(b, "name", b) for b in csrf._exempt_blueprints}
    assert exempt and all(name.startswith("api_") for name in exempt)
    assert not csrf._exempt_views


# Cookies ------------------------------------------------------------------------------


def _set_cookie(response, name: str) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert headers, response.headers
    return headers[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax(client, app):
    person = make_user()
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = client.post(
        "/sign-in", data={"email": person.email, "password": PASSWORD, "remember": "y"}
    )
    for name in ("session", "remember_token"):
        header = _set_cookie(response, name)
        assert "HttpOnly" in header and "SameSite=Lax" in header, header


@pytest.fixture
def production_app(app, database_url, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-this-test")
    monkeypatch.delenv("INSECURE_COOKIES", raising=False)
    overrides = conftest.test_config(database_url)
    for name in ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED"):
        overrides.pop(name)
    production = create_app("production", overrides)
    yield production
    with production.app_context():
        db.engine.dispose()


def test_cookies_are_secure_in_production(production_app):
    config = production_app.config
    assert config["SECRET_KEY"] == "a-long-random-production-secret-for-this-test"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["WTF_CSRF_ENABLED"] is not False
    email = make_user().email
    client = production_app.test_client()
    page = client.get("/sign-in", base_url="https://convene.test")
    token = CSRF_FIELD.search(page.get_data(as_text=True)).group(1)
    response = client.post(
        "/sign-in",
        base_url="https://convene.test",
        headers={"Referer": "https://convene.test/sign-in"},  # checked over HTTPS
        data={"email": email, "password": PASSWORD, "remember": "y", "csrf_token": token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    for name in ("session", "remember_token"):
        header = _set_cookie(response, name)
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_production_refuses_to_start_without_a_secret_key(app, database_url, monkeypatch):
    from config import ConfigError

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": database_url})


# The session's life -------------------------------------------------------------------


def test_sign_in_starts_a_new_session(client, app):
    """Session fixation: what was in the session before signing in is not kept, and the
    cookie from before does not become a signed-in one."""
    person = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = session_cookie(client)
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    after = session_cookie(client)
    assert after and after != before
    with client.session_transaction() as session:
        assert "planted" not in session
    planted = app.test_client()
    planted.set_cookie("session", before)
    assert planted.get("/me/profile").status_code == 302


def test_signing_out_ends_the_session_in_this_browser(client, app):
    person = make_user()
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert client.get("/me/profile").status_code == 200
    client.post("/sign-out")
    response = client.get("/me/profile")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_cookie_copied_before_signing_out_no_longer_signs_in(client, app, cookie):
    person = make_user()
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD, "remember": "y"})
    copied = client.get_cookie(cookie).value
    client.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie(cookie, copied)
    response = thief.get("/me/profile")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_out_everywhere_ends_every_other_session(app):
    person = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    for client in (here, elsewhere):
        client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
        assert client.get("/me/profile").status_code == 200
    copied = session_cookie(here)
    assert here.post("/me/sign-out-everywhere").status_code == 302
    replayed = app.test_client()
    replayed.set_cookie("session", copied)
    for client in (here, elsewhere, replayed):
        response = client.get("/me/profile")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_changing_the_password_ends_every_other_session(app):
    person = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    for client in (here, elsewhere):
        client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    response = here.post(
        "/me/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert elsewhere.get("/me/profile").status_code == 302


def test_a_deactivated_account_is_signed_out(app, admin):
    person = make_user()
    client, admin_client = app.test_client(), app.test_client()
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    admin_client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    assert admin_client.post(f"/admin/people/{person.id}/deactivate").status_code == 302
    assert client.get("/me/profile").status_code == 302


# No account enumeration ---------------------------------------------------------------


def _page_text(response, *addresses: str) -> str:
    """The page without what differs between any two requests: tokens, the address typed."""
    text = response.get_data(as_text=True)
    text = re.sub(r'value="[^"]*"', 'value=""', text)
    text = re.sub(r'content="[^"]*"', 'content=""', text)
    for address in addresses:
        text = text.replace(address, "ADDRESS")
    return text


def _errors(response) -> list[str]:
    block = re.search(
        r'class="form-errors"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S
    )
    return re.findall(r"<p>(.*?)</p>", block.group(1)) if block else []


def test_sign_in_says_the_same_for_an_unknown_address_and_a_wrong_password(client, app):
    person = make_user(email="known@example.org")
    unknown = client.post("/sign-in", data={"email": "nobody@example.org", "password": PASSWORD})
    wrong = client.post("/sign-in", data={"email": person.email, "password": "wrong password"})
    assert unknown.status_code == wrong.status_code == 200
    assert _errors(unknown) == _errors(wrong) == ["Wrong e-mail address or password."]
    assert _page_text(unknown, "nobody@example.org") == _page_text(wrong, person.email)


def test_an_unconfirmed_account_is_told_apart_only_with_the_right_password(client, app):
    person = make_user(email="unconfirmed@example.org", confirmed=False)
    wrong = client.post("/sign-in", data={"email": person.email, "password": "wrong password"})
    assert _errors(wrong) == ["Wrong e-mail address or password."]


@pytest.fixture
def hashing(app, monkeypatch):
    """Counts the password hashes computed (the slow part whose time could tell)."""
    from convene.services import security

    security._dummy_hash()  # made once per process, before counting
    counted = []
    for name in ("check_password_hash", "generate_password_hash"):
        original = getattr(security, name)
        monkeypatch.setattr(
            security,
            name,
            lambda *args, _original=original, **kwargs: (
                counted.append(1) or _original(*args, **kwargs)
            ),
        )
    return counted


def test_sign_in_hashes_alike_for_an_unknown_address_and_a_wrong_password(client, hashing):
    make_user(email="known@example.org")
    hashing.clear()
    client.post("/sign-in", data={"email": "nobody@example.org", "password": PASSWORD})
    for_unknown = len(hashing)
    client.post("/sign-in", data={"email": "known@example.org", "password": "wrong password"})
    assert for_unknown == len(hashing) - for_unknown == 1


def test_sign_up_hashes_alike_for_a_new_and_a_known_address(client, hashing):
    make_user(email="known@example.org")
    hashing.clear()
    form = {"name": "Someone", "password": "a long enough passphrase"}
    form["confirm"] = form["password"]
    client.post("/sign-up", data={**form, "email": "known@example.org"})
    for_known = len(hashing)
    client.post("/sign-up", data={**form, "email": "new@example.org"})
    assert db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert for_known == len(hashing) - for_known


def test_sign_up_answers_alike_for_a_new_and_a_known_address(client, app):
    known = make_user(email="known@example.org", name="Kim Known")
    password_hash = known.password_hash
    passphrase = "a long enough passphrase"
    form = {"name": "Someone", "password": passphrase, "confirm": passphrase}
    for_known = client.post("/sign-up", data={**form, "email": known.email})
    for_new = client.post("/sign-up", data={**form, "email": "new@example.org"})
    assert for_known.status_code == for_new.status_code == 200
    assert _page_text(for_known, known.email) == _page_text(for_new, "new@example.org")
    # The owner of the known address is told instead; their account is untouched.
    (told,) = outbox_to(known.email)
    assert told.kind == "account_exists"
    assert "already has one" in told.body_text
    db.session.expire_all()
    assert known.name == "Kim Known" and known.password_hash == password_hash
    assert [m.kind for m in outbox_to("new@example.org")] == ["confirm_email"]


@pytest.mark.parametrize("path", ["/password/forgot", "/confirm"])
def test_reset_and_resend_answer_alike_for_a_known_and_an_unknown_address(client, app, path):
    known = make_user(email="known@example.org", confirmed=(path != "/confirm"))
    for_known = client.post(path, data={"email": known.email})
    for_unknown = client.post(path, data={"email": "nobody@example.org"})
    assert for_known.status_code == for_unknown.status_code == 200
    assert _page_text(for_known, known.email) == _page_text(for_unknown, "nobody@example.org")
    assert len(outbox_to(known.email)) == 1
    assert outbox_to("nobody@example.org") == []


def test_a_forged_host_header_does_not_reach_the_reset_link(client, app):
    """Links in e-mails are built on BASE_URL, never on the request's Host header."""
    known = make_user(email="known@example.org")
    client.post(
        "/password/forgot",
        data={"email": known.email},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    (message,) = outbox_to(known.email)
    assert "evil.example" not in message.body_text
    assert "http://convene.test/password/reset/" in message.body_text


def test_the_api_token_endpoint_does_not_tell_who_has_an_account(client, app):
    person = make_user(email="known@example.org")
    unknown = client.post("/api/v1/tokens", json={"email": "nobody@example.org", "password": "x"})
    wrong = client.post("/api/v1/tokens", json={"email": person.email, "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_json() == wrong.get_json()


def test_registering_a_known_address_without_signing_in_tells_nothing(client, app):
    from .factories import make_event

    event = make_event()
    known = make_user(email="known@example.org")
    form = {"name": "Someone", "sector": "civil_society"}
    for_known = client.post(f"/events/{event.slug}/register", data={**form, "email": known.email})
    for_new = client.post(
        f"/events/{event.slug}/register", data={**form, "email": "new@example.org"}
    )
    assert for_known.status_code == for_new.status_code
    assert _page_text(for_known, known.email) == _page_text(for_new, "new@example.org")
    assert db.session.scalar(select(User).where(User.email == known.email)).name != "Someone"


# `next=` leads back to this site only -------------------------------------------------

ELSEWHERE = [
    "https://evil.example",
    "http://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.example",
    "https:/evil.example",
]


def _stays_here(location: str) -> bool:
    target = urlsplit(location)
    return (
        not target.scheme
        and not target.netloc
        and location.startswith("/")
        and not location.startswith("//")
        and "\\" not in location
        and not re.search(r"[\x00-\x20]", location)
    )


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_in_never_sends_people_to_another_site(client, app, target):
    person = make_user()
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": person.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # Already signed in, the sign-in page forwards at once: the same rule.
    again = client.get("/sign-in", query_string={"next": target})
    assert again.headers["Location"] == "/"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_other_forms_with_next_stay_on_this_site(client, app, target):
    response = client.post("/language", query_string={"next": target}, data={"locale": "fr"})
    assert response.status_code == 302
    assert _stays_here(response.headers["Location"]), response.headers["Location"]


def test_a_local_next_is_followed(client, app):
    person = make_user()
    response = client.post(
        "/sign-in",
        query_string={"next": "/me/registrations?page=2"},
        data={"email": person.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/me/registrations?page=2"


def test_being_sent_to_sign_in_keeps_a_local_next(client, app):
    response = client.get("/me/profile")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/sign-in" and "next=" in target.query


def test_every_rate_limit_counts_only_writes(app):
    """convene lets reads skip the rate limiter (extensions._reads_are_not_limited): that is
    only right while every limit set applies to POST alone, or to a route that only POSTs."""
    from flask_limiter.util import get_qualified_name

    from convene.extensions import limiter

    decorated = limiter.limit_manager._decorated_limits
    assert len(decorated) >= 6, "no limited route found: the check below would prove nothing"
    assert not limiter.limit_manager.default_limits
    assert not limiter.limit_manager.application_limits
    methods_of = {}
    for rule in app.url_map.iter_rules():
        name = get_qualified_name(app.view_functions[rule.endpoint])
        methods_of.setdefault(name, set()).update(rule.methods - {"OPTIONS", "HEAD"})
    for name, limits in decorated.items():
        for limit in limits:
            counted = set(m.upper() for m in limit.methods or ()) or methods_of[name]
            assert counted == {"POST"}, (name, counted)
