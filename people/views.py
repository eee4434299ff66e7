"""Pages of the organisation: home, health check, and the HR people pages."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.csv_import import ImportAlreadyRunning, already_importing_message
from common.programme import programme_setting
from common.query_params import flag_param, int_param, text_param
from common.throttle import attempt_allowed, client_address
from people import email_change, selectors, services
from people.context_processors import PROFILE_LANGUAGE_KEY
from people.employee_import import EMPLOYEE_COLUMNS
from people.forms import (
    EmployeeForm,
    EmployeeImportForm,
    HandoverForm,
    SignInForm,
    ThrottledPasswordResetForm,
)
from people.handover import handover_providers
from people.handover import outstanding as outstanding_holdings
from people.home import home_panels_for
from people.models import Employee
from people.roles import ALL_ROLES, HR, MANAGER, role_required, user_roles


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "people/home.html", {"panels": home_panels_for(request.user)})


def _get_employee(pk: int) -> Employee:
    return get_object_or_404(Employee.objects.select_related("user", "department", "position"), pk=pk)


@role_required(HR, MANAGER)
def employee_list(request: HttpRequest) -> HttpResponse:
    search = text_param(request, "q")
    department = int_param(request, "department")
    include_left = flag_param(request, "include_left")
    employees = selectors.employee_list(search=search, department_id=department, include_left=include_left)
    page = Paginator(employees, 50).get_page(int_param(request, "page", default=1))
    return render(
        request,
        "people/employee_list.html",
        {
            "page": page,
            "search": search,
            "department": department,
            "include_left": include_left,
            "departments": selectors.department_list(),
        },
    )


@role_required(HR, MANAGER)
def employee_create(request: HttpRequest) -> HttpResponse:
    form = EmployeeForm(
        request.POST or None,
        actor=request.user,
        initial={"hired_on": timezone.localdate(), "roles": ["Staff"], "customer_facing": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = services.employee_create(
            actor=request.user,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            department=data["department"],
            position=data["position"],
            new_position=data["new_position"],
            hired_on=data["hired_on"],
            customer_facing=data["customer_facing"],
            roles=data["roles"],
            language=data["language"],
        )
        messages.success(
            request,
            _("%(name)s was added. They set their password through “Forgot your password?”.")
            % {"name": employee.full_name},
        )
        return redirect("people:employee_list")
    return render(request, "people/employee_form.html", {"form": form, "employee": None})


@role_required(HR, MANAGER)
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _get_employee(pk)
    user = employee.user
    initial = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "department": employee.department_id,
        "position": employee.position_id,
        "hired_on": employee.hired_on,
        "left_on": employee.left_on,
        "customer_facing": employee.customer_facing,
        "roles": sorted(user_roles(user) & set(ALL_ROLES)) if not user.is_superuser else [],
        "language": employee.language,
    }
    form = EmployeeForm(request.POST or None, initial=initial, editing=employee, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = services.employee_update(
                actor=request.user,
                employee=employee,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                department=data["department"],
                position=data["position"],
                new_position=data["new_position"],
                hired_on=data["hired_on"],
                left_on=data["left_on"],
                customer_facing=data["customer_facing"],
                roles=data["roles"],
                language=data["language"],
            )
        except services.HandoverIncompleteError as error:
            form.add_error("left_on", error.messages)
            form.add_error(
                None,
                _("%(name)s still holds what must be handed over before they leave: use Deactivate.")
                % {"name": employee.full_name},
            )
            return render(
                request,
                "people/employee_form.html",
                {
                    "form": form,
                    "employee": employee,
                    "handover_url": reverse("people:employee_handover", args=[pk]),
                },
            )
        messages.success(request, _("%(name)s was updated.") % {"name": employee.full_name})
        if update.email_pending:
            messages.info(
                request,
                _(
                    "The email stays %(old)s until the new address %(new)s is confirmed: a link was sent "
                    "there, to be opened by %(name)s signed in, and the old address was told."
                )
                % {"old": user.email or "—", "new": update.email_pending, "name": employee.full_name},
            )
        return redirect("people:employee_list")
    return render(
        request,
        "people/employee_form.html",
        {
            "form": form,
            "employee": employee,
            "account_events": selectors.account_events(user),
            "pending_email": services.pending_email_change(user),
        },
    )


@role_required(HR, MANAGER)
def employee_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """The leaver's holdings handed over in bulk, then the deactivation (refused while
    anything is left without an active owner and not parked)."""
    return _handover_page(request, _get_employee(pk), deactivate=True)


@role_required(HR, MANAGER)
def employee_handover(request: HttpRequest, pk: int) -> HttpResponse:
    """What a person holds, handed over in bulk: before they leave, or after (the digest links here)."""
    return _handover_page(request, _get_employee(pk), deactivate=False)


def _handover_page(request: HttpRequest, employee: Employee, *, deactivate: bool) -> HttpResponse:
    holdings = selectors.holdings_of(employee.user)
    candidates = selectors.handover_candidates(exclude=employee.user)
    form = HandoverForm(
        request.POST or None,
        holdings=holdings,
        providers=handover_providers(),
        candidates=candidates,
        proposed=selectors.proposed_successor(employee, candidates),
        with_left_on=deactivate,
        initial={"left_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        leaving = deactivate and "save_only" not in request.POST
        try:
            result = services.employee_handover(
                employee=employee,
                actor=request.user,
                successors=data["successors"],
                parked=data["parked"],
                note=data["note"],
                deactivate_on=data["left_on"] if leaving else None,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            if result.deactivated:
                messages.success(
                    request,
                    _("%(name)s was deactivated; their history is kept.") % {"name": employee.full_name},
                )
                return redirect("people:employee_list")
            messages.success(
                request,
                _("Handed over: %(moved)s; parked: %(parked)s.")
                % {"moved": result.moved, "parked": result.parked},
            )
            return redirect(request.path)
    outstanding = outstanding_holdings(holdings)
    return render(
        request,
        "people/employee_deactivate.html" if deactivate else "people/employee_handover.html",
        {"form": form, "employee": employee, "holdings": holdings, "outstanding": outstanding},
    )


@role_required()
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from a new-address email: the account's owner, signed in, confirms with a POST
    (a mail scanner following the link changes nothing)."""
    try:
        change = email_change.email_change_from_token(token)
        if request.method == "POST":
            services.email_change_confirm(change=change, by=request.user)
            messages.success(request, _("Your email address is now %(email)s.") % {"email": change.new_email})
            return redirect("home")
        if change.user_id != request.user.pk:
            raise email_change.EmailChangeLinkError(
                _("This link is for another account: sign in as %(name)s to use it.")
                % {"name": change.user.get_username()}
            )
    except email_change.EmailChangeLinkError as problem:
        return render(
            request, "registration/email_change_confirm.html", {"problem": str(problem)}, status=400
        )
    return render(request, "registration/email_change_confirm.html", {"change": change})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per client address (a clear message) and per account
    (silently: the page is the same whether or not an account has that address)."""

    form_class = ThrottledPasswordResetForm

    def form_valid(self, form):
        limit = programme_setting("PASSWORD_RESET_PER_ADDRESS_PER_HOUR")
        if not attempt_allowed("password-reset-address", client_address(self.request), limit=limit):
            form.add_error(None, _("Too many reset requests from your network. Try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class SignInView(auth_views.LoginView):
    """Django's sign-in, after which the pages speak the person's own language (the one of
    their emails), whatever the browser chose before."""

    redirect_authenticated_user = True
    authentication_form = SignInForm

    def form_valid(self, form):
        response = super().form_valid(form)
        employee = selectors.employee_for_user(form.get_user())
        if employee is not None:
            self.request.session[PROFILE_LANGUAGE_KEY] = employee.language
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                employee.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


@require_POST
@role_required()
def language_save(request: HttpRequest) -> HttpResponse:
    """Keep the language the person switched to as theirs: for the pages after each sign-in
    and for their emails."""
    employee = selectors.employee_for_user(request.user)
    language = request.POST.get("language", "")
    if employee is None or language not in dict(settings.LANGUAGES):
        messages.error(request, _("This language cannot be saved for your account."))
    else:
        services.employee_language_set(employee=employee, language=language)
        request.session[PROFILE_LANGUAGE_KEY] = language
        with translation.override(language):
            messages.success(request, _("Saved: your pages and emails will be in this language."))
    return HttpResponseRedirect(_safe_next(request))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    # A path on this site only: never a view name to reverse, never another host.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


class SignOutView(auth_views.LogoutView):
    """Sign out on POST, as Django requires; a GET (a typed or bookmarked link) gets a
    page with the sign-out button instead of a bare 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return render(request, "registration/logout_confirm.html")


@role_required(HR, MANAGER)
def employee_import(request: HttpRequest) -> HttpResponse:
    """Upload HR's employee CSV: imported completely, or not at all with every problem listed."""
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="") as handle:
                result = services.employees_import(handle=handle, actor=request.user)
        except ImportAlreadyRunning:
            form.add_error(None, already_importing_message())
        if result is not None and result.ok and result.rows:
            messages.success(
                request,
                " ".join(
                    [
                        _("%(rows)s people imported: %(created)s new, %(updated)s updated.")
                        % {"rows": result.rows, "created": result.created, "updated": result.updated},
                        *result.notes,
                    ]
                ),
            )
            return redirect("people:employee_list")
    return render(
        request,
        "people/employee_import.html",
        {"form": form, "result": result, "columns": ",".join(EMPLOYEE_COLUMNS)},
    )
