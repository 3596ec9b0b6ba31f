"""Deliver a request's e-mail once its response has gone out."""

from flask import Flask, current_app

from . import jobs
from .extensions import db
from .services import outbox


def init_app(app: Flask) -> None:
    @app.after_request
    def deliver_after_response(response):
        ids = outbox.take_queued_ids()
        if ids and current_app.config["OUTBOX_DELIVERY"] == "after_request":
            real_app = current_app._get_current_object()

            def deliver():
                with real_app.app_context():
                    jobs.dispatch_mail(ids)
                    db.session.remove()

            response.call_on_close(deliver)
        return response
