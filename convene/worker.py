"""The Celery application for `celery -A convene.worker worker` and `… beat`."""

from pathlib import Path

from . import create_app

# Not called `app`: Celery's -A looks for `app` first and would find the Flask one.
flask_app = create_app()
# Beat keeps its schedule file in the instance folder (see Procfile).
Path(flask_app.instance_path).mkdir(parents=True, exist_ok=True)
celery = flask_app.extensions.get("celery")
if celery is None:
    raise RuntimeError(
        "No broker is configured: set REDIS_URL (or CELERY_BROKER_URL) to run a worker."
    )
