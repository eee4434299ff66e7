"""URLs of the standards app (namespace ``standards``)."""

from django.urls import path  # noqa: F401

app_name = "standards"

urlpatterns: list = []
