"""URLs of the weekly report archive (namespace ``reports``), under ``/org/``."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/preview/", views.report_preview, name="report_preview"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/charts/<slug:name>.png", views.report_chart, name="report_chart"),
    path("reports/<int:pk>/resend/", views.report_resend, name="report_resend"),
]
