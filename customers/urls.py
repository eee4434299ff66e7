"""URLs of the customers app (namespace ``customers``), under ``/customers/``."""

from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    path("<int:pk>/", views.customer_detail, name="customer_detail"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
