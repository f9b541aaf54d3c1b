"""django-tasks-db registers its queue table in the admin; the portal's admin is for managers
of reference data and rounds, and the queue is read through jobs and /readyz instead (raw
task arguments are not for the admin's screens)."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
