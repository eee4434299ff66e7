"""Pages of the standards library: the manager's library and editor, staff's "My standards"."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import exports
from common.query_params import flag_param, int_param, text_param
from common.row_links import url_for_id
from people.roles import MANAGER, has_role, role_required
from people.selectors import employee_for_user
from standards import selectors, services
from standards.diff import version_diff
from standards.forms import (
    AcknowledgeForm,
    ComplianceCheckForm,
    DraftForm,
    FlagForm,
    KnowledgeCheckForm,
    LibraryFilterForm,
    PublishForm,
    ResolveFlagForm,
    ReviewForm,
    StandardForm,
    StepFormSet,
    format_knowledge_check,
    steps_from_formset,
)
from standards.models import (
    Category,
    Standard,
    StandardStatus,
    StandardStep,
    StandardVersion,
    StepFlag,
    VersionStatus,
)

# --- access helpers -----------------------------------------------------------------


def _get_standard(pk: int) -> Standard:
    return get_object_or_404(
        Standard.objects.select_related("owner", "review_delegate", "current_version").prefetch_related(
            "departments", "positions"
        ),
        pk=pk,
    )


def _get_version(pk: int) -> StandardVersion:
    try:
        return selectors.version_with_content(pk)
    except StandardVersion.DoesNotExist:
        raise Http404


def _get_draft(pk: int) -> StandardVersion:
    version = _get_version(pk)
    if version.status != VersionStatus.DRAFT:
        raise Http404(_("This version is published; start a new draft to change it."))
    return version


def _get_published_standard(pk: int) -> Standard:
    standard = _get_standard(pk)
    if standard.status != StandardStatus.PUBLISHED or standard.current_version_id is None:
        raise Http404
    return standard


def _get_flaggable_step(request: HttpRequest, pk: int) -> StandardStep:
    """A step the user may flag: managers any, others only a published version's
    (a draft's wording is the editors' until it is published)."""
    step = get_object_or_404(StandardStep.objects.select_related("version__standard"), pk=pk)
    if step.version.status != VersionStatus.PUBLISHED and not has_role(request.user, MANAGER):
        raise Http404
    return step


def _employee_or_403(request: HttpRequest):
    employee = employee_for_user(request.user)
    if employee is None:
        raise PermissionDenied(_("Your account has no employee profile."))
    return employee


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- manager: library and standards ---------------------------------------------------


@role_required(MANAGER)
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    department = filters.get("department")
    standards = selectors.library_list(
        search=filters.get("q", ""),
        department_id=department.pk if department else None,
        category=filters.get("category", ""),
        status=filters.get("status", ""),
        stale=filters.get("stale", False),
        # With a search the best matches come first unless another order is chosen.
        sort=filters.get("sort") or ("relevance" if filters.get("q") else "code"),
    )
    page = Paginator(standards, 50).get_page(int_param(request, "page", default=1))
    coverage = selectors.acknowledgement_coverage_by_standard(
        [s for s in page.object_list if s.status == StandardStatus.PUBLISHED]
    )
    detail_url = url_for_id("standards:standard_detail")
    categories = dict(Category.choices)
    rows = [
        (
            standard,
            coverage.get(standard.pk),
            detail_url(standard.pk),
            categories.get(standard.category, standard.category),
        )
        for standard in page.object_list
    ]
    return render(
        request,
        "standards/library.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "search": filters.get("q", ""),
        },
    )


@role_required(MANAGER)
def standard_create(request: HttpRequest) -> HttpResponse:
    form = StandardForm(request.POST or None, initial={"owner": request.user, "review_interval_months": 12})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        standard = services.standard_create(
            code=data["code"],
            title=data["title"],
            category=data["category"],
            owner=data["owner"],
            actor=request.user,
            applies_to_all_customer_facing=data["applies_to_all_customer_facing"],
            departments=data["departments"],
            positions=data["positions"],
            review_interval_months=data["review_interval_months"],
            review_delegate=data["review_delegate"],
        )
        messages.success(
            request, _("%(code)s was created. Write its first version.") % {"code": standard.code}
        )
        return redirect("standards:draft_edit", pk=standard.versions.get().pk)
    return render(request, "standards/standard_form.html", {"form": form, "standard": None})


@role_required(MANAGER)
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_standard(pk)
    form = StandardForm(request.POST or None, instance=standard)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The form only validated: the service writes (and audits).
        standard.refresh_from_db()
        services.standard_update(
            standard=standard,
            actor=request.user,
            title=data["title"],
            category=data["category"],
            owner=data["owner"],
            applies_to_all_customer_facing=data["applies_to_all_customer_facing"],
            departments=data["departments"],
            positions=data["positions"],
            review_interval_months=data["review_interval_months"],
            review_delegate=data["review_delegate"],
        )
        messages.success(request, _("The details of %(code)s were saved.") % {"code": standard.code})
        return redirect("standards:standard_detail", pk=standard.pk)
    return render(request, "standards/standard_form.html", {"form": form, "standard": standard})


@role_required(MANAGER)
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_standard(pk)
    versions = list(selectors.standard_versions(standard))
    current = (
        selectors.version_with_content(standard.current_version_id) if standard.current_version_id else None
    )
    previous = next((v for v in versions if v.is_published and v.pk != standard.current_version_id), None)
    return render(
        request,
        "standards/standard_detail.html",
        {
            "standard": standard,
            "current": current,
            "versions": versions,
            "draft": next((v for v in versions if v.status == VersionStatus.DRAFT), None),
            "previous": previous,
            "coverage": selectors.standard_coverage(standard),
            "missing": selectors.standard_audience_status(standard, only_missing=True)[:10],
            "compliance": selectors.compliance_by_month(standard=standard),
            "latest_checks": selectors.latest_compliance_checks(standard=standard, limit=10),
            "reviews": standard.reviews.select_related("reviewer")[:5],
            "can_review": services.can_review(request.user, standard),
            "today": timezone.localdate(),
        },
    )


@role_required(MANAGER)
@require_POST
def standard_retire(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_standard(pk)
    services.standard_retire(standard=standard, actor=request.user)
    messages.success(
        request,
        _("%(code)s was retired. Its history is kept; “Reinstate” brings it back.") % {"code": standard.code},
    )
    return redirect("standards:standard_detail", pk=standard.pk)


@role_required(MANAGER)
@require_POST
def standard_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_standard(pk)
    services.standard_reinstate(standard=standard, actor=request.user)
    messages.success(request, _("%(code)s applies again.") % {"code": standard.code})
    return redirect("standards:standard_detail", pk=standard.pk)


@role_required(MANAGER)
def standard_history(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_standard(pk)
    page = Paginator(selectors.audit_trail(standard), 50).get_page(int_param(request, "page", default=1))
    return render(request, "standards/standard_history.html", {"standard": standard, "page": page})


@role_required()
def standard_print(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_published_standard(pk)
    version = selectors.version_with_content(standard.current_version_id)
    return render(request, "standards/standard_print.html", {"standard": standard, "version": version})


# --- manager: versions -------------------------------------------------------------------


@role_required(MANAGER)
@require_POST
def draft_start(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_standard(pk)
    if standard.status == StandardStatus.RETIRED:
        messages.error(request, _("A retired standard cannot get a new version."))
        return redirect("standards:standard_detail", pk=standard.pk)
    draft = services.standard_version_start_draft(standard=standard, author=request.user)
    return redirect("standards:draft_edit", pk=draft.pk)


@role_required(MANAGER)
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get_draft(pk)
    initial_steps = [{"text": s.text, "customer_benefit": s.customer_benefit} for s in version.steps.all()]
    form = DraftForm(
        request.POST or None,
        initial={
            "body": version.body,
            "change_summary": version.change_summary,
            "knowledge_check": format_knowledge_check(version),
            "pass_mark_percent": version.pass_mark_percent,
        },
    )
    formset = StepFormSet(request.POST or None, initial=initial_steps, prefix="steps")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.standard_draft_update(
                version=version,
                actor=request.user,
                body=data["body"],
                change_summary=data["change_summary"],
                steps=steps_from_formset(formset),
                questions=data["knowledge_check"],
                pass_mark_percent=data["pass_mark_percent"],
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The draft was saved."))
            if "publish" in request.POST:
                return redirect("standards:draft_publish", pk=version.pk)
            return redirect("standards:draft_edit", pk=version.pk)
    return render(
        request,
        "standards/draft_edit.html",
        {"version": version, "standard": version.standard, "form": form, "formset": formset},
    )


@role_required(MANAGER)
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get_draft(pk)
    standard = version.standard
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.standard_version_publish(
                version=version,
                publisher=request.user,
                checklist=form.checklist(),
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(
                request,
                _("Version %(label)s of %(code)s is published.")
                % {"label": published.label, "code": standard.code},
            )
            return redirect("standards:standard_detail", pk=standard.pk)
    current = standard.current_version
    return render(
        request,
        "standards/draft_publish.html",
        {
            "version": version,
            "standard": standard,
            "form": form,
            "diff": version_diff(current, version) if current else None,
        },
    )


@role_required(MANAGER)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get_version(pk)
    return render(
        request, "standards/version_detail.html", {"version": version, "standard": version.standard}
    )


@role_required(MANAGER)
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_standard(pk)
    versions = list(selectors.standard_versions(standard))
    by_pk = {str(v.pk): v for v in versions}
    published = [v for v in versions if v.is_published]
    default_new = published[0] if published else (versions[0] if versions else None)
    default_old = published[1] if len(published) > 1 else default_new
    old = by_pk.get(text_param(request, "old"), default_old)
    new = by_pk.get(text_param(request, "new"), default_new)
    diff = version_diff(old, new) if old and new else None
    return render(
        request,
        "standards/version_compare.html",
        {"standard": standard, "versions": versions, "old": old, "new": new, "diff": diff},
    )


@role_required(MANAGER)
def standard_review(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_published_standard(pk)
    if not services.can_review(request.user, standard):
        messages.error(request, _("Only the owner or their delegate may review this standard."))
        return redirect("standards:standard_detail", pk=standard.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_review_record(
                standard=standard,
                reviewer=request.user,
                note=form.cleaned_data["note"],
                checklist=form.checklist(),
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(
                request, _("Recorded: %(code)s reviewed, still current.") % {"code": standard.code}
            )
            return redirect("standards:standard_detail", pk=standard.pk)
    return render(
        request,
        "standards/standard_review.html",
        {
            "standard": standard,
            "version": selectors.version_with_content(standard.current_version_id),
            "form": form,
        },
    )


# --- manager: coverage ----------------------------------------------------------------


@role_required(MANAGER)
def standard_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_published_standard(pk)
    only_missing = flag_param(request, "missing")
    people = selectors.standard_audience_status(standard, only_missing=only_missing)
    page = Paginator(people, 100).get_page(int_param(request, "page", default=1))
    rows = list(selectors.with_acknowledgement_deadlines(page.object_list, standard.current_version))
    return render(
        request,
        "standards/standard_coverage.html",
        {
            "standard": standard,
            "coverage": selectors.standard_coverage(standard),
            "page": page,
            "rows": rows,
            "only_missing": only_missing,
        },
    )


@role_required(MANAGER)
def standard_coverage_csv(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_published_standard(pk)
    version = standard.current_version
    today = timezone.localdate()
    header = [
        _("Employee"),
        _("Department"),
        _("Position"),
        _("Version"),
        _("Acknowledged at"),
        _("Deadline"),
        _("Overdue"),
    ]
    people = selectors.standard_audience_status(standard).iterator(chunk_size=2000)
    statuses = selectors.with_acknowledgement_deadlines(people, version, today=today)
    rows = (
        [
            employee.full_name,
            employee.department.name if employee.department else "",
            employee.position.name if employee.position else "",
            version.label,
            employee.acknowledged_at.isoformat() if employee.acknowledged_at else "",
            deadline.isoformat(),
            _("yes") if overdue else "",
        ]
        for employee, deadline, overdue in statuses
    )
    response = HttpResponse(exports.csv_bytes([header, *rows]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = exports.attachment(f"{standard.code}-coverage-{today}.csv")
    return response


# Standards per page of the coverage page: the library grows, the page does not.
COVERAGE_PAGE_SIZE = 50


@role_required(MANAGER)
def coverage(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_standards().order_by("code"), COVERAGE_PAGE_SIZE).get_page(
        int_param(request, "page", default=1)
    )
    standards = list(page.object_list)
    by_standard = selectors.acknowledgement_coverage_by_standard(standards)
    return render(
        request,
        "standards/coverage.html",
        {
            "overall": selectors.acknowledgement_coverage(),
            "departments": selectors.acknowledgement_coverage_by_department(),
            "standards": [(s, by_standard[s.pk]) for s in standards],
            "page": page,
            "stale_count": selectors.stale_standard_count(),
        },
    )


# --- anti-standard flags ------------------------------------------------------------------


@role_required()
def step_flag(request: HttpRequest, pk: int) -> HttpResponse:
    step = _get_flaggable_step(request, pk)
    standard = step.version.standard
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.step_flag_create(step=step, user=request.user, note=form.cleaned_data["note"])
        messages.success(
            request, _("Thank you: the owner of %(code)s will look at this step.") % {"code": standard.code}
        )
        if standard.current_version_id == step.version_id and standard.status == StandardStatus.PUBLISHED:
            return redirect("standards:read", pk=standard.pk)
        return redirect("standards:my_standards")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "standards/step_flag.html", {"step": step, "standard": standard, "form": form}, status=status
    )


@role_required(MANAGER)
def flags(request: HttpRequest) -> HttpResponse:
    mine = not flag_param(request, "all")
    flagged = selectors.flagged_steps_for_owner(request.user) if mine else selectors.open_step_flags()
    page = Paginator(flagged, 50).get_page(int_param(request, "page", default=1))
    return render(request, "standards/flags.html", {"page": page, "mine": mine, "form": ResolveFlagForm()})


@role_required(MANAGER)
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(StepFlag.objects.select_related("step__version__standard"), pk=pk)
    form = ResolveFlagForm(request.POST)
    if form.is_valid():
        services.step_flag_resolve(flag=flag, user=request.user, resolution=form.cleaned_data["resolution"])
        messages.success(request, _("The flag was resolved."))
    else:
        messages.error(request, _("Say how the flag was resolved."))
    return redirect("standards:flags")


# --- manager: compliance ----------------------------------------------------------------


@role_required(MANAGER)
def compliance_check_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_published_standard(pk)
    steps = standard.current_version.steps.order_by("order")
    employees = selectors.employees_affected_by(standard).select_related("user")
    form = ComplianceCheckForm(
        request.POST or None,
        employees=employees,
        steps=steps,
        initial={"observed_on": timezone.localdate(), "employee": int_param(request, "employee")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.compliance_check_record(
                standard=standard,
                employee=form.cleaned_data["employee"],
                observer=request.user,
                observations=form.observations(),
                observed_on=form.cleaned_data["observed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The observation was recorded."))
            return redirect("standards:standard_detail", pk=standard.pk)
    return render(request, "standards/compliance_check_form.html", {"standard": standard, "form": form})


@role_required(MANAGER)
def compliance(request: HttpRequest) -> HttpResponse:
    since = timezone.localdate() - datetime.timedelta(days=365)
    return render(
        request,
        "standards/compliance.html",
        {
            "by_standard": selectors.compliance_by_standard(since=since),
            "by_department": selectors.compliance_by_department(since=since),
            "by_employee": selectors.compliance_by_employee(since=since)[:50],
            "by_month": selectors.compliance_by_month(),
            "latest": selectors.latest_compliance_checks(limit=25),
            "since": since,
        },
    )


# --- staff: my standards, reading, knowledge check, acknowledgement ---------------------------


MY_STANDARDS_PER_PAGE = 50


@role_required()
def my_standards(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    search = text_param(request, "q", max_length=200)
    rows = selectors.my_standards(employee, search=search) if employee else []
    # Most urgent first, so the first page holds what is still to sign; the rest pages on.
    page = Paginator(rows, MY_STANDARDS_PER_PAGE).get_page(int_param(request, "page", default=1))
    read_url = url_for_id("standards:read")
    return render(
        request,
        "standards/my_standards.html",
        {
            "rows": [(row, read_url(row.standard.pk)) for row in page.object_list],
            "page": page,
            "pending": sum(row.is_pending for row in rows),
            "overdue": sum(row.status == selectors.MyStatus.OVERDUE for row in rows),
            "employee": employee,
            "search": search,
        },
    )


def _reading_context(request: HttpRequest, standard: Standard, employee, form=None) -> dict:
    version = selectors.version_with_content(standard.current_version_id)
    applies = (
        employee is not None and selectors.standards_applying_to(employee).filter(pk=standard.pk).exists()
    )
    acknowledgement = selectors.acknowledgement_of(employee, version) if employee else None
    previous = (
        selectors.last_acknowledged_version(employee, standard) if employee and not acknowledgement else None
    )
    has_check = bool(version.questions.all())
    passed = (
        has_check and employee is not None and selectors.passed_knowledge_check(employee, version) is not None
    )
    statement = services.acknowledgement_meaning(
        version=version, printed_name=employee.full_name if employee else request.user.username
    )
    if form is None and applies and not acknowledgement:
        form = AcknowledgeForm(request=request, statement=statement, full_name=employee.full_name)
    return {
        "standard": standard,
        "version": version,
        "applies": applies,
        "acknowledgement": acknowledgement,
        "changes": version_diff(previous, version) if previous else None,
        "previous": previous,
        "has_check": has_check,
        "check_passed": passed,
        "form": form,
        "deadline": selectors.acknowledgement_deadline_for(employee, version) if applies else None,
    }


@role_required()
def read(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _get_published_standard(pk)
    employee = employee_for_user(request.user)
    return render(request, "standards/read.html", _reading_context(request, standard, employee))


@role_required()
def knowledge_check(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(
        StandardVersion.objects.select_related("standard").prefetch_related(Prefetch("questions__choices")),
        pk=pk,
        status=VersionStatus.PUBLISHED,
    )
    employee = _employee_or_403(request)
    if version.standard.current_version_id != version.pk:
        messages.error(request, _("This version has been replaced; take the check of the current one."))
        return redirect("standards:read", pk=version.standard_id)
    form = KnowledgeCheckForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        attempt = services.knowledge_check_submit(employee=employee, version=version, answers=form.answers())
        if attempt.passed:
            messages.success(
                request, _("You passed with %(score)s %%. Now sign below.") % {"score": attempt.score_percent}
            )
        else:
            wrong = "; ".join(f"«{text}»" for text in selectors.questions_answered_wrong(attempt))
            messages.error(
                request,
                _(
                    "You scored %(score)s %%; %(mark)s %% is needed. Not right yet: %(questions)s. "
                    "Read the standard again and retry."
                )
                % {"score": attempt.score_percent, "mark": version.pass_mark_percent, "questions": wrong},
            )
            return redirect("standards:knowledge_check", pk=version.pk)
        return redirect("standards:read", pk=version.standard_id)
    return render(
        request,
        "standards/knowledge_check.html",
        {"version": version, "standard": version.standard, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@role_required()
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(StandardVersion.objects.select_related("standard"), pk=pk)
    employee = _employee_or_403(request)
    standard = version.standard
    form = AcknowledgeForm(
        request.POST,
        request=request,
        statement=services.acknowledgement_meaning(version=version, printed_name=employee.full_name),
        full_name=employee.full_name,
    )
    if form.is_valid():
        try:
            services.acknowledgement_record(
                employee=employee,
                version=version,
                user=request.user,
                printed_name=form.cleaned_data["printed_name"],
            )
        except ValidationError as error:
            _report(request, error)
            return redirect("standards:read", pk=standard.pk)
        messages.success(
            request,
            _("You acknowledged version %(label)s of %(code)s.")
            % {"label": version.label, "code": standard.code},
        )
        return redirect("standards:my_standards")
    if standard.status != StandardStatus.PUBLISHED or standard.current_version_id is None:
        raise Http404
    context = _reading_context(request, _get_published_standard(standard.pk), employee, form=form)
    return render(request, "standards/read.html", context, status=400)
