"""People, their platform roles and whether they may sign in: /admin/people/…"""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Role
from ..models.base import label
from ..pages import done, refused
from ..services import DomainError, accounts
from ..services.members import members_of
from ..services.people import people_query
from .forms import PeopleSearchForm
from .views import bp, page_of

ROLES = ", ".join(role.value for role in Role)


@bp.route("/people/")
def people():
    form = PeopleSearchForm(formdata=request.args)
    page = page_of(people_query(form.values().get("q")))
    return render_template("admin/people.html", form=form, page=page)


@bp.route("/people/<int:user_id>")
def person(user_id: int):
    person = accounts.get_user(user_id)
    return render_template("admin/person.html", person=person, members=members_of(person))


@bp.route(
    f"/people/<int:user_id>/roles/<any({ROLES}):role>/<any(grant, revoke):action>", methods=["POST"]
)
def change_role(user_id: int, role: str, action: str):
    person = accounts.get_user(user_id)
    role = Role(role)
    name = label(role)
    try:
        if action == "grant":
            accounts.grant_role(current_user, person, role)
            message = _("%(person)s now has the role %(role)s.", person=person.name, role=name)
        else:
            accounts.revoke_role(current_user, person, role)
            message = _(
                "%(person)s no longer has the role %(role)s.", person=person.name, role=name
            )
    except DomainError as error:
        return refused(error, url_for("admin.person", user_id=user_id))
    return done(message, url_for("admin.person", user_id=user_id))


@bp.route("/people/<int:user_id>/<any(activate, deactivate):action>", methods=["POST"])
def change_active(user_id: int, action: str):
    person = accounts.get_user(user_id)
    try:
        accounts.set_active(current_user, person, action == "activate")
    except DomainError as error:
        return refused(error, url_for("admin.person", user_id=user_id))
    if action == "activate":
        message = _("%(person)s can sign in again.", person=person.name)
    else:
        message = _(
            "%(person)s can no longer sign in and was signed out everywhere.", person=person.name
        )
    return done(message, url_for("admin.person", user_id=user_id))
