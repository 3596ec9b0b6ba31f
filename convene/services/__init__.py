"""The rules of convene, as plain functions the pages, the API and the CLI all call.

Services raise the errors below and never commit, flash or abort: the caller decides
what a refusal looks like (a flashed message, a JSON error, a CLI message) and commits
once when the whole change is made.
"""


class DomainError(Exception):
    """A rule refused the change. `status` is the HTTP status the API answers with."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    """The input breaks a rule; `fields` says which field and why."""

    status = 422
    code = "invalid"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Checks:
    """Runs checks field by field and keeps every problem, so one refusal names them all."""

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
