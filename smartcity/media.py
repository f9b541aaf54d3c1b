"""The evidence store must exist and be writable before anything is uploaded into it.

``check_media_root()`` runs when Django starts (``SmartCityConfig.ready``: every gunicorn
worker, task worker and management command). With the file-system storage (the default), a
``MEDIA_ROOT`` that is a file, is not writable, or whose parent directory does not exist
(a typo) stops start-up with a message naming it; a missing directory whose parent exists
is created (mode 0750). Before this, uploads failed one by one, long after deployment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"


def media_location() -> Path | None:
    """The directory of the default storage when it is on the file system, else None."""
    default: dict[str, Any] = cast(dict[str, Any], settings.STORAGES).get("default", {})
    if default.get("BACKEND", FILE_SYSTEM_STORAGE) != FILE_SYSTEM_STORAGE:
        return None
    return Path(default.get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT)


def media_problem(location: Path) -> str | None:
    """What is wrong with ``location`` as the media directory (None: nothing)."""
    if location.exists():
        if not location.is_dir():
            return f"MEDIA_ROOT={location} is not a directory."
        if not os.access(location, os.W_OK | os.X_OK):
            return f"MEDIA_ROOT={location} is not writable by this process."
        return None
    parent = location.parent
    if not parent.is_dir():
        return f"MEDIA_ROOT={location} does not exist, nor does its parent directory {parent}."
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"MEDIA_ROOT={location} does not exist and {parent} is not writable to create it."
    return None


def check_media_root() -> None:
    location = media_location()
    if location is None:
        return
    problem = media_problem(location)
    if problem:
        raise ImproperlyConfigured(problem)
    location.mkdir(mode=0o750, exist_ok=True)
