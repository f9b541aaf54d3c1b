"""Run the portal against a database that does not answer, in a child process (the test
process's own connection cannot be taken down), and report what pages answer as JSON.

Usage: python -m tests.ops.dead_database 'METHOD PATH [LANGUAGE]' ...
"""

from __future__ import annotations

import json
import sys

import django


def main(paths: list[str]) -> None:
    django.setup()
    from django.conf import settings
    from django.test import Client

    # As in the test suite: no collectstatic manifest here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    client = Client(raise_request_exception=False)
    answers = {}
    for path in paths:
        method, url, *language = path.split(" ")
        client.cookies["django_language"] = language[0] if language else "id"
        response = getattr(client, method.lower())(url, HTTP_HOST="localhost")
        answers[path] = {
            "status": response.status_code,
            "body": response.content.decode(),
            "headers": dict(response.headers),
        }
    print(json.dumps(answers))


if __name__ == "__main__":
    main(sys.argv[1:])
