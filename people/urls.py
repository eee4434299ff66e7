"""URLs of the people pages (namespace ``people``), under ``/org/``."""

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("people/", views.employee_list, name="employee_list"),
    path("people/add/", views.employee_create, name="employee_create"),
    path("people/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("people/<int:pk>/deactivate/", views.employee_deactivate, name="employee_deactivate"),
    path("people/<int:pk>/handover/", views.employee_handover, name="employee_handover"),
    path("people/import/", views.employee_import, name="employee_import"),
]
