"""The Celery application for `celery -A convene.worker worker` and `… beat`."""

from . import create_app

app = create_app()
celery = app.extensions.get("celery")
if celery is None:
    raise RuntimeError(
        "No broker is configured: set REDIS_URL (or CELERY_BROKER_URL) to run a worker."
    )
