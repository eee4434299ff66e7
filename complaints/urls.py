"""URLs of the complaints app (namespace ``complaints``)."""

from django.urls import path

from complaints import views
from complaints.conversation import views as conversation_views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="complaint_list"),
    path("new/", views.complaint_create, name="complaint_create"),
    path("bulk/", views.complaint_bulk, name="complaint_bulk"),
    path("promise-suggestion/", views.promise_suggestion, name="promise_suggestion"),
    path("customer-picker/", views.customer_picker, name="customer_picker"),
    path("customer-picker/pick/", views.customer_pick, name="customer_pick"),
    path("analysis/", views.analysis, name="analysis"),
    path("export.<slug:fmt>", views.complaint_export, name="complaint_export"),
    path("import/", views.complaint_import, name="complaint_import"),
    path("<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/edit/", views.complaint_edit, name="complaint_edit"),
    path("<int:pk>/assign/", views.complaint_assign, name="complaint_assign"),
    path("<int:pk>/take/", views.complaint_take, name="complaint_take"),
    path("<int:pk>/note/", views.complaint_note, name="complaint_note"),
    path("<int:pk>/reply/", views.complaint_reply, name="complaint_reply"),
    path("<int:pk>/resolve/", views.complaint_resolve, name="complaint_resolve"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/satisfaction/", views.complaint_satisfaction, name="complaint_satisfaction"),
    path("<int:pk>/<slug:action>/", views.complaint_transition, name="complaint_transition"),
    path("canned-replies/", conversation_views.canned_reply_list, name="canned_reply_list"),
    path("canned-replies/new/", conversation_views.canned_reply_create, name="canned_reply_create"),
    path("canned-replies/<int:pk>/", conversation_views.canned_reply_edit, name="canned_reply_edit"),
    path(
        "canned-replies/<int:pk>/delete/", conversation_views.canned_reply_delete, name="canned_reply_delete"
    ),
    path("actions/", views.action_list, name="action_list"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
]
