"""URLs of the surveys (namespace ``survey``, at /survey/: short links in emails): the satisfaction
survey after resolution, the unsubscribe page, and the pulse survey (``survey:pulse``)."""

from django.urls import include, path

from complaints.survey import views as survey_views

app_name = "survey"

urlpatterns = [
    path("results/", survey_views.survey_results, name="results"),
    path("settings/", survey_views.survey_settings, name="settings"),
    path("answer/<str:token>/", survey_views.survey_answer, name="answer"),
    path("unsubscribe/<str:token>/", survey_views.unsubscribe, name="unsubscribe"),
    path("pulse/", include("complaints.survey.pulse.urls")),
]
