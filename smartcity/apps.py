"""The project package as an app, for the few project-level hooks that need the registry."""

from __future__ import annotations

from django.apps import AppConfig


class SmartCityConfig(AppConfig):
    name = "smartcity"
    verbose_name = "Portal Evaluasi Smart City"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from smartcity.logs import log_failed_login
        from smartcity.security import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="smartcity.session_fresh")
        user_login_failed.connect(log_failed_login, dispatch_uid="smartcity.log_failed_login")

        from smartcity.media import check_media_root

        # A wrong MEDIA_ROOT stops start-up instead of failing each upload later.
        check_media_root()
