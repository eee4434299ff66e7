"""Pages of the complaint log: quick entry, the list, one complaint's work, analysis, actions."""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from common import exports
from common.charts import cached_data_uri
from common.csv_import import ImportAlreadyRunning, already_importing_message
from common.query_params import choice_param, int_param, query_without, sort_headers, text_param
from complaints import charts, importing, list_rows, rules, selectors, services
from complaints.attachments import selectors as attachments
from complaints.conversation import selectors as conversation
from complaints.conversation import services as conversation_services
from complaints.conversation.forms import NoteForm, ReplyForm
from complaints.conversation.thread_rows import thread_rows
from complaints.forms import (
    ActionCloseForm,
    AnalysisForm,
    AssignForm,
    BulkActionForm,
    ComplaintEditForm,
    ComplaintFilterForm,
    ComplaintQuickForm,
    CorrectiveActionForm,
    ImportForm,
    ResolveForm,
    SatisfactionForm,
    customer_number_widget,
    promise_widget,
)
from complaints.models import ActionStatus, Complaint, CorrectiveAction
from customers.selectors import PICKER_LIMIT, customer_by_number, customer_matches, picker_query
from people.roles import MANAGER, STAFF, has_role, role_required
from people.selectors import employee_for_user

WORKERS = (MANAGER, STAFF)
PAGE_SIZE = 50
# The list's own query string, carried through a bulk action back to the same list.
_SAFE_QUERY = re.compile(r"[A-Za-z0-9_\-.~%&=+]{1,2000}")


# The newest entries of a complaint's thread its page shows; the rest behind a link.
THREAD_SHOWN = 100


def _get_complaint(request: HttpRequest, pk: int) -> Complaint:
    """The complaint if ``request.user`` may see it; 404 otherwise, whether or not it exists
    (a 403 would tell which complaint numbers exist)."""
    complaint = selectors.complaint_for_user(user=request.user, pk=pk)
    if complaint is None:
        raise Http404
    return complaint


def _get_workable_complaint(request: HttpRequest, pk: int) -> Complaint:
    """The complaint if ``request.user`` may change it (a manager or its handler)."""
    complaint = _get_complaint(request, pk)
    if not selectors.can_work(user=request.user, complaint=complaint):
        raise PermissionDenied
    return complaint


def _get_action(pk: int) -> CorrectiveAction:
    action = selectors.corrective_action_detail(pk=pk)
    if action is None:
        raise Http404
    return action


def _list_sort(request: HttpRequest) -> tuple[str, bool]:
    """The list's sort key and direction from the query string (unknown values: the default)."""
    sort = choice_param(request, "sort", list(selectors.COMPLAINT_SORTS), default=selectors.DEFAULT_SORT)
    direction = choice_param(request, "dir", ["asc", "desc"], default="")
    descending = selectors.COMPLAINT_SORTS[sort].descending if not direction else direction == "desc"
    return sort, descending


@role_required(*WORKERS)
def complaint_list(request: HttpRequest) -> HttpResponse:
    form = ComplaintFilterForm(request.GET or None)
    filters = form.filters(request.user)
    sort, descending = _list_sort(request)
    page = selectors.complaint_page(
        user=request.user,
        filters=filters,
        after=text_param(request, "after"),
        size=PAGE_SIZE,
        sort=sort,
        descending=descending,
    )
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "form": form,
            "page": page,
            "rows": list_rows.complaint_rows(page.items, today=timezone.localdate()),
            "count": selectors.complaint_count(user=request.user, filters=filters),
            "bulk_form": BulkActionForm() if has_role(request.user, MANAGER) else None,
            "sort": sort,
            "direction": "desc" if descending else "asc",
            "headers": sort_headers(
                request,
                {key: spec.descending for key, spec in selectors.COMPLAINT_SORTS.items()},
                sort=sort,
                descending=descending,
                restart=["after"],
            ),
            "query": query_without(request, "after"),
            "xlsx_max_rows": importing.XLSX_MAX_ROWS,
        },
    )


@require_POST
@role_required(MANAGER)
def complaint_bulk(request: HttpRequest) -> HttpResponse:
    """A manager assigns or closes the complaints ticked in the list, one service call each
    (so every one gets its event and notification), and hears what was done and skipped."""
    form = BulkActionForm(request.POST)
    back = request.POST.get("back", "")
    target = reverse("complaints:complaint_list") + (
        f"?{back}" if back and _SAFE_QUERY.fullmatch(back) else ""
    )
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(target)
    ids = form.cleaned_data["complaint_ids"]
    if form.cleaned_data["action"] == BulkActionForm.ASSIGN:
        outcome = services.complaints_bulk_assign(
            complaint_ids=ids, handler=form.cleaned_data["handler"], actor=request.user
        )
        done = ngettext("%(n)s complaint assigned.", "%(n)s complaints assigned.", outcome.done)
    else:
        outcome = services.complaints_bulk_close(complaint_ids=ids, actor=request.user)
        done = ngettext("%(n)s complaint closed.", "%(n)s complaints closed.", outcome.done)
    messages.success(request, done % {"n": outcome.done})
    if outcome.skipped:
        reasons = "; ".join(f"#{pk}: {reason}" for pk, reason in outcome.skipped)
        messages.warning(
            request,
            ngettext("%(n)s skipped: %(reasons)s", "%(n)s skipped: %(reasons)s", len(outcome.skipped))
            % {"n": len(outcome.skipped), "reasons": reasons},
        )
    return redirect(target)


def _picker_step(request: HttpRequest) -> tuple[dict, list] | None:
    """Without JavaScript the picker is a round trip: "Find" lists the matches, a match's
    button fills the number. Either way the form comes back as typed (nothing is saved):
    the initial data and the matches; None when the form was really submitted."""
    if request.method != "POST" or not ({"find_customer", "pick_customer"} & set(request.POST)):
        return None
    typed = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    if "pick_customer" in request.POST:
        typed["customer"] = picker_query(request.POST["pick_customer"])[:64]
        typed["customer_search"] = ""
        return typed, []
    return typed, customer_matches(request.POST.get("customer_search", ""))


@role_required(*WORKERS)
def complaint_create(request: HttpRequest) -> HttpResponse:
    picker = _picker_step(request)
    if picker is not None:
        typed, matches = picker
        form = ComplaintQuickForm(initial=typed)
        return render(
            request,
            "complaints/complaint_create.html",
            {
                "form": form,
                "matches": matches,
                "searched": picker_query(typed.get("customer_search", "")),
                "picker_limit": PICKER_LIMIT,
            },
        )
    employee = employee_for_user(request.user)
    initial = {"department": employee.department_id if employee else None}
    form = ComplaintQuickForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        complaint = services.complaint_create(logged_by=request.user, **form.complaint_fields())
        messages.success(request, _("Complaint #%(number)s was logged.") % {"number": complaint.pk})
        if selectors.complaint_for_user(user=request.user, pk=complaint.pk) is None:
            return redirect("complaints:complaint_create")
        return redirect("complaints:complaint_detail", pk=complaint.pk)
    return render(request, "complaints/complaint_create.html", {"form": form})


@require_GET
@role_required(*WORKERS)
def promise_suggestion(request: HttpRequest) -> HttpResponse:
    """The promise date input, filled with the suggestion for the typed expected effort (htmx)."""
    days = int_param(request, "expected_effort_days", maximum=365)
    suggestion = None
    if days is not None:
        suggestion = rules.promise_date_suggestion(received_on=timezone.localdate(), expected_days=days)
    html = promise_widget().render("promised_on", suggestion, attrs={"class": "dateinput form-control"})
    return HttpResponse(html)


@require_GET
@role_required(*WORKERS)
def customer_picker(request: HttpRequest) -> HttpResponse:
    """The customers matching what was typed into the complaint form's search (htmx)."""
    searched = picker_query(request.GET.get("customer_search", ""))
    return render(
        request,
        "complaints/snippets/customer_matches.html",
        {
            "matches": customer_matches(searched),
            "searched": searched,
            "picker_limit": PICKER_LIMIT,
            "live": True,
        },
    )


@require_GET
@role_required(*WORKERS)
def customer_pick(request: HttpRequest) -> HttpResponse:
    """The customer number input filled with the picked customer's number (htmx), and who that is."""
    number = picker_query(request.GET.get("pick_customer", ""))[:64]
    customer = customer_by_number(number) if number else None
    html = customer_number_widget().render("customer", customer.external_id if customer else "")
    return render(
        request, "complaints/snippets/customer_picked.html", {"number_input": html, "customer": customer}
    )


def _render_detail(
    request: HttpRequest,
    complaint: Complaint,
    *,
    note_form: NoteForm | None = None,
    reply_form: ReplyForm | None = None,
    canned: str | None = None,
) -> HttpResponse:
    """The complaint's page. ``canned``: the id of a canned reply to start the reply from (the
    ``?canned=`` of the reply box's choice, which works without JavaScript)."""
    can_work = selectors.can_work(user=request.user, complaint=complaint)
    is_manager = has_role(request.user, MANAGER)
    reply_address = conversation_services.customer_address(complaint) if can_work else ""
    canned_start = None
    if reply_address:
        canned_start = conversation.canned_reply_start(
            complaint=complaint,
            writer=request.user,
            language=conversation_services.customer_language(complaint),
            canned=canned if reply_form is None else "",
        )
    # A long thread shows its newest entries, with a link to all of them (?thread=all).
    everything = text_param(request, "thread", max_length=3) == "all"
    thread = conversation.complaint_thread_tail(
        complaint=complaint, latest=None if everything else THREAD_SHOWN
    )
    if can_work and reply_form is None:
        started = canned_start is not None and canned_start.chosen is not None
        reply_form = ReplyForm(initial={"body": canned_start.text} if started else None)
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "thread": thread_rows(thread.entries, complaint=complaint),
            "thread_earlier": thread.earlier,
            "thread_latest": THREAD_SHOWN,
            "complaint_attachments": attachments.complaint_attachments(complaint=complaint),
            "actions": selectors.complaint_actions(complaint=complaint),
            "can_work": can_work,
            "can_assign": is_manager,
            "can_take": selectors.can_take(user=request.user, complaint=complaint),
            "assign_form": AssignForm(initial={"handler": complaint.handler_id}) if is_manager else None,
            "satisfaction_form": SatisfactionForm(
                initial={"customer_satisfied": complaint.customer_satisfied}
            ),
            "note_form": note_form or NoteForm(),
            "reply_form": reply_form,
            "reply_address": reply_address,
            "canned": canned_start,
            "overdue": complaint.is_overdue_on(timezone.localdate()),
        },
    )


@role_required(*WORKERS)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_complaint(request, pk)
    conversation_services.complaint_mark_opened(complaint=complaint, user=request.user)
    return _render_detail(request, complaint, canned=text_param(request, "canned", max_length=20))


@require_POST
@role_required(*WORKERS)
def complaint_note(request: HttpRequest, pk: int) -> HttpResponse:
    """An internal note: anyone who may see the complaint may write one."""
    complaint = _get_complaint(request, pk)
    form = NoteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            conversation_services.complaint_note_add(
                complaint=complaint,
                author=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Note added."))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
    return _render_detail(request, complaint, note_form=form)


@require_POST
@role_required(*WORKERS)
def complaint_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply emailed to the customer: its handler or a manager writes it."""
    complaint = _get_workable_complaint(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            conversation_services.complaint_reply_send(
                complaint=complaint,
                author=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reply sent to the customer."))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
    return _render_detail(request, complaint, reply_form=form)


# A downloaded attachment is whatever a customer sent: the browser must save it, never
# render it from our origin, never guess another type, and run nothing in it if it does.
ATTACHMENT_CSP = "default-src 'none'; sandbox"


@require_GET
@role_required(*WORKERS)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """One of a complaint's files, for those who may see the complaint (404 for others), as a
    download with the type its content was detected as."""
    complaint = _get_complaint(request, pk)
    attachment = attachments.attachment_of(complaint=complaint, pk=attachment_pk)
    if attachment is None:
        raise Http404
    try:
        stored = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stored, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*WORKERS)
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_workable_complaint(request, pk)
    form = ComplaintEditForm(request.POST or None, initial=ComplaintEditForm.initial_for(complaint))
    if request.method == "POST" and form.is_valid():
        services.complaint_update(complaint=complaint, actor=request.user, **form.complaint_fields())
        messages.success(request, _("Saved."))
        return redirect("complaints:complaint_detail", pk=complaint.pk)
    return render(request, "complaints/complaint_edit.html", {"form": form, "complaint": complaint})


@require_POST
@role_required(MANAGER)
def complaint_assign(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_complaint(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose someone from the list."))
    else:
        services.complaint_assign(
            complaint=complaint, actor=request.user, handler=form.cleaned_data["handler"]
        )
        messages.success(request, _("Handler changed."))
    return redirect("complaints:complaint_detail", pk=complaint.pk)


@require_POST
@role_required(*WORKERS)
def complaint_take(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Assign to me": a manager takes any complaint, staff one that has no handler yet."""
    complaint = _get_complaint(request, pk)
    if not selectors.can_take(user=request.user, complaint=complaint):
        raise PermissionDenied
    services.complaint_assign(complaint=complaint, actor=request.user, handler=request.user)
    messages.success(request, _("The complaint is yours now."))
    return redirect("complaints:complaint_detail", pk=complaint.pk)


TRANSITION_SERVICES = {
    "start": services.complaint_start,
    "close": services.complaint_close,
    "reopen": services.complaint_reopen,
}


@require_POST
@role_required(*WORKERS)
def complaint_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Start, close or reopen (resolving has its own form)."""
    if action not in TRANSITION_SERVICES:
        raise Http404
    complaint = _get_workable_complaint(request, pk)
    try:
        TRANSITION_SERVICES[action](complaint=complaint, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("complaints:complaint_detail", pk=complaint.pk)


@role_required(*WORKERS)
def complaint_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_workable_complaint(request, pk)
    if not complaint.is_open:
        messages.info(request, _("This complaint is already resolved."))
        return redirect("complaints:complaint_detail", pk=complaint.pk)
    initial = {
        "root_cause": complaint.root_cause,
        "cause_note": complaint.cause_note,
        "five_whys": complaint.five_whys,
        "resolution": complaint.resolution,
        "lesson_learned": complaint.lesson_learned,
    }
    form = ResolveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_resolve(complaint=complaint, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Complaint #%(number)s is resolved.") % {"number": complaint.pk})
            return redirect("complaints:complaint_detail", pk=complaint.pk)
    return render(request, "complaints/complaint_resolve.html", {"form": form, "complaint": complaint})


@require_POST
@role_required(*WORKERS)
def complaint_satisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get_workable_complaint(request, pk)
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the answers."))
        return redirect("complaints:complaint_detail", pk=complaint.pk)
    try:
        services.complaint_record_satisfaction(
            complaint=complaint,
            actor=request.user,
            customer_satisfied=form.cleaned_data["customer_satisfied"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("complaints:complaint_detail", pk=complaint.pk)


@role_required(MANAGER)
def analysis(request: HttpRequest) -> HttpResponse:
    form = AnalysisForm(request.GET or None, initial=AnalysisForm.default_period())
    start, end, department = form.period()
    figures = selectors.complaint_analysis(
        start=start, end=end, department_id=department.pk if department else None
    )
    checks = figures.bands
    band_figures = [(c.band.key, c.count, c.share) for c in checks]
    context = {
        "form": form,
        "start": start,
        "end": end,
        "department": department,
        "figures": figures,
        "summary": figures.summary,
        "checks": checks,
        "bands_chart": cached_data_uri("bands", band_figures, lambda: charts.root_cause_bands(checks))
        if figures.cause_total
        else None,
        "months_chart": cached_data_uri(
            "months", figures.by_month, lambda: charts.monthly_counts(figures.by_month)
        )
        if figures.by_month
        else None,
    }
    return render(request, "complaints/analysis.html", context)


@role_required(MANAGER)
def action_list(request: HttpRequest) -> HttpResponse:
    status = choice_param(request, "status", ["open", "", *ActionStatus.values], default="open")
    page = selectors.corrective_action_page(
        status=status, number=int_param(request, "page", default=1), size=PAGE_SIZE
    )
    return render(
        request,
        "complaints/action_list.html",
        {
            "page": page,
            "rows": list_rows.action_rows(page.object_list, today=timezone.localdate()),
            "status": status,
        },
    )


@role_required(MANAGER)
def action_create(request: HttpRequest) -> HttpResponse:
    initial = {"due_on": timezone.localdate() + datetime.timedelta(days=30), "owner": request.user.pk}
    if (complaint_number := int_param(request, "complaint")) is not None:
        initial["complaint_numbers"] = str(complaint_number)
    form = CorrectiveActionForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = services.corrective_action_create(
            created_by=request.user,
            kind=data["kind"],
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            complaints=data["complaint_numbers"],
            standard=data["standard"],
            course=data["course"],
        )
        messages.success(request, _("Corrective action created."))
        return redirect("complaints:action_detail", pk=action.pk)
    return render(request, "complaints/action_form.html", {"form": form, "action": None})


@role_required(MANAGER)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get_action(pk)
    edit_form = CorrectiveActionForm(
        request.POST if request.POST.get("form") == "edit" else None,
        initial={
            "description": action.description,
            "owner": action.owner_id,
            "due_on": action.due_on,
            "status": action.status,
        },
        user=request.user,
        editing=True,
    )
    close_form = ActionCloseForm(request.POST if request.POST.get("form") == "close" else None)
    if request.method == "POST" and action.is_open:
        if edit_form.is_bound and edit_form.is_valid():
            data = edit_form.cleaned_data
            services.corrective_action_update(
                action=action,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                status=data["status"],
            )
            messages.success(request, _("Saved."))
            return redirect("complaints:action_detail", pk=action.pk)
        if close_form.is_bound and close_form.is_valid():
            services.corrective_action_complete(
                action=action,
                effectiveness_note=close_form.cleaned_data["effectiveness_note"],
                cancelled=close_form.cleaned_data["outcome"] == "cancelled",
            )
            messages.success(request, _("Corrective action closed."))
            return redirect("complaints:action_detail", pk=action.pk)
    return render(
        request,
        "complaints/action_detail.html",
        {
            "action": action,
            "edit_form": edit_form,
            "close_form": close_form,
            "today": timezone.localdate(),
            # Drafts and versions are edited by managers (standards' own pages).
            "can_edit_standards": has_role(request.user, MANAGER),
        },
    )


@role_required(*WORKERS)
def complaint_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV (streamed, every row) or XLSX (first 100 000 rows)."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    form = ComplaintFilterForm(request.GET or None)
    rows = importing.export_rows(
        selectors.complaint_list(user=request.user, filters=form.filters(request.user))
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(importing.csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            importing.xlsx_bytes(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = exports.attachment(f"complaints-{stamp}.{fmt}")
    return response


@role_required(MANAGER)
def complaint_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = importing.complaints_import(
                data=form.cleaned_data["file"].read(), imported_by=request.user
            )
        except ImportAlreadyRunning:
            form.add_error(None, already_importing_message())
        if report is not None and report.ok:
            messages.success(
                request,
                _("%(created)s complaints imported, %(skipped)s already in the log.")
                % {"created": report.created, "skipped": report.skipped},
            )
            return redirect("complaints:complaint_list")
    return render(
        request,
        "complaints/complaint_import.html",
        {"form": form, "report": report, "columns": importing.COLUMNS},
    )
