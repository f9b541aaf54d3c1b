"""Request types for the type checker; nothing changes at run time.

``HttpRequest.user`` is ``User | AnonymousUser``. A view behind ``login_required`` (or a
decorator built on it: ``workspace_view``, ``reviewer_required``, ``manager_required``...)
annotates its request as ``AuthenticatedHttpRequest``, so that the checker knows the user is
signed in. ``request.htmx`` is set by django-htmx's middleware on every request.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
