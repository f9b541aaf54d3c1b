"""People pages under /accounts/ (namespace ``people``)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from smartcity.people import views

app_name = "people"

urlpatterns = [
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/import/", views.invitation_import, name="invitation_import"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.accept, name="accept"),
    path("team/<slug:region_slug>/", views.team, name="team"),
    path(
        "team/<slug:region_slug>/members/<int:pk>/deactivate/",
        views.team_deactivate,
        name="team_deactivate",
    ),
    path("people/", views.people_list, name="people"),
    path("people/<int:pk>/<slug:action>/", views.person_action, name="person_action"),
    path("audit/", views.audit_list, name="audit"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/", views.security, name="security"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="people/password_reset/done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="people/password_reset/complete.html"
        ),
        name="password_reset_complete",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/badge/", views.inbox_badge, name="inbox_badge"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", views.notification, name="notification"),
]
