"""API fuzzing: schemathesis reads /api/v1/openapi.json and calls the app, served for real
with the demo loaded, with generated input, valid and invalid: every public operation
anonymously, every operation as the demo administrator. No answer may be a server error,
and every answer must be one the document promises: its status, content type and body.

Bounded and reproducible: a fixed number of examples per operation, derandomized. The
fuzzing is marked `fuzz` and left out of `python3 dev.py test` (it takes minutes);
.ci/run runs it in a step of its own: `python3 dev.py test -m fuzz tests/test_api_fuzz.py`.
What it found is kept below as plain tests, which always run.
"""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, assume, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    is_unexpected_http_status_case,
    response_schema_conformance,
    status_code_conformance,
)

from convene import create_app, demo
from convene.api.routing import MAX_ID
from convene.extensions import db
from convene.services import accounts

from .browser.conftest import LiveSite
from .conftest import test_config as app_config  # (not collected as a test)
from .factories import make_user

API = "/api/v1"
BODY_METHODS = {"post", "put", "patch"}


def status_code_listed(ctx, response, case):
    """The status is one the operation lists itself: flask-smorest gives every operation a
    `default` error answer, which lets `status_code_conformance` accept any status at all."""
    if is_unexpected_http_status_case(case):
        return None  # a method or media type the operation does not take: checked elsewhere
    listed = [code for code in case.operation.responses.status_codes if code != "default"]
    if str(response.status_code) not in listed:
        raise AssertionError(
            f"{case.operation.label} answered {response.status_code}, "
            f"which it does not document (it lists {', '.join(listed)})"
        )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    status_code_listed,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def site(base_app, database_url):  # base_app: the migrated database
    with LiveSite(database_url) as live:
        yield live


@pytest.fixture(scope="module")
def http():
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="module")
def admin_token(site, http) -> dict:
    response = http.post(
        f"{site.url}{API}/tokens",
        json={"email": demo.demo_email("admin"), "password": demo.DEMO_PASSWORD, "name": "fuzz"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def served_document() -> dict:
    """The OpenAPI document as the app serves it; it needs no database."""
    app = create_app("testing", app_config("sqlite://"))
    with app.test_client() as client:
        return client.get(f"{API}/openapi.json").get_json()


# Loaded at collection, so each operation is a test of its own (schemathesis' lazy
# `from_fixture` fails under pytest 9.2); a test below checks the live site serves it.
schema = schemathesis.openapi.from_dict(served_document())


def is_public(ctx) -> bool:
    return not ctx.operation.definition.raw.get("security")


# Operations that need a token answer 401 to anyone without one before reading the request
# (a body that is not JSON aside: 415), as tests/test_api.py checks for each of them;
# fuzzing them anonymously would take most of the time and find nothing more.
@schema.include(is_public).parametrize()
@FUZZ_SETTINGS
@pytest.mark.fuzz
def test_anonymous_calls(case, site, http):
    case.call_and_validate(base_url=site.url, session=http, checks=CHECKS, timeout=30)


@schema.parametrize()
@FUZZ_SETTINGS
@pytest.mark.fuzz
def test_administrator_calls(case, site, http, admin_token):
    # Revoking the run's own token would leave the rest of the run anonymous.
    assume(str(case.path_parameters.get("token_id")) != str(admin_token["id"]))
    headers = {"Authorization": f"Bearer {admin_token['token']}"}
    case.call_and_validate(
        base_url=site.url, session=http, headers=headers, checks=CHECKS, timeout=30
    )


@pytest.mark.fuzz
def test_the_live_site_serves_the_fuzzed_document(site, http):
    response = http.get(f"{site.url}{API}/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.json() == schema.raw_schema


# What the fuzzing found ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/events/0"),
        ("PATCH", "/events/0"),
        ("PATCH", f"/events/{MAX_ID + 1}"),
        ("POST", "/events/0/publish"),
        ("PATCH", "/events/1/sessions/0"),
        ("DELETE", "/events/0/sessions/1"),
        ("DELETE", "/registrations/0"),
        ("DELETE", "/tokens/" + "9" * 5000),
        ("POST", "/commitments/00/approve"),
    ],
)
def test_an_id_no_row_can_have_is_not_found_whatever_the_method(client, method, path):
    # Werkzeug used to answer 405 to every method but GET here: it checks the method
    # before the converter's range.
    _token, secret = accounts.create_api_token(make_user(roles=["admin"]), "t")
    db.session.commit()
    response = client.open(
        f"{API}{path}", method=method, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 404, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "not_found"


def test_the_errors_of_a_body_are_documented_wherever_one_is_sent():
    """400 where a JSON body is read (it may not parse), 415 on every POST, PUT and PATCH
    (`refuse_non_json_body` answers it before anything else)."""
    for path, item in schema.raw_schema["paths"].items():
        for method, operation in item.items():
            if method in BODY_METHODS:
                assert "415" in operation["responses"], f"{method} {path}"
            if "requestBody" in operation:
                assert "400" in operation["responses"], f"{method} {path}"
