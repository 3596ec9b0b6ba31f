"""Celery, when a broker is configured: the worker runs the jobs of convene.jobs, and beat
starts the scheduled ones. Without a broker nothing here is used (see convene.jobs)."""

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask
from sqlalchemy.exc import OperationalError

from . import jobs
from .extensions import db

# A database that is briefly unreachable is waited for; anything else is a bug to log.
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


def _schedule(app: Flask) -> dict:
    sweep = app.config["OUTBOX_SWEEP_SECONDS"]
    return {
        "sweep-outbox": {"task": "convene.deliver_mail", "schedule": sweep},
        "complete-ended-events": {"task": "convene.complete_ended_events", "schedule": 900},
        "expire-registrations": {"task": "convene.expire_registrations", "schedule": 900},
        "followup-reminders": {
            "task": "convene.send_followup_reminders",
            "schedule": crontab(hour=6, minute=0),
        },
        "end-leadership-terms": {
            "task": "convene.end_leadership_terms",
            "schedule": crontab(hour=5, minute=30),
        },
        "anonymise-registrations": {
            "task": "convene.anonymise_registrations",
            "schedule": crontab(hour=3, minute=30),
        },
    }


def init_app(app: Flask) -> None:
    broker = app.config["CELERY_BROKER_URL"]
    if not broker:
        return

    class AppTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    db.session.remove()

    celery = Celery(app.import_name, task_cls=AppTask, broker=broker)
    celery.conf.update(
        task_ignore_result=True,
        # A task is acknowledged once done: a worker killed mid-task leaves it to another.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
        timezone="UTC",
        beat_schedule=_schedule(app),
    )
    for function in (
        jobs.deliver_mail,
        jobs.complete_ended_events,
        jobs.expire_registrations,
        jobs.anonymise_registrations,
        jobs.send_followup_reminders,
        jobs.end_leadership_terms,
    ):
        celery.task(name=f"convene.{function.__name__}", **RETRY)(_returning_count(function))
    app.extensions["celery"] = celery


def _returning_count(function):
    """Tasks return plain numbers (a delivery report becomes the number sent, a report of
    terms the number of leaderships ended)."""

    def run(*args, **kwargs):
        result = function(*args, **kwargs)
        if hasattr(result, "sent"):
            return len(result.sent)
        return result.ended if hasattr(result, "ended") else result

    run.__name__ = function.__name__
    run.__doc__ = function.__doc__
    return run
