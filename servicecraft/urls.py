"""Root URLconf: the shell, auth pages, and one namespace per app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

handler403 = "servicecraft.errors.permission_denied"
handler404 = "servicecraft.errors.page_not_found"
handler500 = "servicecraft.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/email/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("org/", include("servicecraft.app_urls")),
    path("standards/", include("standards.urls")),
    path("complaints/", include("complaints.urls")),
    path("survey/", include("complaints.survey_urls")),
    path("training/", include("training.urls")),
    path("metrics/", include("metrics.urls")),
    path("admin/", admin.site.urls),
]
