"""Form helpers shared by every area."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice

from .services import InvalidInput


def apply_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Show a service's field errors on the form's fields (or above the form)."""
    placed = False
    for name, messages in error.fields.items():
        # "milestones.2" is the third line of the milestones field.
        field = getattr(form, name, None) or getattr(form, name.split(".")[0], None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def choices(pairs) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    """A field filter: people paste addresses and names with stray spaces."""
    return value.strip() if isinstance(value, str) else value
