"""URLs of the programme (namespace ``programme``), under ``/programme/``."""

from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("charter/", views.charter, name="charter"),
    path("charter/revisions/", views.charter_history, name="charter_history"),
    path("charter/revisions/<int:number>/", views.charter_revision, name="charter_revision"),
    path("charter/brainstorm/", views.brainstorm, name="brainstorm"),
    path("charter/publish/", views.charter_publish, name="charter_publish"),
    path("charter/entries/<int:pk>/", views.entry_manage, name="entry_manage"),
    path("charter/entries/<int:pk>/support/", views.entry_support, name="entry_support"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("targets/<int:pk>/trend.svg", views.target_trend, name="target_trend"),
    path("targets/<int:pk>/departments/", views.target_departments, name="target_departments"),
    path("lead/", views.lead_appoint, name="lead_appoint"),
    path("golden-rules/", views.golden_rules, name="golden_rules"),
    path("golden-rules/review/", views.golden_rules_review, name="golden_rules_review"),
    path("effectiveness/", views.checks, name="checks"),
    path("effectiveness/<int:pk>/", views.check_detail, name="check_detail"),
    path("review/", views.review_latest, name="review_latest"),
    path("review/<str:quarter>/", views.review_pack, name="review_pack"),
]
