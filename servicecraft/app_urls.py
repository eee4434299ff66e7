"""URLs of the organisation pages (namespace ``servicecraft``)."""

from django.urls import path

from . import report_views, views, workforce_views

app_name = "servicecraft"

urlpatterns = [
    path("people/", views.employee_list, name="employee_list"),
    path("people/add/", views.employee_create, name="employee_create"),
    path("people/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("people/<int:pk>/deactivate/", views.employee_deactivate, name="employee_deactivate"),
    path("people/turnover/", workforce_views.workforce, name="workforce"),
    path("people/import/", workforce_views.employee_import, name="employee_import"),
    path("preferences/", report_views.notification_preferences, name="notification_preferences"),
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/charts/<slug:name>.png", report_views.report_chart, name="report_chart"),
    path("reports/<int:pk>/resend/", report_views.report_resend, name="report_resend"),
]
