"""The JSON API: tokens, themes, members, the error format and the OpenAPI document.

Most tests also check the real answer against the OpenAPI document the app serves, so the
document cannot promise a shape that the code does not keep.
"""

import hashlib
import re

import pytest
from jsonschema import ValidationError
from openapi_schema_validator import OAS30ReadValidator
from openapi_spec_validator import validate as validate_openapi
from sqlalchemy import select

from convene.extensions import db, limiter
from convene.models import ApiToken, MemberKind, Theme, ThemeLeader

from .factories import PASSWORD, make_focal_point, make_member, make_user

API = "/api/v1"
# The codes the error format gives each status.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}
SEEDED_THEMES = {  # slug: parent's slug
    "open-state": None,
    "open-justice": "open-state",
    "open-parliament": "open-state",
    "independent-institutions": "open-state",
    "open-digital": None,
    "anti-corruption": None,
    "beneficial-ownership": "anti-corruption",
    "open-contracting": "anti-corruption",
    "inclusion-civic-space": None,
    "feminist-open-government": "inclusion-civic-space",
    "youth": "inclusion-civic-space",
    "local": None,
}
URL_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}


# Helpers ------------------------------------------------------------------------------


@pytest.fixture
def spec(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def new_token(client, user, **extra) -> dict:
    response = client.post(
        f"{API}/tokens", json={"email": user.email, "password": PASSWORD, **extra}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def assert_error(response, status: int, spec: dict | None = None) -> dict:
    """`response` is an error in the API's format with `status`; returns its `error`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["error"]
    error = body["error"]
    assert sorted(error) == ["code", "fields", "message"]
    assert error["code"] == ERROR_CODES[status]
    assert isinstance(error["message"], str) and error["message"].strip()
    assert isinstance(error["fields"], dict)
    for name, messages in error["fields"].items():
        assert isinstance(name, str) and isinstance(messages, list) and messages
        assert all(isinstance(message, str) and message for message in messages)
    if spec is not None:
        assert_matches(spec, ERROR_SCHEMA, body)
    return error


def resolve(spec: dict, node: dict) -> dict:
    """`node`, following its local `$ref`s."""
    while "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def assert_matches(spec: dict, schema: dict, instance) -> None:
    OAS30ReadValidator({**schema, "components": spec["components"]}).validate(instance)


def assert_documented(spec: dict, method: str, path: str, response) -> None:
    """The document lists `response`'s status for this operation, and its body matches."""
    operation = spec["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path} does not document {status}"
    documented = resolve(spec, operation["responses"][status])
    if "content" not in documented:
        assert response.data == b""
        return
    assert response.mimetype == "application/json"
    assert_matches(spec, documented["content"]["application/json"]["schema"], response.get_json())


def openapi_path(rule: str) -> str:
    return URL_VARIABLE.sub(r"{\1}", rule)


def api_routes(app):
    """(rule, method) for every API operation the app serves, its own document aside."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(f"{API}/") and rule.rule != f"{API}/openapi.json":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method.lower()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation


# Tokens -------------------------------------------------------------------------------


def test_a_new_token_works_as_a_bearer_token(client, user, spec):
    response = client.post(f"{API}/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    assert_documented(spec, "post", "/api/v1/tokens", response)
    body = response.get_json()
    assert body["name"] == "API" and body["token"].startswith("cvn_")
    assert db.session.get(ApiToken, body["id"]).user_id == user.id

    me = client.get(f"{API}/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert_documented(spec, "get", "/api/v1/me", me)
    assert me.get_json()["id"] == user.id and me.get_json()["email"] == user.email


def test_a_token_keeps_its_name(client, user):
    body = new_token(client, user, name="Reporting")
    assert body["name"] == "Reporting"
    assert db.session.get(ApiToken, body["id"]).name == "Reporting"


def test_the_email_address_is_matched_whatever_its_case(client, app):
    user = make_user(email="Ana.Lopez@example.org")
    response = client.post(
        f"{API}/tokens", json={"email": "ANA.LOPEZ@EXAMPLE.ORG", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert db.session.get(ApiToken, response.get_json()["id"]).user_id == user.id


def test_wrong_password_and_unknown_address_get_the_same_401(client, user, spec):
    wrong_password = client.post(
        f"{API}/tokens", json={"email": user.email, "password": "not the password"}
    )
    unknown = client.post(
        f"{API}/tokens", json={"email": "nobody@example.org", "password": PASSWORD}
    )
    assert_error(wrong_password, 401, spec)
    assert_documented(spec, "post", "/api/v1/tokens", wrong_password)
    assert wrong_password.get_json() == unknown.get_json()
    assert wrong_password.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.scalars(select(ApiToken)).all() == []


@pytest.mark.parametrize(
    "fields", [{"confirmed": False}, {"active": False}], ids=["unconfirmed", "deactivated"]
)
def test_no_token_for_an_unconfirmed_or_deactivated_account(client, app, fields):
    someone = make_user(**fields)
    response = client.post(f"{API}/tokens", json={"email": someone.email, "password": PASSWORD})
    assert_error(response, 401)
    assert db.session.scalars(select(ApiToken)).all() == []


def test_missing_fields_are_named(client, spec):
    response = client.post(f"{API}/tokens", json={})
    error = assert_error(response, 422, spec)
    assert_documented(spec, "post", "/api/v1/tokens", response)
    assert set(error["fields"]) == {"email", "password"}


@pytest.mark.parametrize(
    ("request_kwargs", "status", "field"),
    [
        ({"json": {"email": "a@example.org", "password": "x", "admin": True}}, 422, "admin"),
        ({"json": {"email": "a@example.org", "password": "x" * 100_000}}, 422, "password"),
        ({"json": {"email": "a@example.org", "password": "x", "name": "n" * 101}}, 422, "name"),
        ({"json": {"email": 5, "password": None}}, 422, "email"),
        ({"json": ["a@example.org", "x"]}, 422, None),
        ({"json": "a@example.org"}, 422, None),
        ({"json": {"email": "a\x00@example.org", "password": "x"}}, 422, "email"),
        ({"json": {"email": "a@example.org", "password": "x", "name": "\x00"}}, 422, "name"),
        (
            {
                "data": '{"email": "a@example.org", "password": "\\ud800"}',
                "content_type": "application/json",
            },
            422,
            "password",
        ),
        ({"data": '{"email": "a@example.org", ', "content_type": "application/json"}, 400, None),
        ({"data": b"\xff\xfe", "content_type": "application/json"}, 400, None),
        ({"data": {"email": "a@example.org", "password": "x"}}, 415, None),
        ({"data": "a@example.org", "content_type": "text/plain"}, 415, None),
        ({}, 422, "email"),
    ],
    ids=[
        "unknown-field",
        "100kB-password",
        "long-name",
        "wrong-types",
        "array",
        "string",
        "nul-in-email",
        "nul-in-name",
        "lone-surrogate",
        "malformed-json",
        "not-utf8",
        "form-encoded",
        "text-plain",
        "no-body",
    ],
)
def test_bad_token_requests_are_refused_in_the_error_format(
    client, user, spec, request_kwargs, status, field
):
    response = client.post(f"{API}/tokens", **request_kwargs)
    error = assert_error(response, status, spec)
    assert_documented(spec, "post", "/api/v1/tokens", response)
    if field:
        assert field in error["fields"]
    assert db.session.scalars(select(ApiToken)).all() == []


def test_only_the_tokens_hash_is_stored(client, user):
    body = new_token(client, user)
    token = db.session.get(ApiToken, body["id"])
    assert token.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    stored = [getattr(token, column.key) for column in ApiToken.__table__.columns]
    assert not any(body["token"] in str(value) for value in stored)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer garbage",
        "Bearer cvn_" + "x" * 43,
        "Basic dXNlcjpwYXNz",
        "Bearer \x7f\x01",
    ],
    ids=["none", "empty", "scheme-only", "blank", "garbage", "unknown", "basic", "control"],
)
def test_me_refuses_a_missing_or_invalid_token(client, user, spec, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.get(f"{API}/me", headers=headers)
    assert_error(response, 401, spec)
    assert_documented(spec, "get", "/api/v1/me", response)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_token_must_come_as_a_bearer_token(client, user):
    token = new_token(client, user)["token"]
    assert_error(client.get(f"{API}/me", headers={"Authorization": f"Token {token}"}), 401)
    assert_error(client.get(f"{API}/me", query_string={"token": token}), 401)
    loose = client.get(f"{API}/me", headers={"Authorization": f"bearer  {token} "})
    assert loose.status_code == 200


def test_me_shows_roles_and_members(client, app, spec):
    person = make_user(roles=["reviewer"], locale="fr", timezone="Europe/Paris")
    member = make_focal_point(user=person).member
    response = client.get(f"{API}/me", headers=bearer(new_token(client, person)["token"]))
    assert_documented(spec, "get", "/api/v1/me", response)
    assert response.get_json() == {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "timezone": "Europe/Paris",
        "locale": "fr",
        "roles": ["reviewer"],
        "member_ids": [member.id],
    }


def test_a_revoked_token_is_refused(client, user, spec):
    revoked, kept = new_token(client, user), new_token(client, user)
    response = client.delete(f"{API}/tokens/{revoked['id']}", headers=bearer(revoked["token"]))
    assert response.status_code == 204
    assert_documented(spec, "delete", "/api/v1/tokens/{token_id}", response)
    assert db.session.get(ApiToken, revoked["id"]).revoked_at is not None

    assert_error(client.get(f"{API}/me", headers=bearer(revoked["token"])), 401)
    assert client.get(f"{API}/me", headers=bearer(kept["token"])).status_code == 200
    # Revoking again changes nothing.
    again = client.delete(f"{API}/tokens/{revoked['id']}", headers=bearer(kept["token"]))
    assert again.status_code == 204


def test_someone_elses_token_is_not_found(client, user, app, spec):
    mine = new_token(client, user)
    theirs = new_token(client, make_user())
    response = client.delete(f"{API}/tokens/{theirs['id']}", headers=bearer(mine["token"]))
    assert_error(response, 404, spec)
    assert_documented(spec, "delete", "/api/v1/tokens/{token_id}", response)
    assert db.session.get(ApiToken, theirs["id"]).revoked_at is None
    assert client.get(f"{API}/me", headers=bearer(theirs["token"])).status_code == 200


@pytest.mark.parametrize("token_id", ["999999", "2147483648", "99999999999999999999", "0"])
def test_revoking_an_unknown_token_is_404(client, user, token_id):
    token = new_token(client, user)["token"]
    assert_error(client.delete(f"{API}/tokens/{token_id}", headers=bearer(token)), 404)


def test_revoking_needs_a_token(client, user, spec):
    token = new_token(client, user)
    response = client.delete(f"{API}/tokens/{token['id']}")
    assert_error(response, 401, spec)
    assert_documented(spec, "delete", "/api/v1/tokens/{token_id}", response)
    assert db.session.get(ApiToken, token["id"]).revoked_at is None


def test_a_deactivated_persons_token_stops_working(client, user):
    token = new_token(client, user)["token"]
    user.active = False
    db.session.commit()
    assert_error(client.get(f"{API}/me", headers=bearer(token)), 401)


def test_a_tokens_use_is_recorded(client, user):
    body = new_token(client, user)
    assert db.session.get(ApiToken, body["id"]).last_used_at is None
    assert client.get(f"{API}/me", headers=bearer(body["token"])).status_code == 200
    assert db.session.get(ApiToken, body["id"]).last_used_at is not None


def test_a_tokens_first_use_in_a_write_is_recorded_with_the_write(client, user):
    from .factories import make_event

    event = make_event()
    db.session.commit()
    body = new_token(client, user)
    answer = client.post(
        f"{API}/events/{event.id}/registrations",
        json={"sector": "civil_society"},
        headers=bearer(body["token"]),
    )
    assert answer.status_code == 201
    db.session.expire_all()
    assert db.session.get(ApiToken, body["id"]).last_used_at is not None


@pytest.fixture
def rate_limited_client(make_app):
    yield make_app(RATELIMIT_ENABLED=True).test_client()
    # The limiter is one object for every app: give it back its test settings.
    make_app()
    assert not limiter.enabled


def test_token_requests_are_rate_limited(rate_limited_client, user, spec):
    wrong = {"email": user.email, "password": "not the password"}
    for _ in range(10):
        assert rate_limited_client.post(f"{API}/tokens", json=wrong).status_code == 401
    response = rate_limited_client.post(f"{API}/tokens", json=wrong)
    assert_error(response, 429, spec)
    assert_documented(spec, "post", "/api/v1/tokens", response)
    assert int(response.headers["Retry-After"]) > 0


# Themes -------------------------------------------------------------------------------


def test_themes_list_the_seeded_tree(client, app, spec):
    leader = make_member()
    justice = db.session.scalar(select(Theme).where(Theme.slug == "open-justice"))
    db.session.add(ThemeLeader(theme_id=justice.id, member_id=leader.id))
    db.session.commit()

    response = client.get(f"{API}/themes")
    assert response.status_code == 200
    assert_documented(spec, "get", "/api/v1/themes", response)
    body = response.get_json()
    assert (body["total"], body["page"], body["per_page"]) == (12, 1, 50)
    items = {item["slug"]: item for item in body["items"]}
    assert {slug: item["parent"] for slug, item in items.items()} == SEEDED_THEMES
    order = [item["slug"] for item in body["items"]]
    assert all(
        order.index(parent) < order.index(slug) for slug, parent in SEEDED_THEMES.items() if parent
    )
    assert items["open-justice"]["names"] == {
        "en": "Open justice",
        "fr": "Justice ouverte",
        "es": "Justicia abierta",
    }
    assert items["open-justice"]["leader_member_ids"] == [leader.id]
    assert items["youth"]["leader_member_ids"] == []


def test_themes_paginate(client, spec):
    first = client.get(f"{API}/themes", query_string={"per_page": 5}).get_json()
    last = client.get(f"{API}/themes", query_string={"per_page": 5, "page": 3})
    assert_documented(spec, "get", "/api/v1/themes", last)
    assert (len(first["items"]), first["total"]) == (5, 12)
    assert (len(last.get_json()["items"]), last.get_json()["total"]) == (2, 12)
    beyond = client.get(f"{API}/themes", query_string={"page": 4, "per_page": 5}).get_json()
    assert beyond["items"] == [] and beyond["total"] == 12


def test_one_theme(client, spec):
    listed = client.get(f"{API}/themes").get_json()["items"]
    youth = next(item for item in listed if item["slug"] == "youth")
    response = client.get(f"{API}/themes/{youth['id']}")
    assert response.status_code == 200
    assert_documented(spec, "get", "/api/v1/themes/{theme_id}", response)
    assert response.get_json() == youth


@pytest.mark.parametrize(
    "theme_id", ["999999", "2147483648", "99999999999999999999", "0", "-1", "youth"]
)
def test_an_unknown_theme_is_404(client, spec, theme_id):
    response = client.get(f"{API}/themes/{theme_id}")
    assert_error(response, 404, spec)
    if theme_id == "999999":
        assert_documented(spec, "get", "/api/v1/themes/{theme_id}", response)


# Members ------------------------------------------------------------------------------


@pytest.fixture
def members(app):
    return {
        "france": make_member("France", country="FR", website="https://www.gouvernement.fr"),
        "paris": make_member("Ville de Paris", kind=MemberKind.LOCAL_GOVERNMENT, country="FR"),
        "ciudadania": make_member("Ciudadanía Activa", kind=MemberKind.CIVIL_SOCIETY, country="AR"),
        "argentina": make_member("Argentina", country="AR"),
        "percent": make_member("100% Transparency", kind=MemberKind.CIVIL_SOCIETY, country="KE"),
    }


def names(response) -> list[str]:
    return [item["name"] for item in response.get_json()["items"]]


def test_members_are_listed_by_name_one_page_at_a_time(client, members, spec):
    response = client.get(f"{API}/members")
    assert_documented(spec, "get", "/api/v1/members", response)
    body = response.get_json()
    assert (body["total"], body["page"], body["per_page"]) == (5, 1, 50)
    assert names(response) == [
        "100% Transparency",
        "Argentina",
        "Ciudadanía Activa",
        "France",
        "Ville de Paris",
    ]

    second = client.get(f"{API}/members", query_string={"page": 2, "per_page": 2})
    assert names(second) == ["Ciudadanía Activa", "France"]
    assert {k: v for k, v in second.get_json().items() if k != "items"} == {
        "total": 5,
        "page": 2,
        "per_page": 2,
    }
    beyond = client.get(f"{API}/members", query_string={"page": 4, "per_page": 2}).get_json()
    assert beyond["items"] == [] and beyond["total"] == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "civil_society"}, ["100% Transparency", "Ciudadanía Activa"]),
        ({"country": "ar"}, ["Argentina", "Ciudadanía Activa"]),
        ({"country": "FR", "kind": "local_government"}, ["Ville de Paris"]),
        ({"q": "CIUDAD"}, ["Ciudadanía Activa"]),
        ({"q": "%"}, ["100% Transparency"]),
        ({"q": "_"}, []),
        ({"q": "nobody"}, []),
    ],
)
def test_members_filter(client, members, query, expected):
    response = client.get(f"{API}/members", query_string=query)
    assert names(response) == expected
    assert response.get_json()["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 1000}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "9" * 30}, "page"),
        ({"kind": "government"}, "kind"),
        ({"country": "FRA"}, "country"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00"}, "q"),
        ({"country": "\x00F"}, "country"),
    ],
)
def test_bad_member_queries_are_422(client, members, spec, query, field):
    response = client.get(f"{API}/members", query_string=query)
    error = assert_error(response, 422, spec)
    assert_documented(spec, "get", "/api/v1/members", response)
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize("query", [{"per_page": 0}, {"per_page": 201}, {"page": 0}])
def test_bad_theme_pages_are_422(client, spec, query):
    response = client.get(f"{API}/themes", query_string=query)
    assert_error(response, 422, spec)
    assert_documented(spec, "get", "/api/v1/themes", response)


def test_one_member(client, members, spec):
    france = members["france"]
    response = client.get(f"{API}/members/{france.id}")
    assert_documented(spec, "get", "/api/v1/members/{member_id}", response)
    assert response.get_json() == {
        "id": france.id,
        "slug": france.slug,
        "name": "France",
        "kind": "national_government",
        "country": "FR",
        "website": "https://www.gouvernement.fr",
    }
    paris = client.get(f"{API}/members/{members['paris'].id}")
    assert_documented(spec, "get", "/api/v1/members/{member_id}", paris)
    assert paris.get_json()["website"] is None


@pytest.mark.parametrize(
    "member_id", ["999999", "2147483648", "99999999999999999999", "0", "france"]
)
def test_an_unknown_member_is_404(client, members, spec, member_id):
    response = client.get(f"{API}/members/{member_id}")
    assert_error(response, 404, spec)
    if member_id == "999999":
        assert_documented(spec, "get", "/api/v1/members/{member_id}", response)


# The API as a whole -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/nothing-here", 404),
        ("get", "/api/v1/", 404),
        ("delete", "/api/v1/themes", 405),
        ("put", "/api/v1/members/1", 405),
        ("get", "/api/v1/tokens", 405),
    ],
)
def test_unknown_addresses_and_methods_answer_in_the_error_format(
    client, spec, method, path, status
):
    assert_error(client.open(path, method=method), status, spec)


def test_the_openapi_document_is_valid(spec):
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /api/v1/tokens",
    }


def test_the_error_schema_documents_the_error_format(spec):
    error = {"error": {"code": "invalid", "message": "m", "fields": {"email": ["wrong"]}}}
    assert_matches(spec, ERROR_SCHEMA, error)
    for wrong in (
        {"code": 422, "message": "m", "errors": {}},
        {"error": {"code": "invalid"}},
        {"error": {**error["error"], "fields": {"email": "wrong"}}},
    ):
        with pytest.raises(ValidationError):
            assert_matches(spec, ERROR_SCHEMA, wrong)


def test_every_api_route_is_documented(app, spec):
    routes = list(api_routes(app))
    assert len(routes) >= 7
    for rule, method in routes:
        path = openapi_path(rule.rule)
        assert method in spec["paths"].get(path, {}), f"{method.upper()} {path} undocumented"
        operation = spec["paths"][path][method]
        assert operation.get("summary"), f"{method.upper()} {path} has no summary"
        view = app.view_functions[rule.endpoint]
        if getattr(view, "requires_token", False):
            assert operation.get("security") == [{"bearerAuth": []}], f"{method} {path}"
            assert "401" in operation["responses"], f"{method.upper()} {path}: 401 undocumented"
        else:
            assert "security" not in operation, f"{method.upper()} {path} needs no token"


def test_every_documented_operation_exists(app, spec):
    served = {(openapi_path(rule.rule), method) for rule, method in api_routes(app)}
    documented = {(path, method) for path, method, _operation in operations(spec)}
    assert documented == served


def test_every_error_answer_is_documented_with_the_error_schema(spec):
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        assert "default" in responses
        for status, response in responses.items():
            if status == "default" or status.startswith(("4", "5")):
                schema = resolve(spec, response)["content"]["application/json"]["schema"]
                assert schema == ERROR_SCHEMA, f"{method.upper()} {path} {status}"


def test_documented_security_matches_what_the_api_does(app, client, spec):
    """Called without a token, an operation answers 401 if and only if it documents a token."""
    for rule, method in api_routes(app):
        path = openapi_path(rule.rule)
        needs_token = "security" in spec["paths"][path][method]
        response = client.open(URL_VARIABLE.sub("1", rule.rule), method=method)
        assert (response.status_code == 401) == needs_token, f"{method.upper()} {path}"
        assert response.status_code < 500
