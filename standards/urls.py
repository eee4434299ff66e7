"""URLs of the standards app (namespace ``standards``)."""

from django.urls import path

from standards import views

app_name = "standards"

urlpatterns = [
    # Staff
    path("mine/", views.my_standards, name="my_standards"),
    path("<int:pk>/read/", views.read, name="read"),
    path("<int:pk>/print/", views.standard_print, name="standard_print"),
    path("versions/<int:pk>/check/", views.knowledge_check, name="knowledge_check"),
    path("versions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("steps/<int:pk>/flag/", views.step_flag, name="step_flag"),
    # Managers
    path("", views.library, name="library"),
    path("new/", views.standard_create, name="standard_create"),
    path("coverage/", views.coverage, name="coverage"),
    path("compliance/", views.compliance, name="compliance"),
    path("flags/", views.flags, name="flags"),
    path("flags/<int:pk>/resolve/", views.flag_resolve, name="flag_resolve"),
    path("<int:pk>/", views.standard_detail, name="standard_detail"),
    path("<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("<int:pk>/retire/", views.standard_retire, name="standard_retire"),
    path("<int:pk>/reinstate/", views.standard_reinstate, name="standard_reinstate"),
    path("<int:pk>/history/", views.standard_history, name="standard_history"),
    path("<int:pk>/compare/", views.version_compare, name="version_compare"),
    path("<int:pk>/review/", views.standard_review, name="standard_review"),
    path("<int:pk>/coverage/", views.standard_coverage, name="standard_coverage"),
    path("<int:pk>/coverage.csv", views.standard_coverage_csv, name="standard_coverage_csv"),
    path("<int:pk>/compliance/new/", views.compliance_check_create, name="compliance_check_create"),
    path("<int:pk>/draft/", views.draft_start, name="draft_start"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("versions/<int:pk>/publish/", views.draft_publish, name="draft_publish"),
]
