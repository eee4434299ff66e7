"""``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability.

The contact is the deployment's own (``SECURITY_CONTACT``, an email address or an https URL);
without one the file does not exist (404) rather than name a wrong address.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

# RFC 9116 asks for an expiry, so that a stale file is noticed; a year ahead of each request.
VALID_DAYS = 365


def contact_uri(contact: str) -> str:
    contact = contact.strip()
    if contact.startswith(("mailto:", "https://")):
        return contact
    return f"mailto:{contact}"


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    contact = getattr(settings, "SECURITY_CONTACT", "")
    if not contact:
        raise Http404("No security contact is configured.")
    expires = (timezone.now() + datetime.timedelta(days=VALID_DAYS)).replace(microsecond=0)
    lines = [
        f"Contact: {contact_uri(contact)}",
        f"Expires: {expires.astimezone(datetime.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en, ru",
        f"Canonical: {settings.SITE_URL.rstrip('/')}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
