"""Wiring every page shares: errors, health, headers, CSRF, languages."""

import re

import pytest

from convene.extensions import db

from .factories import make_user


def test_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_not_ready_but_alive_when_the_database_is_unreachable(make_app, tmp_path):
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
    assert broken.test_client().get("/healthz").json == {"status": "ok"}


def test_not_ready_when_a_configured_redis_is_unreachable(make_app):
    # Port 9 (discard) has no Redis behind it on a test machine.
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "ok", "redis": "unreachable"}


def test_every_response_carries_a_request_id(client):
    given = client.get("/healthz", headers={"X-Request-ID": "lb-1234"})
    assert given.headers["X-Request-ID"] == "lb-1234"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id; X-Evil: 1"})
    assert len(made.headers["X-Request-ID"]) == 32 and "Evil" not in made.headers["X-Request-ID"]


def test_unknown_pages_get_a_page_and_api_paths_get_json(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert b"Page not found" in page.data and b"<main" in page.data
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json["error"]["code"] == "not_found"


def test_wrong_method_is_405_not_500(client):
    assert client.delete("/sign-in").status_code == 405


def test_security_headers_on_every_response(client):
    for path in ("/", "/sign-in", "/no/such/page", "/api/v1/themes"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


@pytest.mark.parametrize(
    "path", ["/sign-in", "/sign-up", "/password/forgot", "/confirm", "/sign-out", "/language"]
)
def test_forms_without_a_csrf_token_are_refused_with_a_clear_message(csrf_client, path):
    response = csrf_client.post(path, data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert b"Your form expired or came from another site" in response.data


def test_a_form_with_its_token_goes_through(csrf_client):
    page = csrf_client.get("/sign-in").data.decode()
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = csrf_client.post(
        "/sign-in",
        data={"csrf_token": token, "email": "a@example.org", "password": "whatever it is"},
    )
    assert response.status_code == 200
    assert b"Wrong e-mail address or password" in response.data


def test_the_api_does_not_need_a_csrf_token(csrf_client):
    response = csrf_client.post(
        "/api/v1/tokens", json={"email": "a@example.org", "password": "whatever"}
    )
    assert response.status_code == 401


def test_language_follows_the_browser_then_the_person(client):
    assert (
        b'<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).data
    )
    person = make_user(locale="es")
    client.post(
        "/sign-in",
        data={"email": person.email, "password": "correct horse battery"},
        headers={"Accept-Language": "fr"},
    )
    assert b'<html lang="es">' in client.get("/", headers={"Accept-Language": "fr"}).data


def test_the_language_switch_is_remembered_for_signed_in_people(client, user):
    client.post("/sign-in", data={"email": user.email, "password": "correct horse battery"})
    response = client.post("/language?next=/me/profile", data={"locale": "fr"})
    assert response.headers["Location"] == "/me/profile"
    db.session.refresh(user)
    assert user.locale == "fr"


def test_the_language_switch_works_without_an_account(client):
    client.post("/language", data={"locale": "es"})
    assert b'<html lang="es">' in client.get("/").data
    client.post("/language", data={"locale": "xx"})
    assert b'<html lang="es">' in client.get("/").data


def test_user_text_is_escaped(client):
    person = make_user(name="<script>alert(1)</script>")
    client.post("/sign-in", data={"email": person.email, "password": "correct horse battery"})
    page = client.get("/me/profile").data
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_nul_character_in_a_form_is_a_clear_400(client):
    response = client.post("/sign-in", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert b"Bad request" in response.data


def test_an_unexpected_error_shows_a_page_without_details(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret internals" not in response.data and b"Traceback" not in response.data


def test_huge_ids_in_addresses_are_not_found(admin_client):
    for path in (
        "/proposals/99999999999999999999",
        "/admin/people/99999999999999999999",
        "/admin/members/99999999999999999999",
        "/proposals/2147483648",
    ):
        assert admin_client.get(path).status_code == 404, path


def test_a_theme_page_lists_its_events_leaders_feed_and_counts(client):
    from convene.models import Registration, Theme, ThemeLeader

    from .factories import make_event, make_member

    theme = db.session.scalar(db.select(Theme).where(Theme.slug == "open-justice"))
    leader = make_member(name="<b>Leader</b> org")
    db.session.add(ThemeLeader(theme=theme, member=leader))
    event = make_event(title="Courts in the open")
    event.themes = [theme]
    for _ in range(6):
        db.session.add(
            Registration(
                event=event, user=make_user(), status="confirmed", sector="media", manage_nonce="x"
            )
        )
    db.session.commit()
    page = client.get("/themes/open-justice").data.decode()
    assert "Courts in the open" in page and "&lt;b&gt;Leader&lt;/b&gt; org" in page
    assert "webcal://convene.test/themes/open-justice.ics" in page
    assert '<th scope="row">Media</th><td>6</td>' in page
    parent = client.get("/themes/open-state").data.decode()
    assert "Courts in the open" in parent  # a parent theme shows its sub-themes' events
    assert client.get("/themes/nowhere").status_code == 404


def test_behind_a_trusted_proxy_https_is_seen_and_hsts_sent(make_app):
    app = make_app(TRUSTED_PROXIES=1, HSTS_SECONDS=600)
    client = app.test_client()
    forwarded = client.get(
        "/healthz", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert forwarded.headers["Strict-Transport-Security"] == "max-age=600"
    # Without a trusted proxy the same header is ignored: anyone could send it.
    plain = make_app().test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in plain.headers


def test_static_files_carry_a_content_hash_and_are_cached_long(client):
    page = client.get("/sign-in").get_data(as_text=True)
    [css] = re.findall(r'href="(/static/css/convene\.css\?v=[0-9a-f]{12})"', page)
    response = client.get(css)
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
