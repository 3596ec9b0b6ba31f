"""The rules of convene, as plain functions the pages, the API and the CLI all call.

Services raise the errors below and never commit, flash or abort: the caller decides
what a refusal looks like (a flashed message, a JSON error, a CLI message) and commits
once when the whole change is made.
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A rule refused the change. `status` is the HTTP status the API answers with, `code`
    the word its JSON error carries; a subclass names its own in its bases' keywords."""

    status = 409
    code = "conflict"

    def __init_subclass__(cls, status: int | None = None, code: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.status, cls.code = status or cls.status, code or cls.code

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError, status=422, code="invalid"):
    """The input breaks a rule; `fields` says which field and why."""


class PermissionDenied(DomainError, status=403, code="forbidden"):
    """The person may not do this (convene.policy says why)."""


class NotFound(DomainError, status=404, code="not_found"):
    """No such thing, or none this person may see: ids reveal nothing."""


class Conflict(DomainError, status=409, code="conflict"):
    """The thing's state refuses the change (closed, full, already done)."""


def choice(enum_class, value, field: str, message):
    """`enum_class(value)`; InvalidInput saying `message` of `field` if it names none."""
    try:
        return enum_class(value)
    except ValueError:
        raise InvalidInput("", {field: [str(message)]}) from None


class Checks:
    """Checks a request's fields one by one and keeps every problem, so one refusal names
    them all.

    The one rule for validation: a problem with what was typed into a field is found with
    Checks (`run` a check that raises InvalidInput, or `add` a message), and `done` refuses
    with every field's problems at once; a refusal because of the state of things (a closed
    proposal, a full event, a person without the right) is raised at once as its domain
    error (Conflict, IllegalTransition, PermissionDenied …), before or after the fields.
    """

    def __init__(self):
        self.values: dict = {}
        self.errors: dict[str, list[str]] = {}

    def run(self, name: str, check) -> None:
        """Keep `check()`'s value under `name`, or the InvalidInput it raises."""
        try:
            self.values[name] = check()
        except InvalidInput as error:
            for key, messages in (error.fields or {name: [error.message]}).items():
                self.errors.setdefault(key, []).extend(messages)

    def add(self, name: str, message) -> None:
        """Keep one more problem of the field `name`."""
        self.errors.setdefault(name, []).append(str(message))

    def done(self, message=None) -> dict:
        """The values kept; InvalidInput with every problem (saying `message`) if any."""
        if self.errors:
            raise InvalidInput(
                str(message or _l("Please correct the fields marked below.")), self.errors
            )
        return self.values
