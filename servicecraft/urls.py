"""Root URLconf: the shell, auth pages, and one namespace per app."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from common import health, security_txt
from people import views as people_views

handler403 = "common.errors.permission_denied"
handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"

urlpatterns = [
    path("", people_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path(".well-known/security.txt", security_txt.security_txt, name="security_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", people_views.SignInView.as_view(), name="login"),
    path("accounts/language/", people_views.language_save, name="language_save"),
    path("accounts/logout/", people_views.SignOutView.as_view(), name="logout"),
    path(
        "accounts/password_reset/", people_views.ThrottledPasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "accounts/email/confirm/<str:token>/", people_views.email_change_confirm, name="email_change_confirm"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("org/", include("people.urls")),
    path("org/", include("notifications.urls")),
    path("org/", include("reports.urls")),
    # The turnover page moved to the metrics (it sets turnover beside the service figures).
    path(
        "org/people/turnover/",
        RedirectView.as_view(pattern_name="metrics:turnover", query_string=True, permanent=True),
    ),
    path("standards/", include("standards.urls")),
    path("", include("complaints.intake.urls")),
    path("complaints/", include("complaints.urls")),
    path("survey/", include("complaints.survey.urls")),
    path("training/", include("training.urls")),
    path("customers/", include("customers.urls")),
    # The customer and purchase import moved to the customers app.
    path("metrics/import/", RedirectView.as_view(pattern_name="customers:import", permanent=True)),
    path("metrics/", include("metrics.urls")),
    path("programme/", include("programme.urls")),
    path("admin/", admin.site.urls),
]
