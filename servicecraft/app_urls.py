"""URLs of the organisation pages (namespace ``servicecraft``)."""

from django.urls import path

from . import views

app_name = "servicecraft"

urlpatterns = [
    path("people/", views.employee_list, name="employee_list"),
    path("people/add/", views.employee_create, name="employee_create"),
    path("people/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("people/<int:pk>/deactivate/", views.employee_deactivate, name="employee_deactivate"),
]
