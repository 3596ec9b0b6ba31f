"""Follow-up forms: record a commitment, report progress (one or many by CSV), assess.
The rules live in services/followup.py; these forms only carry what people typed."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import (
    DateField,
    Form,
    SelectField,
    TranslationsMixin,
    choices,
    enum_choices,
    long_text,
    short_text,
    theme_choices,
)
from ..models.followup import COMMITMENT_STATUS_LABELS
from ..proposals.forms import CheckboxesField
from ..services import InvalidInput
from ..services.validation import nonexistent, parse_date

# Imported from here by views.py and charts.py until they read it from convene.models.


class CommitmentForm(TranslationsMixin, Form):
    member_id = SelectField(_l("Member that commits"), validate_choice=False, coerce=int)
    title = short_text(_l("Title"), 300)
    description = long_text(_l("Description"), 20_000)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    action_plan_ref = short_text(
        _l("Action-plan reference"),
        500,
        description=_l("A link or reference to the commitment in the member's action plan."),
    )
    themes = CheckboxesField(_l("Themes"), validate_choice=False, coerce=int)
    milestones = TextAreaField(
        _l("Milestones"),
        validators=[Length(max=20_000)],
        description=_l(
            "Optional. One per line: the date (YYYY-MM-DD), a space, then what is done by then."
        ),
    )

    def validate_milestones(self, field):
        self.milestone_list = []
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            day, _space, label = line.strip().partition(" ")
            try:
                self.milestone_list.append((label.strip(), parse_date(day)))
            except InvalidInput:
                if problem := nonexistent(day):
                    raise ValidationError(
                        _l("Line %(n)d: %(problem)s", n=number, problem=problem)
                    ) from None
                raise ValidationError(
                    _l("Line %(n)d: start with a date as YYYY-MM-DD, then the milestone.", n=number)
                ) from None

    def fill_choices(self, locale: str, members, themes):
        self.fill_languages(locale)
        self.member_id.choices = choices((m.id, m.name) for m in members)
        self.themes.choices = theme_choices(themes, locale)


class UpdateForm(Form):
    # The service checks the status against the scale and explains a wrong one.
    status = SelectField(_l("Status"), validate_choice=False)
    narrative = long_text(_l("What happened"), 20_000)
    evidence_links = TextAreaField(
        _l("Evidence links"),
        # Up to 20 links of 500 characters, one per line.
        validators=[Length(max=20 * 502)],
        description=_l("One link per line, starting with https://."),
    )
    reported_on = DateField(
        _l("Date"), validators=[Optional()], description=_l("Today if left empty.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = enum_choices(COMMITMENT_STATUS_LABELS)


class AssessmentForm(Form):
    status = SelectField(_l("Assessed status"), validate_choice=False)
    justification = long_text(_l("Justification"), 20_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = enum_choices(COMMITMENT_STATUS_LABELS)


class UpdatesImportForm(Form):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a file to upload."))])
