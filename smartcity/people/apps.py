from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Accounts around the evaluation: invitations, two-factor sign-in, notifications."""

    name = "smartcity.people"
    label = "people"
    verbose_name = _("Pengguna dan pemberitahuan")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from smartcity.people.second_factor import note_second_factor_requirement

        # Authentication plumbing, not domain flow: the login decides once, for the session,
        # whether a second factor must follow (smartcity.people.second_factor).
        user_logged_in.connect(note_second_factor_requirement, dispatch_uid="people_2fa")
