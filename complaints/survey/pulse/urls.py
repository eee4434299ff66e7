"""URLs of the pulse survey (namespace ``survey:pulse``, at /survey/pulse/)."""

from django.urls import path

from complaints.survey.pulse import views

app_name = "pulse"

urlpatterns = [
    path("", views.pulse_overview, name="overview"),
    path("switch/", views.pulse_switch, name="switch"),
    path("preview/", views.pulse_preview, name="preview"),
    path("preview/email/", views.pulse_preview_email, name="preview_email"),
    path("answers.csv", views.pulse_export, name="export"),
    path("a/<str:token>/", views.pulse_answer, name="answer"),
]
