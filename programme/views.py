"""Pages of the programme: the charter and its brainstorm (everyone), targets and progress,
the golden-rules review, the effectiveness checks and the quarterly review pack (managers;
an action's owner answers their own check)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.charts import svg_image_response
from common.programme import programme_setting
from common.query_params import int_param
from people.models import Department
from people.roles import MANAGER, has_role, role_required
from programme import charts, rules, selectors, services
from programme.figures import BY_KEY, FIGURES
from programme.forms import (
    CharterPublishForm,
    CheckConfirmForm,
    DecisionForm,
    EntryManageForm,
    EntryMergeForm,
    EntryProposeForm,
    GoldenRulesReviewForm,
    LeadForm,
    ReviewScopeForm,
    TargetForm,
)
from programme.models import CheckStatus, EntryKind, Target
from programme.prompts import BENEFIT_PROMPTS, FEAR_PROMPTS


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the charter -----------------------------------------------------------------------------


@role_required()
def charter(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programme/charter.html",
        {
            "revision": selectors.current_charter(),
            "figures": BY_KEY,
            "can_manage": has_role(request.user, MANAGER),
        },
    )


@role_required()
def charter_history(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/charter_history.html", {"revisions": selectors.charter_revisions()})


@role_required()
def charter_revision(request: HttpRequest, number: int) -> HttpResponse:
    revision = selectors.charter_revision(number)
    if revision is None:
        raise Http404
    return render(
        request,
        "programme/charter_revision.html",
        {"revision": revision, "figures": BY_KEY, "archived": True},
    )


@role_required()
def brainstorm(request: HttpRequest) -> HttpResponse:
    form = EntryProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.charter_entry_propose(
                author=request.user, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Thank you: your entry is in the brainstorm."))
            return redirect("programme:brainstorm")
    entries = list(selectors.brainstorm_entries(user=request.user))
    return render(
        request,
        "programme/brainstorm.html",
        {
            "form": form,
            "benefits": [entry for entry in entries if entry.kind == EntryKind.BENEFIT],
            "fears": [entry for entry in entries if entry.kind == EntryKind.FEAR],
            "benefit_prompts": BENEFIT_PROMPTS,
            "fear_prompts": FEAR_PROMPTS,
            "can_manage": has_role(request.user, MANAGER),
            "revision": selectors.current_charter(),
        },
    )


def _get_entry(pk: int):
    entry = selectors.charter_entry(pk)
    if entry is None:
        raise Http404
    return entry


@require_POST
@role_required()
def entry_support(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry(pk)
    if request.POST.get("withdraw"):
        services.charter_entry_withdraw_support(entry=entry, user=request.user)
        messages.info(request, _("Your support was withdrawn."))
    else:
        try:
            added = services.charter_entry_support(entry=entry, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if added:
                messages.success(request, _("You support this entry."))
            else:
                messages.info(request, _("You already support this entry: one support per person."))
    return redirect(f"{reverse('programme:brainstorm')}#entry-{entry.merged_into_id or entry.pk}")


@role_required(MANAGER)
def entry_manage(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry(pk)
    posted = request.POST.get("form")
    manage_form = EntryManageForm(
        request.POST if posted == "manage" else None,
        kind=entry.kind,
        initial={
            "in_charter": entry.in_charter,
            "answer": entry.answer,
            "answer_figure": entry.answer_figure,
        },
    )
    merge_form = EntryMergeForm(
        request.POST if posted == "merge" else None, targets=selectors.merge_targets(entry)
    )
    if request.method == "POST" and not entry.is_merged:
        try:
            if posted == "manage" and manage_form.is_valid():
                services.charter_entry_update(
                    entry=entry,
                    in_charter=manage_form.cleaned_data["in_charter"],
                    answer=manage_form.cleaned_data.get("answer", ""),
                    answer_figure=manage_form.cleaned_data.get("answer_figure", ""),
                )
                messages.success(request, _("Saved. Publish the charter when it is ready."))
                return redirect("programme:brainstorm")
            if posted == "merge" and merge_form.is_valid():
                target = services.charter_entries_merge(
                    source=entry, target=merge_form.cleaned_data["target"], actor=request.user
                )
                messages.success(request, _("Merged: its supporters now support the entry it joined."))
                return redirect(f"{reverse('programme:brainstorm')}#entry-{target.pk}")
        except ValidationError as error:
            _form_errors(merge_form if posted == "merge" else manage_form, error)
    return render(
        request,
        "programme/entry_manage.html",
        {"entry": entry, "manage_form": manage_form, "merge_form": merge_form},
    )


@role_required(MANAGER)
def charter_publish(request: HttpRequest) -> HttpResponse:
    form = CharterPublishForm(request.POST or None)
    current = selectors.current_charter()
    content = selectors.charter_content_now()
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.charter_publish(actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Revision %(number)s of the charter is published.") % {"number": revision.number}
            )
            return redirect("programme:charter")
    return render(
        request,
        "programme/charter_publish.html",
        {
            "form": form,
            "content": content,
            "current": current,
            "changes": services.charter_changes(current.content if current else None, content),
            "figures": BY_KEY,
        },
    )


# --- targets and progress -----------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    return int_param(request, "year", default=timezone.localdate().year, minimum=2000, maximum=2100)


# The programme page lists at most this many departments per target (off track, then at
# risk): its size must not grow with the company; the rest is on the target's own page.
OVERVIEW_DEPARTMENT_ROWS = 5
# A target's chart changes when the nightly actuals are recorded: browsers may reuse it briefly.
TREND_CHART_MAX_AGE_SECONDS = 300


@role_required(MANAGER)
def overview(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    today = timezone.localdate()
    progress = selectors.target_progress(year=year, today=today)
    return render(
        request,
        "programme/overview.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "progress": [
                (item, selectors.department_digest(item, limit=OVERVIEW_DEPARTMENT_ROWS)) for item in progress
            ],
            "counts": selectors.status_counts(progress),
            "missing_figures": [item for item in FIGURES if item.key not in {p.figure.key for p in progress}],
            "leads": selectors.programme_leads(),
            "recorded_at": selectors.actuals_recorded_at(),
            "status_months": programme_setting("PROGRAMME_TARGET_STATUS_MONTHS"),
            "margin": programme_setting("PROGRAMME_TARGET_AT_RISK_MARGIN"),
            "charter": selectors.current_charter(),
            "review_quarter": rules.Quarter.of(today).previous,
        },
    )


def _get_target_progress(pk: int) -> selectors.TargetProgress:
    progress = selectors.target_progress_of(pk, today=timezone.localdate())
    if progress is None:
        raise Http404(_("There is no such target."))
    return progress


@require_GET
@role_required(MANAGER)
def target_trend(request: HttpRequest, pk: int) -> HttpResponse:
    """The target's company figure by month against the target, as an SVG image (the
    programme page's ``<img>``)."""
    svg = charts.target_trend_svg(_get_target_progress(pk))
    return svg_image_response(svg, max_age_seconds=TREND_CHART_MAX_AGE_SECONDS)


@require_GET
@role_required(MANAGER)
def target_departments(request: HttpRequest, pk: int) -> HttpResponse:
    """Every department with its own value for the target, month by month."""
    return render(
        request,
        "programme/target_departments.html",
        {
            "item": _get_target_progress(pk),
            "status_months": programme_setting("PROGRAMME_TARGET_STATUS_MONTHS"),
        },
    )


def _target_form(request: HttpRequest, *, initial: dict) -> TargetForm:
    return TargetForm(request.POST or None, initial=initial, departments=Department.objects.order_by("name"))


def _save_target(request: HttpRequest, form: TargetForm, target: Target | None) -> HttpResponse | None:
    if not (request.method == "POST" and form.is_valid()):
        return None
    data = form.cleaned_data
    try:
        saved = services.target_save(
            actor=request.user,
            year=data["year"],
            figure=data["figure"],
            direction=data["direction"],
            value=data["value"],
            owner=data["owner"],
            note=data["note"],
            department_values=data["department_values"],
            target=target,
        )
    except ValidationError as error:
        _form_errors(form, error)
        return None
    messages.success(request, _("The target is saved."))
    return redirect(f"{reverse('programme:overview')}?year={saved.year}")


@role_required(MANAGER)
def target_create(request: HttpRequest) -> HttpResponse:
    figure = request.GET.get("figure", "")
    form = _target_form(
        request,
        initial={
            "year": _year(request),
            "owner": request.user.pk,
            "figure": figure if figure in BY_KEY else "",
        },
    )
    return _save_target(request, form, None) or render(
        request, "programme/target_form.html", {"form": form, "target": None, "figures": FIGURES}
    )


def _get_target(pk: int) -> Target:
    target = selectors.targets().filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


@role_required(MANAGER)
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _get_target(pk)
    form = _target_form(request, initial=TargetForm.initial_for(target))
    return _save_target(request, form, target) or render(
        request, "programme/target_form.html", {"form": form, "target": target, "figures": FIGURES}
    )


@require_POST
@role_required(MANAGER)
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = _get_target(pk)
    year = target.year
    services.target_delete(target=target)
    messages.success(request, _("The target is deleted."))
    return redirect(f"{reverse('programme:overview')}?year={year}")


@role_required(MANAGER)
def lead_appoint(request: HttpRequest) -> HttpResponse:
    form = LeadForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.programme_lead_appoint(
                user=form.cleaned_data["user"],
                actor=request.user,
                started_on=form.cleaned_data["started_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s leads the programme from %(date)s.")
                % {"name": lead.user.get_full_name() or lead.user.get_username(), "date": lead.started_on},
            )
            return redirect("programme:overview")
    return render(request, "programme/lead_form.html", {"form": form, "leads": selectors.programme_leads()})


# --- the golden rules -------------------------------------------------------------------------


def _grace() -> int:
    return int(programme_setting("PROGRAMME_REVIEW_GRACE_DAYS"))


@role_required(MANAGER)
def golden_rules(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    quarter = (
        rules.Quarter.parse(request.GET.get("quarter", ""))
        or rules.quarter_to_review(today, grace_days=_grace())
        or rules.Quarter.of(today)
    )
    scopes, history = selectors.golden_rules_history(today=today)
    due = rules.quarter_to_review(today, grace_days=_grace())
    return render(
        request,
        "programme/golden_rules.html",
        {
            "quarter": quarter,
            "reviews": selectors.golden_rules_reviews(quarter=quarter),
            "scopes": scopes,
            "history": history,
            "rules": selectors.RULES,
            "due_quarter": due,
            "due_on": rules.review_due_on(due, grace_days=_grace()) if due else None,
            "missing": selectors.managers_without_review(quarter=due) if due else [],
        },
    )


@role_required(MANAGER)
def golden_rules_review(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    quarters = rules.reviewable_quarters(today, grace_days=_grace())
    headed = Department.objects.filter(head=request.user).order_by("name").first()
    scope_form = ReviewScopeForm(request.GET or None, quarters=quarters)
    quarter = rules.quarter_to_review(today, grace_days=_grace()) or quarters[-1]
    department = headed
    if scope_form.is_valid():
        quarter = rules.Quarter.parse(scope_form.cleaned_data["quarter"]) or quarter
        if "department" in request.GET:
            department = scope_form.cleaned_data["department"]
    existing = selectors.golden_rules_review_of(
        reviewer=request.user, quarter=quarter, department_id=department.pk if department else None
    )
    initial = {"quarter": quarter.label, "department": department.pk if department else None}
    if existing:
        initial |= {rule: existing.score(rule) for rule in selectors.RULES} | {"comment": existing.comment}
    form = GoldenRulesReviewForm(request.POST or None, initial=initial, quarters=quarters)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.golden_rules_review_submit(
                reviewer=request.user,
                quarter=data["quarter"],
                department=data["department"],
                scores={rule: data[rule] for rule in selectors.RULES},
                comment=data["comment"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Your review of %(quarter)s is saved.") % {"quarter": data["quarter"]}
            )
            return redirect(f"{reverse('programme:golden_rules')}?quarter={data['quarter'].label}")
    evidence = selectors.golden_rules_evidence(
        quarter=quarter, department_id=department.pk if department else None
    )
    return render(
        request,
        "programme/golden_rules_review.html",
        {
            "form": form,
            "scope_form": ReviewScopeForm(initial=initial, quarters=quarters),
            "quarter": quarter,
            "department": department,
            "evidence": evidence,
            "existing": existing,
            "due_on": rules.review_due_on(quarter, grace_days=_grace()),
        },
    )


# --- did the action work? ------------------------------------------------------------------------


@role_required(MANAGER)
def checks(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in CheckStatus.values else ""
    return render(
        request,
        "programme/checks.html",
        {
            "checks": selectors.effectiveness_checks(status=status)[:200],
            "status": status,
            "statuses": CheckStatus,
        },
    )


@role_required()
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A check's result; its action's owner (or a manager) records whether it worked."""
    check = selectors.effectiveness_check(pk)
    if check is None:
        raise Http404
    if not (has_role(request.user, MANAGER) or check.action.owner_id == request.user.pk):
        raise PermissionDenied
    form = CheckConfirmForm(request.POST or None, initial=CheckConfirmForm.initial_for(check.action))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.effectiveness_check_confirm(
                check=check,
                actor=request.user,
                outcome=data["outcome"],
                comment=data["comment"],
                follow_up_description=data["follow_up_description"],
                follow_up_owner=data["follow_up_owner"],
                follow_up_due_on=data["follow_up_due_on"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if check.follow_up_action_id:
                messages.success(
                    request,
                    _("Recorded: not effective. The action is reopened as action #%(number)s.")
                    % {"number": check.follow_up_action_id},
                )
            else:
                messages.success(request, _("Recorded: the action worked."))
            return redirect("programme:check_detail", pk=check.pk)
    return render(request, "programme/check_detail.html", {"check": check, "form": form})


# --- the management review pack ---------------------------------------------------------------


@role_required(MANAGER)
def review_latest(request: HttpRequest) -> HttpResponse:
    quarter = rules.Quarter.of(timezone.localdate()).previous
    return redirect("programme:review_pack", quarter=quarter.label)


def _quarter(text: str) -> rules.Quarter:
    quarter = rules.Quarter.parse(text)
    if quarter is None or quarter.start > timezone.localdate():
        raise Http404
    return quarter


@role_required(MANAGER)
def review_pack(request: HttpRequest, quarter: str) -> HttpResponse:
    quarter = _quarter(quarter)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.management_decision_record(
                actor=request.user,
                quarter=quarter,
                text=data["text"],
                action_kind=data["kind"] if data["make_action"] else "",
                action_owner=data["owner"] if data["make_action"] else None,
                action_due_on=data["due_on"] if data["make_action"] else None,
                action_standard=data["standard"] if data["make_action"] else None,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if decision.action_id:
                messages.success(
                    request,
                    _("Decision recorded as corrective action #%(number)s.") % {"number": decision.action_id},
                )
            else:
                messages.success(request, _("Decision recorded."))
            return redirect("programme:review_pack", quarter=quarter.label)
    pack = selectors.review_pack(quarter=quarter)
    today = timezone.localdate()
    return render(
        request,
        "programme/review_pack.html",
        {
            "pack": pack,
            "form": form,
            "quarter": quarter,
            "previous": quarter.previous,
            "next": quarter.next if quarter.next.start <= today else None,
            "rules": selectors.RULES,
            "bands_chart": charts.bands_uri(pack.analysis),
        },
    )
