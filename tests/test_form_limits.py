"""Oversized fields: every text field of every form has a length limit; a longer value is
refused with "At most N characters." and never shown back whole, on a page or in an API
error. The cases are generated from the forms themselves, not listed by hand."""

import importlib
import pkgutil
import re

import pytest
import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import convene
from convene.extensions import db
from convene.forms import Limits
from convene.models import EventQuestion, QuestionKind
from convene.services import accounts

from .factories import Cast, make_event, make_user

# Import every module, so that every form class exists (but the Celery worker's, which
# refuses to load without a broker).
for _module in pkgutil.walk_packages(convene.__path__, "convene."):
    if _module.name != "convene.worker":
        importlib.import_module(_module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


FORMS = sorted(
    {
        cls
        for cls in _subclasses(wtforms.Form)
        if cls.__module__.startswith("convene.") and "<locals>" not in cls.__qualname__
    },
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)


def _limit(unbound: UnboundField) -> int | None:
    validators = unbound.kwargs.get("validators") or (
        unbound.args[1] if len(unbound.args) > 1 else []
    )
    found = [v.max for v in validators or [] if isinstance(v, Length) and v.max >= 0]
    return min(found) if found else None


def _text_fields(cls, prefix=""):
    """(name in the form data, limit) of each text field, through sub-forms and lists."""
    for name in dir(cls):
        unbound = getattr(cls, name, None)
        if isinstance(unbound, UnboundField):
            yield from _unbound(unbound, prefix + name)


def _unbound(unbound: UnboundField, name: str):
    kind = unbound.field_class
    if issubclass(kind, wtforms.FormField):
        yield from _text_fields(unbound.args[0], name + "-")
    elif issubclass(kind, wtforms.FieldList):
        yield from _unbound(unbound.args[0], name + "-0")
    elif issubclass(kind, wtforms.StringField):
        yield name, _limit(unbound)


CASES = [(cls, name, limit) for cls in FORMS for name, limit in _text_fields(cls)]


def _case_id(case) -> str:
    cls, name, _limit = case
    return f"{cls.__module__.removeprefix('convene.')}.{cls.__name__}.{name}"


def probe(cls, formdata: dict):
    """The form `cls` filled with `formdata`, built as WTForms does whatever arguments the
    class's own __init__ wants (they only fill choices)."""
    base = FlaskForm if issubclass(cls, FlaskForm) else wtforms.Form
    extra = {"meta": {"csrf": False}} if base is FlaskForm else {}

    def init(self):
        base.__init__(self, formdata=MultiDict(formdata), **extra)
        for field in self:
            if isinstance(field, wtforms.SelectFieldBase) and field.choices is None:
                field.choices = []  # the views fill them; no text field depends on them

    return type(cls.__name__, (cls,), {"__init__": init})()


def bound(form, name: str):
    """The field called `name` in the form data (speakers-0-name), found in the form."""
    for field in form:
        if field.name == name:
            return field
        if isinstance(field, wtforms.FieldList):
            for entry in field.entries:
                if entry.name == name:
                    return entry
                if isinstance(entry, wtforms.FormField) and name.startswith(entry.name + "-"):
                    return bound(entry.form, name)
        if isinstance(field, wtforms.FormField) and name.startswith(field.name + "-"):
            return bound(field.form, name)
    raise LookupError(name)


def test_the_forms_were_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"ProposalForm", "EventForm", "SessionForm", "SpeakerForm", "SignUpForm"} <= names
    assert len(CASES) > 60


@pytest.mark.parametrize("cls", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_form_shares_the_limits(cls):
    assert issubclass(cls, Limits)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_every_text_field_has_a_limit_or_keeps_nothing_it_is_sent(app, case):
    cls, name, limit = case
    if limit is not None:
        assert limit > 0
        return
    # Only a field whose filter turns what it is sent into something else (a speaker's
    # user id: a number or nothing) may go without.
    with app.test_request_context():
        form = probe(cls, {name: "x" * 100_000})
        form.validate()
        assert "x" * 1000 not in str(bound(form, name)())


@pytest.mark.parametrize("case", [c for c in CASES if c[2]], ids=_case_id)
def test_an_oversized_value_is_refused_and_not_shown_back(app, case):
    cls, name, limit = case
    with app.test_request_context():
        form = probe(cls, {name: "x" * (limit + 1)})
        assert not form.validate()
        field = bound(form, name)
        assert field.errors == [f"At most {limit} characters."]
        html = str(field())
        assert "x" * (limit + 1) not in html
        if not isinstance(field, wtforms.PasswordField):
            assert "x" * limit in html  # cut to the limit, not emptied
        # Exactly at the limit, the length is not what is wrong.
        form = probe(cls, {name: "x" * limit})
        form.validate()
        assert f"At most {limit} characters." not in bound(form, name).errors


def test_the_event_questions_have_limits_too(app):
    from convene.registration.forms import registration_form
    from convene.services.registration import MAX_ANSWER

    event = make_event()
    short, long = (
        EventQuestion(event=event, kind=kind, label=kind.value, options=[], position=n)
        for n, kind in enumerate((QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT))
    )
    db.session.add_all([short, long])
    db.session.commit()
    data = {f"q{short.id}": "s" * 301, f"q{long.id}": "l" * (MAX_ANSWER + 1)}
    with app.test_request_context(method="POST", data=data):
        form = registration_form(event, [], identity=True)
        assert not form.validate()
        assert form[f"q{short.id}"].errors == ["At most 300 characters."]
        assert form[f"q{long.id}"].errors == [f"At most {MAX_ANSWER} characters."]
        assert "s" * 301 not in str(form[f"q{short.id}"]())
        assert "l" * (MAX_ANSWER + 1) not in str(form[f"q{long.id}"]())


# Whole pages and API answers -----------------------------------------------------------

FIVE_MB = "x" * 5_000_000


def test_a_five_megabyte_title_is_not_sent_back(app, client, auth):
    cast = Cast()
    auth.sign_in(cast.proposer.email)
    response = client.post(
        "/proposals/new", data={"member_id": cast.government.id, "title": FIVE_MB}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert len(page) < 200_000
    assert "At most 200 characters." in page


@pytest.fixture
def admin_headers(app):
    admin = make_user(roles=["admin"])
    _token, secret = accounts.create_api_token(admin, "t")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(
    "body",
    [
        {"title": FIVE_MB},
        {"title": "Forum", "themes": [FIVE_MB]},
        {"title": "Forum", "themes": ["ok", FIVE_MB[:300]]},
        {"title": "Forum", "languages": [FIVE_MB]},
        {"title": "Forum", FIVE_MB: 1},
        {"title": "Forum", "translations": {FIVE_MB: {"title": "x"}}},
        {"title": "Forum", "quotas": {FIVE_MB: 3}},
    ],
    ids=["title", "theme", "two-themes", "language", "unknown-field", "dict-key", "quota-key"],
)
def test_an_api_error_does_not_repeat_an_oversized_value(client, admin_headers, body):
    response = client.post("/api/v1/events", json=body, headers=admin_headers)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert len(text) < 5_000
    assert not re.search("x{101}", text)


# Messages that name what was wrong ---------------------------------------------------


def test_a_message_names_a_few_unknown_values_each_cut_short():
    from convene.services import InvalidInput
    from convene.services.validation import check_languages

    with pytest.raises(InvalidInput) as refused:
        check_languages(["en", "q" * 100_000, *(f"z{n}" for n in range(10_000))])
    [message] = refused.value.fields["languages"]
    assert len(message) < 200
    assert message.startswith("Unknown language code: " + "q" * 39 + "…, z0, z1, z2, z3, …")


def test_an_imported_cell_is_not_repeated_whole(app):
    from convene.services.agenda_import import ImportRefused, import_sessions

    organiser = make_user()
    event = make_event(organisers=[organiser])
    day = event.starts_at.date().isoformat()
    content = (
        f"title,kind,date,start,end,theme\nOpening,plenary,{day},09:00,10:00,{'t' * 100_000}\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_sessions(organiser, event, content.encode())
    assert "t" * 100 not in str(refused.value.rows)
    assert "Unknown theme: " + "t" * 39 + "…." in str(refused.value.rows)
