"""Registration forms: the participant's details, the event's own questions, delegations.

The forms only collect what people type; services.registration checks it, and its field
names ("sector", "answers.7", "people.3.email") are mapped back onto these fields.
"""

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import Form, choices, enum_choices, long_text, short_text, strip
from ..models import Event, QuestionKind, Registration
from ..models.base import parse_id
from ..models.events import SECTOR_LABELS
from ..models.registrations import AGE_BAND_LABELS
from ..services import InvalidInput
from ..services.registration import MAX_ANSWER, MAX_TEXT, Delegate, RegistrationInput

# Imported from here by views.py and public.py until they read them from convene.models.
YES_NO = [("yes", _l("Yes")), ("no", _l("No")), ("", _l("I prefer not to say"))]


class AnswersForm(Form):
    """A form with the event's questions, as fields `q<id>`: the service's messages about
    `answers.7` go to field q7, those of no field above the form with its own message."""

    errors_above = True

    def field_for(self, name: str):
        return self._fields.get(re.sub(r"^answers\.", "q", name))


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes, usable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DetailsForm(AnswersForm):
    """What a participant tells the organisers, without the event's own questions."""

    member_id = SelectField(
        _l("Member of the partnership"),
        validate_choice=False,
        description=_l("If you come on behalf of a member government or organisation."),
    )
    organisation = short_text(_l("Organisation"), 200)
    sector = SelectField(_l("Sector"), validate_choice=False)
    accessibility_needs = long_text(
        _l("Accessibility needs"),
        MAX_TEXT,
        description=_l("Anything the organisers should arrange so that you can take part."),
    )
    show_in_public_list = BooleanField(
        _l("Show my name and organisation on the event's public list of participants")
    )
    inclusion_consent = BooleanField(
        _l("I agree to give the information below, to be counted only in aggregate")
    )
    gender = short_text(
        _l("Gender"), 100, description=_l("In your own words; leave empty if you wish.")
    )
    age_band = SelectField(_l("Age"), validate_choice=False)
    indigenous = RadioField(_l("Do you identify as indigenous?"), validate_choice=False)
    disability = RadioField(_l("Do you have a disability?"), validate_choice=False)


class RegisterForm(DetailsForm):
    """For someone who is not signed in: who they are, too."""

    name = short_text(_l("Full name"), 200)
    email = EmailField(
        _l("E-mail address"),
        validators=[Length(max=254)],
        filters=[strip],
        description=_l("We will send you a link to confirm it."),
    )


def _question_field(question):
    label, required = question.label, question.required
    options = choices((option, option) for option in question.options)
    if question.kind is QuestionKind.LONG_TEXT:
        field = long_text(label, MAX_ANSWER)
    elif question.kind is QuestionKind.SINGLE_CHOICE:
        field = RadioField(label, choices=options, validate_choice=False)
    elif question.kind is QuestionKind.MULTIPLE_CHOICE:
        field = CheckboxesField(label, choices=options, validate_choice=False)
    elif question.kind is QuestionKind.CHECKBOX:
        field = BooleanField(label)
    else:
        field = short_text(label, 300)
    return field, required


def _with_questions(base: type, event: Event, data: dict | None):
    """A form of class `base` plus a field `q<id>` per question of `event` (required ones
    marked), filled from `data` when given, else from the request."""

    class Form(base):
        pass

    required = []
    for question in event.questions:
        setattr(Form, f"q{question.id}", (made := _question_field(question))[0])
        if made[1]:
            required.append(f"q{question.id}")
    form = Form(formdata=None, data=data) if data is not None else Form()
    form.questions = [form[f"q{q.id}"] for q in event.questions]
    for name in required:
        form[name].flags.required = True
    return form


def registration_form(event: Event, members, identity: bool, data: dict | None = None):
    """The form for `event`, with a field `q<id>` per question (and name and e-mail if
    `identity`); filled from `data` when given, else from the request."""
    form = _with_questions(RegisterForm if identity else DetailsForm, event, data)
    for name in ["name", "email"] if identity else []:
        form[name].flags.required = True
    form.sector.flags.required = True
    form.member_id.choices = choices([("", "—"), *((str(m.id), m.name) for m in members)])
    form.sector.choices = enum_choices(SECTOR_LABELS, ("", _l("Choose…")))
    form.age_band.choices = enum_choices(AGE_BAND_LABELS, ("", "—"))
    form.indigenous.choices = choices(YES_NO)
    form.disability.choices = choices(YES_NO)
    return form


def _member_id(value: str | None) -> int | None:
    if not value:
        return None
    # Anything no row could have as its id becomes 0, which the service answers with
    # "No such member".
    number = parse_id(value)
    return 0 if number is None else number


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def confirmation_form(event: Event, answers: dict | None, asked: bool):
    """The button that confirms an address, with the event's questions when `asked`;
    filled from `answers` when given, else from the request."""
    if not asked:
        form = AnswersForm()
        form.questions = []
        return form
    return _with_questions(AnswersForm, event, None if answers is None else _answer_data(answers))


def answers_input(form, event: Event) -> dict:
    """The answers typed in a form's `q<id>` fields, keyed by question id."""
    return {str(q.id): form[f"q{q.id}"].data for q in event.questions}


def registration_input(form, event: Event) -> RegistrationInput:
    return RegistrationInput(
        name=form.name.data or "" if "name" in form else "",
        email=form.email.data or "" if "email" in form else "",
        sector=form.sector.data or "",
        member_id=_member_id(form.member_id.data),
        organisation=form.organisation.data or "",
        accessibility_needs=form.accessibility_needs.data or "",
        answers=answers_input(form, event),
        show_in_public_list=form.show_in_public_list.data,
        inclusion_consent=form.inclusion_consent.data,
        gender=form.gender.data or "",
        age_band=form.age_band.data or None,
        indigenous=_yes_no(form.indigenous.data),
        disability=_yes_no(form.disability.data),
    )


def _yes_no_value(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def registration_data(registration: Registration) -> dict:
    """A registration as the form's initial data."""
    data = {
        "member_id": str(registration.member_id or ""),
        "organisation": registration.organisation or "",
        "sector": registration.sector.value,
        "accessibility_needs": registration.accessibility_needs or "",
        "show_in_public_list": registration.show_in_public_list,
        "inclusion_consent": registration.inclusion_consent,
        "gender": registration.gender or "",
        "age_band": registration.age_band.value if registration.age_band else "",
        "indigenous": _yes_no_value(registration.indigenous),
        "disability": _yes_no_value(registration.disability),
    }
    return {**data, **_answer_data(registration.answers)}


def _answer_data(answers: dict | None) -> dict:
    return {f"q{key}": value for key, value in (answers or {}).items()}


# Delegations -----------------------------------------------------------------------

ANGLED = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>$")


class DelegationForm(Form):
    member_id = SelectField(_l("On behalf of"), validate_choice=False)
    sector = SelectField(_l("Sector of these people"), validate_choice=False)
    people = TextAreaField(
        _l("People"),
        # Up to 200 lines of a name and an address.
        validators=[Length(max=200 * 460)],
        description=_l(
            "One person per line, as “Name <e-mail>” or “Name, e-mail”. "
            "Each of them will be asked by e-mail to confirm their address."
        ),
    )

    def fill_choices(self, members) -> None:
        self.member_id.choices = choices((str(m.id), m.name) for m in members)
        self.sector.choices = enum_choices(SECTOR_LABELS, ("", _l("Choose…")))
        self.sector.flags.required = self.people.flags.required = True


def parse_people(text: str) -> tuple[list[tuple[int, Delegate]], list[str]]:
    """(line number, person) for each filled line, and a message for each line not understood."""
    people, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = ANGLED.match(line)
        if match:
            people.append((number, Delegate(match["name"].strip(), match["email"].strip())))
        elif "," in line:
            name, email = line.rsplit(",", 1)
            people.append((number, Delegate(name.strip(), email.strip())))
        else:
            errors.append(str(_l("Line %(n)d: write “Name <e-mail>” or “Name, e-mail”.", n=number)))
    return people, errors


def line_errors(error: InvalidInput, numbers: list[int]) -> dict[str, list[str]]:
    """The service's "people.<n>.<field>" messages on the form's fields: the sector's once,
    on the sector field; a person's, told by their line in the text box."""
    placed: dict[str, list[str]] = {"sector": [], "member_id": [], "people": []}
    for name, texts in error.fields.items():
        parts = name.split(".")
        if parts[0] != "people" or len(parts) < 3 or not parts[1].isdigit():
            placed["people" if parts[0] not in placed else parts[0]].extend(texts)
        elif parts[2] in ("sector", "member_id"):
            placed[parts[2]] += [t for t in texts if t not in placed[parts[2]]]
        else:
            line = numbers[int(parts[1]) - 1]
            placed["people"] += [
                str(_l("Line %(n)d: %(message)s", n=line, message=t)) for t in texts
            ]
    return {name: [str(t) for t in texts] for name, texts in placed.items() if texts}
