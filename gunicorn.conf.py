"""gunicorn's settings, chosen rather than left to defaults (gunicorn reads this file from the project folder).

Every value can be changed from the environment without editing this file.
"""

import os

# Loopback by default: a load balancer or nginx on this machine forwards to it.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Two processes per core, each with a few threads: a request waiting on PostgreSQL leaves the
# core to another. Each thread keeps one database connection (CONN_MAX_AGE), so workers x threads
# must stay under the database's connection limit across every app server.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# No page should take more than a second or two: exports are made by the background worker, not
# here. A worker process that stops answering gunicorn for this long is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# PostgreSQL stops a web request's statement before that (config/settings.py reads it), so a stuck
# query frees its thread with a clear error instead of the whole worker being killed.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", str(max(1, timeout - 10)))
# On a deploy or restart (SIGTERM), requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Behind a load balancer that reuses connections, keep them open a little longer than it does.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Restart each worker now and then (at different times), so slow memory growth never builds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500

# The access log never holds query strings (search words, filters) or client details beyond the
# address: method, path, status, size, time taken.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
