"""gunicorn settings for convene: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment, so one file serves a laptop and a fleet.
The processes are stateless: run as many as the machine allows, behind any load balancer.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# The usual rule for synchronous workers: two per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Build the app once in the master, then fork: workers start faster and share memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The request id (set by convene, or by the proxy in front) ties access and app logs.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s id=%({x-request-id}o)s "%(a)s"'
# ProxyFix in convene decides which forwarded headers to trust (TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    # Connections opened by the master before the fork must not be shared by workers.
    app = server.app.wsgi()
    database = getattr(app, "extensions", {}).get("sqlalchemy")
    if database is not None:
        with app.app_context():
            database.engine.dispose(close=False)
