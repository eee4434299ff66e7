"""URLs of the satisfaction survey (namespace ``survey``, at /survey/: short links in emails)."""

from django.urls import path

from complaints.survey import views as survey_views

app_name = "survey"

urlpatterns = [
    path("results/", survey_views.survey_results, name="results"),
    path("settings/", survey_views.survey_settings, name="settings"),
    path("answer/<str:token>/", survey_views.survey_answer, name="answer"),
]
