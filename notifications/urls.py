"""URLs of the email preferences (namespace ``notifications``), under ``/org/``."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("preferences/", views.notification_preferences, name="preferences"),
]
