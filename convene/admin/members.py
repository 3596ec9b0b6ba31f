"""Members and their focal points: /admin/members/…"""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..pages import done, form_answer, refused
from ..services import DomainError
from ..services import members as member_service
from ..services.themes import themes_led_by
from .forms import FocalPointForm, MemberFilterForm, MemberForm, countries
from .views import bp, page_of, status_of_form


def _member_url(member_id: int) -> str:
    return url_for("admin.member", member_id=member_id)


def _details(form: MemberForm) -> dict:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "country": form.country.data,
        "website": form.website.data,
        "slug": form.slug.data,
    }


def _member_page(member, form=None, fp_form=None):
    return render_template(
        "admin/member.html",
        member=member,
        form=form or MemberForm(obj=member, formdata=None),
        fp_form=fp_form or FocalPointForm(prefix="fp", formdata=None),
        focal_points=sorted(member.focal_points, key=lambda fp: fp.user.name.casefold()),
        leads=themes_led_by(member),
    )


@bp.route("/members/")
def members():
    form = MemberFilterForm(formdata=request.args)
    page = page_of(member_service.members_query(**form.values()))
    return render_template(
        "admin/members.html",
        form=form,
        page=page,
        country_names=dict(countries()),
    )


@bp.route("/members/new", methods=["GET", "POST"])
def new_member():
    form = MemberForm()
    return form_answer(
        form,
        lambda: member_service.create_member(current_user, **_details(form)),
        lambda member: done(_("%(name)s is added.", name=member.name), _member_url(member.id)),
    ) or (render_template("admin/member_new.html", form=form), status_of_form())


@bp.route("/members/<int:member_id>", methods=["GET", "POST"])
def member(member_id: int):
    member = member_service.get_member(member_id)
    form = MemberForm(obj=member)
    return form_answer(
        form,
        lambda: member_service.update_member(current_user, member, **_details(form)),
        lambda _result: done(
            _("The changes to %(name)s are saved.", name=member.name), _member_url(member_id)
        ),
    ) or (_member_page(member, form=form), status_of_form())


@bp.route("/members/<int:member_id>/focal-points", methods=["POST"])
def add_focal_point(member_id: int):
    member = member_service.get_member(member_id)
    form = FocalPointForm(prefix="fp")
    return form_answer(
        form,
        lambda: member_service.add_focal_point(
            current_user, member, form.email.data, form.name.data
        ),
        lambda focal_point: done(
            _(
                "%(person)s is now a focal point of %(member)s and was told by e-mail.",
                person=focal_point.user.name,
                member=member.name,
            ),
            _member_url(member_id),
        ),
        refused_url=_member_url(member_id),
    ) or (_member_page(member, fp_form=form), 422)


@bp.route("/members/<int:member_id>/focal-points/<int:user_id>/remove", methods=["POST"])
def remove_focal_point(member_id: int, user_id: int):
    member = member_service.get_member(member_id)
    member_service.remove_focal_point(current_user, member, user_id)
    return done(
        _("The focal point is removed from %(member)s.", member=member.name),
        _member_url(member_id),
    )


@bp.route("/members/<int:member_id>/delete", methods=["GET", "POST"])
def delete_member(member_id: int):
    member = member_service.get_member(member_id)
    if request.method == "POST":
        name = member.name
        try:
            member_service.delete_member(current_user, member)
        except DomainError as error:
            return refused(error, _member_url(member_id))
        return done(_("%(name)s is deleted.", name=name), url_for("admin.members"))
    return render_template("admin/member_delete.html", member=member, leads=themes_led_by(member))
