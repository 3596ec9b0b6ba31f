"""What a page does with a service's answer, the same in every area: commit once and say
so, or keep nothing of the attempt and say why, on the form again or in a flashed message.

Services raise (README, Development); these decide what a refusal looks like on a page.
The API turns the same errors into JSON instead (convene/errors.py).
"""

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from flask_wtf import FlaskForm

from .extensions import db
from .forms import apply_errors
from .paging import requested_page
from .services import DomainError, InvalidInput


def done(message: str, url: str):
    """Commit the request's change, flash `message` as a success and redirect to `url`."""
    db.session.commit()
    flash(message, "success")
    return redirect(url)


def refused(error: DomainError, url: str, detail: bool = False):
    """Keep nothing of the attempt, flash why and redirect to `url`. With `detail` the flash
    adds the refusal's first field message: a button has no field to show it beside."""
    db.session.rollback()
    details = [m for messages in error.fields.values() for m in messages] if detail else []
    flash(" ".join([error.message, *details[:1]]), "error")
    return redirect(url)


def attempt(change: Callable[[], Any], success: str, url: str, detail: bool = False):
    """Run `change()` and go to `url`: `done` with `success`, or `refused` with its error."""
    try:
        change()
    except DomainError as error:
        return refused(error, url, detail)
    return done(success, url)


def show_refusal(form: FlaskForm, error: InvalidInput, show=apply_errors) -> None:
    """Keep nothing of the attempt and put the service's messages on `form` (`show` places
    them where a form's field names differ from the service's)."""
    db.session.rollback()
    show(form, error)


def form_answer(
    form: FlaskForm,
    change: Callable[[], Any],
    then: Callable[[Any], Any],
    *,
    show=apply_errors,
    shown: type[DomainError] = InvalidInput,
    refused_url: str | None = None,
    detail: bool = False,
):
    """The answer to a posted form: `then(change())` when the form is valid and the service
    accepts it; None when the page is to show the form (again), a `shown` refusal on it
    (`show_refusal`). With `refused_url`, another refusal is `refused` there; without, it
    goes on to the error pages."""
    if not form.validate_on_submit():
        return None
    try:
        result = change()
    except shown as error:
        show_refusal(form, error, show)
        return None
    except DomainError as error:
        if refused_url is None:
            raise
        return refused(error, refused_url, detail)
    return then(result)


def form_values(form: FlaskForm, *names: str, blank: Any = ...) -> dict[str, Any]:
    """`{name: form[name].data}` for a service's input; with `blank`, a false value (None,
    "", []) is given as `blank` (`form.x.data or blank`)."""
    if blank is ...:
        return {name: form[name].data for name in names}
    return {name: form[name].data or blank for name in names}


def paginate(query, per_page: int):
    """The page of `query` that `?page=` asks for (the first if it makes no sense)."""
    page = requested_page(100_000)  # past the end, an empty page; the cap bounds the OFFSET
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
