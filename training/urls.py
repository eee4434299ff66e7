"""URLs of the training app (namespace ``training``)."""

from django.urls import path  # noqa: F401

app_name = "training"

urlpatterns: list = []
