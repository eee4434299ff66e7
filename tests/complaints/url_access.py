"""Who may open the complaint pages (see tests/url_access.py)."""

from __future__ import annotations

from people.roles import MANAGER, STAFF
from tests.url_access import Access

WORKERS = frozenset({MANAGER, STAFF})
MANAGERS = frozenset({MANAGER})
STAFF_ONLY = frozenset({STAFF})


def _complaint() -> dict:
    from tests.factories import ComplaintFactory

    return {"pk": ComplaintFactory().pk}


def _attachment() -> dict:
    from complaints.attachments.models import AttachmentSource
    from complaints.attachments.services import attachment_add
    from tests.complaints.attachments.files import PDF
    from tests.factories import ComplaintFactory

    complaint = ComplaintFactory()
    attachment = attachment_add(complaint=complaint, name="a.pdf", data=PDF, source=AttachmentSource.FORM)
    return {"pk": complaint.pk, "attachment_pk": attachment.pk}


def _transition() -> dict:
    return {**_complaint(), "action": "start"}


def _action() -> dict:
    from tests.factories import CorrectiveActionFactory

    return {"pk": CorrectiveActionFactory().pk}


def _canned_reply() -> dict:
    from tests.factories import CannedReplyFactory

    return {"pk": CannedReplyFactory().pk}


URL_ACCESS = {
    "complaints:complaint_list": Access(WORKERS),
    "complaints:complaint_create": Access(WORKERS),
    "complaints:complaint_bulk": Access(MANAGERS, method="post"),
    "complaints:promise_suggestion": Access(WORKERS),
    "complaints:customer_picker": Access(WORKERS),
    "complaints:customer_pick": Access(WORKERS),
    "complaints:analysis": Access(MANAGERS),
    "complaints:complaint_export": Access(WORKERS, kwargs=lambda: {"fmt": "csv"}),
    "complaints:complaint_import": Access(MANAGERS),
    # Staff see only the complaints they handle, logged or of their department: not this one,
    # which answers them 404 (as a complaint that does not exist would).
    "complaints:complaint_detail": Access(MANAGERS, kwargs=_complaint, not_found_for=STAFF_ONLY),
    "complaints:complaint_edit": Access(MANAGERS, kwargs=_complaint, not_found_for=STAFF_ONLY),
    "complaints:complaint_assign": Access(MANAGERS, kwargs=_complaint, method="post"),
    # "Assign to me", a note, a reply: on a complaint they may not see, staff get 404.
    "complaints:complaint_take": Access(MANAGERS, kwargs=_complaint, method="post", not_found_for=STAFF_ONLY),
    "complaints:complaint_note": Access(MANAGERS, kwargs=_complaint, method="post", not_found_for=STAFF_ONLY),
    "complaints:complaint_reply": Access(
        MANAGERS, kwargs=_complaint, method="post", not_found_for=STAFF_ONLY
    ),
    # A complaint's file: as its page (staff who may not see the complaint get 404).
    "complaints:attachment_download": Access(MANAGERS, kwargs=_attachment, not_found_for=STAFF_ONLY),
    "complaints:complaint_resolve": Access(MANAGERS, kwargs=_complaint, not_found_for=STAFF_ONLY),
    "complaints:complaint_satisfaction": Access(
        MANAGERS, kwargs=_complaint, method="post", not_found_for=STAFF_ONLY
    ),
    "complaints:complaint_transition": Access(
        MANAGERS, kwargs=_transition, method="post", not_found_for=STAFF_ONLY
    ),
    # Canned replies: staff use them on the complaint's page; only managers change them.
    "complaints:canned_reply_list": Access(MANAGERS),
    "complaints:canned_reply_create": Access(MANAGERS),
    "complaints:canned_reply_edit": Access(MANAGERS, kwargs=_canned_reply),
    "complaints:canned_reply_delete": Access(MANAGERS, kwargs=_canned_reply),
    "complaints:action_list": Access(MANAGERS),
    "complaints:action_create": Access(MANAGERS),
    "complaints:action_detail": Access(MANAGERS, kwargs=_action),
}
