"""The project package as an app, for the few project-level hooks that need the registry."""

from __future__ import annotations

from django.apps import AppConfig


class SmartCityConfig(AppConfig):
    name = "smartcity"
    verbose_name = "Portal Evaluasi Smart City"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from smartcity.security import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="smartcity.session_fresh")
