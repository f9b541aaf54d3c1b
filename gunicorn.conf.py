"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py``.

gunicorn serves the portal behind a TLS-terminating reverse proxy (nginx, a load balancer)
that sets ``X-Forwarded-Proto``; static files are served by WhiteNoise from the same process.
Every value can be changed through the environment, read with the portal's typed helpers so
that a typo stops start-up with the variable's name.
"""

from __future__ import annotations

import multiprocessing

from smartcity.env import env_int, env_list, env_str

wsgi_app = "smartcity.wsgi:application"

# Addresses to listen on, comma-separated: host:port or unix:/run/portal.sock. Loopback by
# default: only the proxy on the same host talks to gunicorn.
bind = env_list("GUNICORN_BIND", ["127.0.0.1:8000"])

# Synchronous workers: the usual 2 x cores + 1. Each holds one database connection (kept
# open for DB_CONN_MAX_AGE seconds), so workers x app servers must stay below PostgreSQL's
# max_connections.
workers = env_int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", 1, minimum=1)

# Rendering a report PDF can take several seconds; anything slower than this is a bug.
timeout = env_int("GUNICORN_TIMEOUT", 60, minimum=1)
graceful_timeout = 30
keepalive = 5

# Restart workers now and then so that a slow leak cannot grow without bound.
# The jitter is wide on purpose: with a tenth, workers that share the load evenly all reached
# the limit within a second of each other at a few hundred requests per second (measured by
# `make load`'s static ramp) and restarted together, answering nothing for seconds.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000, minimum=0)
max_requests_jitter = max_requests // 2

# Logs go to stdout/stderr for the service manager (systemd, a container runtime) to collect.
# The access log has the duration of each request in milliseconds (%(M)s).
# The portal writes one structured line per request itself (smartcity.logs: request id, user,
# client address behind the proxies, duration, queries); gunicorn's own access line would
# repeat it without those. GUNICORN_ACCESS_LOG=- brings it back.
accesslog = env_str("GUNICORN_ACCESS_LOG", "") or None
errorlog = "-"
# Both in the portal's format (one JSON object per line in production; smartcity.gunicorn_logs).
logger_class = "smartcity.gunicorn_logs.StructuredLogger"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# Trust X-Forwarded-* only from the proxy's address.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
