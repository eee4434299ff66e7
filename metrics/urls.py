"""URLs of the metrics app (namespace ``metrics``)."""

from django.urls import path  # noqa: F401

app_name = "metrics"

urlpatterns: list = []
