"""gunicorn's own log records in the portal's format (``logger_class`` in gunicorn.conf.py).

gunicorn writes its error log (start-up, workers booted, killed or timed out, with their
tracebacks) and its optional access log through handlers of its own with a plain-text
format, before and beside Django's logging. This logger keeps gunicorn's handlers, streams
and levels and only gives them the portal's structlog formatter (``smartcity.logs``): one
JSON object per line in production like every other record, readable text in development.
"""

from __future__ import annotations

from typing import Any

from gunicorn import glogging  # type: ignore[import-untyped]  # gunicorn ships no types

from smartcity.env import env_bool, env_str
from smartcity.logs import formatter


def log_format() -> str:
    """``LOG_FORMAT`` as the settings read it: json unless DEBUG, or as set."""
    return env_str("LOG_FORMAT", "text" if env_bool("DEBUG") else "json")


class StructuredLogger(glogging.Logger):
    """gunicorn's logger with the portal's formatter on its handlers."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        structured = formatter(log_format())
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(structured)
