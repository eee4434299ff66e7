"""URLs of the people pages (namespace ``people``), under ``/org/``."""

from django.urls import path
from django.views.generic import RedirectView

from people import views

app_name = "people"

urlpatterns = [
    # /org/ itself is the people page (a bookmark of the section's root lands somewhere useful).
    path("", RedirectView.as_view(pattern_name="people:employee_list")),
    path("people/", views.employee_list, name="employee_list"),
    path("people/add/", views.employee_create, name="employee_create"),
    path("people/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("people/<int:pk>/deactivate/", views.employee_deactivate, name="employee_deactivate"),
    path("people/<int:pk>/handover/", views.employee_handover, name="employee_handover"),
    path("people/import/", views.employee_import, name="employee_import"),
]
