"""URLs of the training app (namespace ``training``)."""

from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.my_trainings, name="my_trainings"),
    path("respond/", views.enrolment_respond, name="enrolment_respond"),
    path("feed/renew/", views.feed_renew, name="feed_renew"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("calendar/", views.calendar, name="calendar"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/enrol/", views.session_enrol, name="session_enrol"),
    path("sessions/<int:pk>/invite-choices/", views.session_invite_choices, name="session_invite_choices"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path("enrolments/<int:pk>/excuse/", views.enrolment_excuse, name="enrolment_excuse"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("planner/", views.planner, name="planner"),
    path("planner/people/<int:pk>/changes/", views.planner_changes, name="planner_changes"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/mine/", views.compliance_team, name="compliance_team"),
    path("compliance/departments/<int:pk>/", views.compliance_department, name="compliance_department"),
    path("people/<int:pk>/", views.employee_record, name="employee_record"),
]
