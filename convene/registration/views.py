"""Registration pages: register, confirm and cancel by e-mailed link, one's own registrations."""

from flask import Blueprint, redirect, url_for

from ..extensions import db
from ..services import registration as service

bp = Blueprint("registration", __name__)


@bp.route("/registrations/<int:registration_id>/confirm/<token>", methods=["GET", "POST"])
def confirm(registration_id: int, token: str):
    registration = service.confirm_email(registration_id, token)
    db.session.commit()
    return redirect(url_for("events.detail", slug=registration.event.slug))


@bp.route("/registrations/<int:registration_id>/cancel/<token>", methods=["GET", "POST"])
def cancel_by_link(registration_id: int, token: str):
    registration = service.registration_by_token(registration_id, token)
    service.cancel(registration)
    db.session.commit()
    return redirect(url_for("events.detail", slug=registration.event.slug))
