from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import (
    DateField,
    Form,
    QueryForm,
    TimezoneField,
    choices,
    enum_choices,
    local_time,
    long_text,
    short_text,
    strip,
    theme_choices,
)
from ..models import ProposalStatus
from ..models.proposals import (
    FORMAT_LABELS,
    OBJECTIVE_LABELS,
    PROPOSAL_STATUS_LABELS,
    RECOMMENDATION_LABELS,
)
from ..services.proposals import MAX_AUDIENCE, MAX_COMMENT, MAX_SUMMARY, MAX_TITLE
from ..services.regions import REGION_NAMES
from ..services.validation import (
    EVENT_LANGUAGES,
    country_codes,
    country_name,
    language_name,
)

# Imported from here by views.py until it reads them from convene.models (issue 17).


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes, usable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProposalForm(Form):
    member_id = SelectField(_l("On behalf of"), validate_choice=False, coerce=int)
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)], filters=[strip]
    )
    summary = long_text(
        _l("Summary"),
        MAX_SUMMARY,
        description=_l("What the event is about and what it should achieve."),
    )
    objectives = SelectField(_l("Objectives"), validate_choice=False, validators=[Optional()])
    themes = CheckboxesField(_l("Themes"), validate_choice=False, coerce=int)
    format = SelectField(_l("Format"), validate_choice=False, validators=[Optional()])
    starts_at = local_time(_l("Starts"), description=_l("In the event's timezone."))
    ends_at = local_time(_l("Ends"), description=_l("In the event's timezone."))
    timezone = TimezoneField(_l("Timezone of the event"), validators=[Optional()], blank=True)
    city = short_text(_l("City"), 120)
    country = SelectField(_l("Country"), validate_choice=False, validators=[Optional()])
    expected_size = IntegerField(
        _l("Expected number of participants"),
        validators=[Optional(), NumberRange(min=1, max=100_000)],
    )
    audience = long_text(_l("Audience"), MAX_AUDIENCE, description=_l("Who the event is for."))
    languages = CheckboxesField(_l("Languages of the event"), validate_choice=False)
    cohosts = SelectMultipleField(
        _l("Co-hosts"),
        validate_choice=False,
        coerce=int,
        description=_l(
            "Other members invited to host with you. Hold Ctrl (or ⌘) to choose several."
        ),
    )

    def fill_choices(self, locale: str, members, all_members, themes):
        self.member_id.choices = choices((m.id, m.name) for m in members)
        self.objectives.choices = enum_choices(OBJECTIVE_LABELS, ("", "—"))
        self.format.choices = enum_choices(FORMAT_LABELS, ("", "—"))
        self.themes.choices = theme_choices(themes, locale)
        names = sorted((country_name(code, locale), code) for code in country_codes())
        self.country.choices = choices([("", "—"), *((code, name) for name, code in names)])
        self.languages.choices = choices(
            (code, language_name(code, locale)) for code in EVENT_LANGUAGES
        )
        self.cohosts.choices = choices((m.id, m.name) for m in all_members)


class CommentForm(Form):
    comment = long_text(_l("Comment (optional)"), MAX_COMMENT)


class WaiverForm(Form):
    reason = TextAreaField(
        _l("Why is the co-creation rule waived?"),
        validators=[DataRequired(), Length(max=MAX_COMMENT)],
        filters=[strip],
    )


class InvitationForm(Form):
    member_id = IntegerField(validators=[DataRequired()])
    answer = SelectField(choices=choices([("accept", _l("Accept")), ("decline", _l("Decline"))]))


class ReviewForm(Form):
    recommendation = SelectField(
        _l("Recommendation"),
        choices=enum_choices(RECOMMENDATION_LABELS),
    )
    relevance = SelectField(_l("Relevance to the themes"), coerce=int)
    ambition = SelectField(_l("Ambition"), coerce=int)
    co_creation = SelectField(_l("Multi-stakeholder co-creation"), coerce=int)
    feasibility = SelectField(_l("Feasibility"), coerce=int)
    # Own ids: the review, decision and comment boxes can share one page.
    comment = long_text(_l("Comment"), MAX_COMMENT, id="review-comment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("relevance", "ambition", "co_creation", "feasibility"):
            getattr(self, name).choices = choices((n, str(n)) for n in range(1, 6))


class DecisionForm(Form):
    decision = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("accept", _l("Accept: the event goes ahead")),
                ("request_changes", _l("Request changes")),
                ("decline", _l("Decline")),
            ]
        ),
    )
    comment = TextAreaField(
        _l("Comment to the hosts"),
        validators=[DataRequired(), Length(max=MAX_COMMENT)],
        filters=[strip],
        id="decision-comment",
    )


class QueueForm(QueryForm):
    status = SelectField(_l("Status"), validators=[Optional()])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    format = SelectField(_l("Format"), validators=[Optional()])
    starts_after = DateField(_l("Starting from"), validators=[Optional()])
    starts_before = DateField(_l("Starting before"), validators=[Optional()])

    def fill_choices(self, locale, themes):
        self.status.choices = choices(
            [
                ("", _l("Any")),
                *(
                    (s.value, label)
                    for s, label in PROPOSAL_STATUS_LABELS.items()
                    if s is not ProposalStatus.DRAFT
                ),
            ]
        )
        self.theme.choices = theme_choices(themes, locale, ("", _l("Any")))
        self.region.choices = choices([("", _l("Any")), *REGION_NAMES.items()])
        self.format.choices = enum_choices(FORMAT_LABELS, ("", _l("Any")))
