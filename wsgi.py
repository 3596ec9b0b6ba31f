"""The app for gunicorn and other WSGI servers: `gunicorn wsgi:app`.

A server start is a production start unless CONVENE_ENV says otherwise, so a missing
SECRET_KEY stops it with a clear message instead of running with a throwaway key.
"""

import os

from convene import create_app

app = create_app(os.environ.get("CONVENE_ENV", "production"))
