"""gunicorn for Samverk: ``gunicorn -c deploy/gunicorn.conf.py samverk.wsgi``.

Every value can be overridden by the environment (GUNICORN_*)."""

import multiprocessing
import os

wsgi_app = "samverk.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, two per core plus one (gunicorn's rule of thumb); PDFs are CPU-bound.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A PDF of a big contact list takes seconds; nothing should take a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (a slow leak cannot grow for ever).
max_requests = 2000
max_requests_jitter = 200
# The tokens of answer links are redacted from the access and error logs.
logger_class = "common.logging.GunicornLogger"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# No query string (%(q)s), no Referer: only the path, whose tokens the logger class hides.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%({x-request-id}o)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
