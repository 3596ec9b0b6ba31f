"""The theme tree and its thematic leaders: /admin/themes/…"""

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..pages import done, form_answer, refused
from ..services import DomainError
from ..services import members as member_service
from ..services import themes as theme_service
from .forms import LeaderForm, ThemeForm
from .views import bp, status_of_form


def _details(form: ThemeForm) -> dict:
    return {
        "slug": form.slug.data,
        "names": {"en": form.name_en.data, "fr": form.name_fr.data, "es": form.name_es.data},
        "parent_id": form.parent_id.data,
        "description": form.description.data or "",
        "position": form.position.data or 0,
    }


def _name(theme) -> str:
    return theme.name(str(get_locale()))


def _theme_url(theme_id: int) -> str:
    return url_for("admin.theme", theme_id=theme_id)


def _candidates(theme) -> list:
    """The members that could join the theme's leaders, by name."""
    leading = {leader.member_id for leader in theme.leaders}
    members = db.session.scalars(member_service.members_query())
    return [member for member in members if member.id not in leading]


def _theme_page(theme, form=None, leader_form=None):
    return render_template(
        "admin/theme.html",
        theme=theme,
        form=form or ThemeForm(theme_service.theme_tree(), obj=theme, formdata=None),
        leader_form=leader_form or LeaderForm(_candidates(theme), formdata=None),
        leaders=sorted(theme.leaders, key=lambda leader: leader.member.name.casefold()),
    )


@bp.route("/themes/")
def themes():
    return render_template("admin/themes.html", tree=theme_service.theme_tree())


@bp.route("/themes/new", methods=["GET", "POST"])
def new_theme():
    form = ThemeForm(theme_service.theme_tree(), parent_id=request.args.get("parent", type=int))
    return form_answer(
        form,
        lambda: theme_service.create_theme(current_user, **_details(form)),
        lambda theme: done(
            _("The theme %(name)s is added.", name=_name(theme)), _theme_url(theme.id)
        ),
    ) or (render_template("admin/theme_new.html", form=form), status_of_form())


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
def theme(theme_id: int):
    theme = theme_service.get_theme(theme_id)
    form = ThemeForm(theme_service.theme_tree(), obj=theme)
    return form_answer(
        form,
        lambda: theme_service.update_theme(current_user, theme, **_details(form)),
        lambda _result: done(
            _("The changes to the theme %(name)s are saved.", name=_name(theme)),
            _theme_url(theme_id),
        ),
    ) or (_theme_page(theme, form=form), status_of_form())


@bp.route("/themes/<int:theme_id>/leaders", methods=["POST"])
def add_leader(theme_id: int):
    theme = theme_service.get_theme(theme_id)
    form = LeaderForm(_candidates(theme))
    if not form.validate_on_submit():
        return _theme_page(theme, leader_form=form), 422
    member = member_service.get_member(form.member_id.data)
    theme_service.add_leader(current_user, theme, member)
    return done(
        _("%(member)s now leads the theme %(name)s.", member=member.name, name=_name(theme)),
        _theme_url(theme_id),
    )


@bp.route("/themes/<int:theme_id>/leaders/<int:member_id>/remove", methods=["POST"])
def remove_leader(theme_id: int, member_id: int):
    theme = theme_service.get_theme(theme_id)
    theme_service.remove_leader(current_user, theme, member_id)
    return done(
        _("The member no longer leads the theme %(name)s.", name=_name(theme)),
        _theme_url(theme_id),
    )


@bp.route("/themes/<int:theme_id>/delete", methods=["GET", "POST"])
def delete_theme(theme_id: int):
    theme = theme_service.get_theme(theme_id)
    if request.method == "POST":
        name = _name(theme)
        try:
            theme_service.delete_theme(current_user, theme)
        except DomainError as error:
            return refused(error, _theme_url(theme_id))
        return done(_("The theme %(name)s is deleted.", name=name), url_for("admin.themes"))
    return render_template("admin/theme_delete.html", theme=theme)
