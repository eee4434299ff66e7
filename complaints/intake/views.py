"""Pages of the intake: the public complaint form and its confirmation (no login), and the
managers' page of links and QR codes with the printable counter poster and each
department's complaint address, the refused submissions and the mail put in quarantine
(each raw message downloadable, never rendered).

The public pages use the customers' layout (no navigation, no staff names), work
without JavaScript and load nothing from other sites.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.programme import programme_setting
from common.throttle import client_address
from complaints.intake import flood, links, qr, selectors, services
from complaints.intake.forms import DepartmentMailAddressForm, PublicComplaintForm
from complaints.intake.models import QuarantinedMail
from people.models import Department
from people.roles import MANAGER, role_required


def _target_or_404(token: str) -> links.IntakeTarget:
    try:
        return links.intake_target_from_token(token)
    except links.IntakeLinkError:
        raise Http404 from None


def _link_error(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/intake/link_error.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def public_form(request: HttpRequest, token: str) -> HttpResponse:
    """The form of one link. A sent form makes one complaint and goes to its confirmation; a
    robot's (the honeypot filled) makes nothing and gets a thank-you all the same."""
    try:
        target = links.intake_target_from_token(token)
    except links.IntakeLinkError:
        return _link_error(request)
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if PublicComplaintForm.is_robot(request.POST):
            flood.refusal_record(flood.Refusal.HONEYPOT)
            return redirect("intake:received", token=token)
        if form.is_valid():
            refusal = flood.submission_refusal(client_address(request))
            if refusal is None:
                complaint = services.public_complaint_create(
                    target=target,
                    story=form.cleaned_data["story"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    language=translation.get_language(),
                    files=form.cleaned_data["attachments"],
                )
                receipt = links.receipt_token(reference=complaint.pk, contact_kind=form.contact_kind())
                return redirect("intake:receipt", token=token, receipt=receipt)
            flood.refusal_record(refusal)
            form.add_error(None, _too_many_message(refusal))
            status = 429
    return render(request, "complaints/intake/form.html", {"form": form, "target": target}, status=status)


def _too_many_message(refusal: flood.Refusal) -> str:
    if refusal == flood.Refusal.ADDRESS:
        return _(
            "We have received several complaints from your network in the last hour, and take no "
            "more from it for now. Please try again in an hour; nothing you typed is lost."
        )
    return _(
        "We are receiving an unusual number of complaints right now and cannot take yours at "
        "this moment. Please try again in an hour; nothing you typed is lost."
    )


@never_cache
@require_GET
def received(request: HttpRequest, token: str, receipt: str = "") -> HttpResponse:
    """The confirmation after sending: the reference and what happens next (without a receipt:
    a plain thank-you, which is also what a robot gets)."""
    try:
        target = links.intake_target_from_token(token)
        found = links.receipt_from_token(receipt) if receipt else None
    except links.IntakeLinkError:
        return _link_error(request)
    return render(request, "complaints/intake/received.html", {"target": target, "receipt": found})


@role_required(MANAGER)
def intake_links(request: HttpRequest) -> HttpResponse:
    """The company's link and a page of the departments' links, each with its QR code and
    complaint address, and how many submissions were refused."""
    return _links_page(request, page_number=request.GET.get("page"))


def _links_page(
    request: HttpRequest,
    *,
    page_number: int | str | None,
    failed: DepartmentMailAddressForm | None = None,
    failed_department_id: int = 0,
) -> HttpResponse:
    """The page of links; with ``failed``, the address form of that department as sent, with
    its errors (the others as stored)."""
    page = selectors.intake_department_page(number=page_number)
    targets = [selectors.company_intake_target(), *page.object_list]
    rows = [
        {
            "target": target,
            "address_form": failed
            if target.department is not None and target.department.pk == failed_department_id
            else DepartmentMailAddressForm(
                initial={"address": target.mail_address},
                prefix=f"department-{target.department.pk}" if target.department else None,
            ),
        }
        for target in targets
    ]
    return render(
        request,
        "complaints/intake/links.html",
        {
            "rows": rows,
            "page": page,
            "site_is_local": links.site_is_local(),
            "site_url": settings.SITE_URL,
            "refusals": flood.refusal_counts(),
            "per_address": programme_setting("INTAKE_PER_ADDRESS_PER_HOUR"),
            "per_hour": programme_setting("INTAKE_PER_HOUR"),
            "quarantined": selectors.quarantined_mail_latest(),
            "quarantined_count": selectors.quarantined_mail_count(),
            "mailbox_configured": bool(settings.IMAP_HOST),
            "mailbox_address": settings.IMAP_USER if "@" in settings.IMAP_USER else "",
        },
    )


@require_POST
@role_required(MANAGER)
def department_mail_address(request: HttpRequest, pk: int) -> HttpResponse:
    """Set (or, empty, remove) a department's complaint address; back to the page of links."""
    department = get_object_or_404(Department, pk=pk)
    form = DepartmentMailAddressForm(request.POST, prefix=f"department-{department.pk}")
    if form.is_valid():
        try:
            entry = services.department_mail_address_set(
                department=department, address=form.cleaned_data["address"]
            )
        except ValidationError as refused:
            form.add_error("address", refused)
        else:
            if entry is None:
                message = _("%(department)s has no complaint address now.") % {"department": department.name}
            else:
                message = _("Mail to %(address)s now becomes a complaint of %(department)s.") % {
                    "address": entry.address,
                    "department": department.name,
                }
            messages.success(request, message)
            page_number = selectors.intake_page_number_of(department)
            page_query = f"?page={page_number}" if page_number > 1 else ""
            return redirect(f"{reverse('intake:links')}{page_query}#department-{department.pk}")
    return _links_page(
        request,
        page_number=selectors.intake_page_number_of(department),
        failed=form,
        failed_department_id=department.pk,
    )


@require_GET
@role_required(MANAGER)
def quarantined_mail_raw(request: HttpRequest, pk: int) -> FileResponse:
    """The raw message of a quarantined mail, as a download: never shown in the browser (it is
    whatever a stranger sent), so it goes out as an opaque file the browser must not sniff."""
    entry = get_object_or_404(QuarantinedMail, pk=pk)
    try:
        raw = entry.raw.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        raw,
        as_attachment=True,
        filename=f"quarantined-mail-{entry.pk}.eml",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@role_required(MANAGER)
def intake_qr(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The QR code of a link as an SVG or PNG file."""
    if fmt not in qr.CONTENT_TYPES:
        raise Http404
    target = _target_or_404(token)
    response = HttpResponse(qr.qr_image(target.url, kind=fmt), content_type=qr.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="{_file_stem(target)}.{fmt}"'
    return response


def _file_stem(target: links.IntakeTarget) -> str:
    """An ASCII file name (a header carries it): the department's name, or its number."""
    if target.department is None:
        return "complaint-form-company"
    return f"complaint-form-{slugify(target.department.name) or target.department.pk}"


@require_GET
@role_required(MANAGER)
def intake_poster(request: HttpRequest, token: str) -> HttpResponse:
    """A page to print for the counter: a big QR code, the link, and an invitation in every
    language of the site."""
    return render(request, "complaints/intake/poster.html", {"target": _target_or_404(token)})
