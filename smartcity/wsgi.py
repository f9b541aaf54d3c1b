"""WSGI entry point for gunicorn: ``gunicorn smartcity.wsgi``.

Django's application, behind ``FastPublicPages``: a public page that is in the shared cache
is answered for an anonymous reader before Django builds its request (see
``evaluations.caching``); every other request goes to Django unchanged.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")

django_application = get_wsgi_application()

from evaluations.caching import FastPublicPages  # noqa: E402  (needs the apps loaded)

application = FastPublicPages(django_application)
