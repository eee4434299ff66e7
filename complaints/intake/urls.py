"""URLs of the intake (namespace ``intake``), mounted at the site's root: the public form at
the short /c/<token>/ that a QR code carries, the managers' pages under /complaints/intake/."""

from django.urls import path

from complaints.intake import views

app_name = "intake"

urlpatterns = [
    path("c/<str:token>/", views.public_form, name="public_form"),
    path("c/<str:token>/received/", views.received, name="received"),
    path("c/<str:token>/received/<str:receipt>/", views.received, name="receipt"),
    path("complaints/intake/", views.intake_links, name="links"),
    path(
        "complaints/intake/department/<int:pk>/address/",
        views.department_mail_address,
        name="department_mail_address",
    ),
    path("complaints/intake/qr/<str:token>.<slug:fmt>", views.intake_qr, name="qr"),
    path("complaints/intake/poster/<str:token>/", views.intake_poster, name="poster"),
    path("complaints/intake/quarantine/<int:pk>.eml", views.quarantined_mail_raw, name="quarantined_mail"),
]
