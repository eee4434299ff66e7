"""Who may open the intake pages (see tests/url_access.py): the public form and its confirmation
are for everyone, the links and QR codes and the quarantined mail for managers."""

from __future__ import annotations

from people.roles import MANAGER
from tests.url_access import PUBLIC, Access

MANAGERS = frozenset({MANAGER})


def _department_link() -> dict:
    from complaints.intake.links import intake_token
    from tests.factories import DepartmentFactory

    return {"token": intake_token(DepartmentFactory())}


def _department() -> dict:
    from tests.factories import DepartmentFactory

    return {"pk": DepartmentFactory().pk}


def _receipt() -> dict:
    from complaints.intake.links import receipt_token

    return {**_department_link(), "receipt": receipt_token(reference=1, contact_kind="email")}


def _quarantined_mail() -> dict:
    from complaints.intake.models import QuarantinedMail
    from complaints.intake.services import mail_receive
    from tests.complaints.intake.mails import a_bounce

    mail_receive(raw=a_bounce(), source="pipe")
    return {"pk": QuarantinedMail.objects.latest("pk").pk}


URL_ACCESS = {
    "intake:public_form": Access(PUBLIC, kwargs=_department_link),
    "intake:received": Access(PUBLIC, kwargs=_department_link),
    "intake:receipt": Access(PUBLIC, kwargs=_receipt),
    "intake:links": Access(MANAGERS),
    "intake:department_mail_address": Access(MANAGERS, kwargs=_department, method="post"),
    "intake:qr": Access(MANAGERS, kwargs=lambda: {**_department_link(), "fmt": "svg"}),
    "intake:poster": Access(MANAGERS, kwargs=_department_link),
    "intake:quarantined_mail": Access(MANAGERS, kwargs=_quarantined_mail),
}
