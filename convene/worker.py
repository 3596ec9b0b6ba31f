"""The Celery application for `celery -A convene.worker worker` and `… beat`."""

from . import create_app

# Not called `app`: Celery's -A looks for `app` first and would find the Flask one.
flask_app = create_app()
celery = flask_app.extensions.get("celery")
if celery is None:
    raise RuntimeError(
        "No broker is configured: set REDIS_URL (or CELERY_BROKER_URL) to run a worker."
    )
