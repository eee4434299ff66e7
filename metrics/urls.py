"""URLs of the metrics app (namespace ``metrics``)."""

from django.urls import path

from metrics import turnover_views, views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recompute/", views.recompute, name="recompute"),
    path("recompute/<int:pk>/", views.recompute_progress, name="recompute_progress"),
    path("charts/<int:pk>/<slug:name>.svg", views.chart, name="chart"),
    path("silent-leavers/", views.silent_leavers, name="silent_leavers"),
    path("export/<slug:what>.<slug:fmt>", views.export, name="export"),
    path("api/summary.json", views.api_summary, name="api_summary"),
    path("turnover/", turnover_views.workforce, name="turnover"),
]
