"""Root URLconf. Each area has its own namespace:

- ``public:``   published rankings, region profiles, methodology, open data (anyone)
- ``reviewer:`` Kominfo reviewer and round-manager pages
- ``city:``     the city Diskominfo workspace (own region only)
- ``api:``      the read-only JSON API of published results (``/api/v1/``)
- ``documents:`` official documents: /verify/<code>/ (anyone), letters and minutes
- ``admin:``    Django admin for reference data and round management
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from smartcity import health, views
from smartcity.forms import AdminLoginForm, LoginForm
from smartcity.security import login_rate_limit

admin.site.site_header = _("Admin Portal Evaluasi Smart City")
admin.site.site_title = _("Admin Smart City")
admin.site.index_title = _("Data referensi dan putaran evaluasi")
admin.site.login_form = AdminLoginForm
# The admin's login form is a login form too: same limits as the portal's (the instance
# attribute is what AdminSite.get_urls() routes /admin/login/ to).
admin.site.login = login_rate_limit(admin.site.login)  # type: ignore[method-assign,assignment]

urlpatterns = [
    path("", include("evaluations.urls.public")),
    path("review/", include("evaluations.urls.reviewer")),
    path("city/", include("evaluations.urls.city")),
    path("api/v1/", include("evaluations.urls.api")),
    path("", include("evaluations.documents.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("jobs/", include("smartcity.jobs.urls")),
    path(
        "accounts/login/",
        login_rate_limit(
            auth_views.LoginView.as_view(
                redirect_authenticated_user=True, authentication_form=LoginForm
            )
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("smartcity.people.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Answered by smartcity.health.HealthCheckMiddleware before host checks and redirects;
    # listed here so that they can be reversed.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
]

# 400, 403 and 404 are Django's handlers with templates/<status>.html; the 500 page must
# render without the database.
handler500 = "smartcity.views.server_error"
