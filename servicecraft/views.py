"""Pages of the organisation: home, health check, and the HR people pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors, services
from .forms import DeactivateForm, EmployeeForm, ThrottledPasswordResetForm
from .home import home_panels_for
from .lib.throttle import attempt_allowed, client_address
from .models import Employee
from .roles import ALL_ROLES, HR, MANAGER, role_required, user_roles


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "servicecraft/home.html", {"panels": home_panels_for(request.user)})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and the broker, when one is configured) answers, else 503."""
    checks = {"database": _database_reachable()}
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = _broker_reachable()
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )


def _database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_reachable(url: str | None = None) -> bool:
    from servicecraft.celery import app

    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def _get_employee(pk: int) -> Employee:
    return get_object_or_404(Employee.objects.select_related("user", "department", "position"), pk=pk)


@role_required(HR, MANAGER)
def employee_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    department = request.GET.get("department") or None
    include_left = request.GET.get("include_left") == "1"
    employees = selectors.employee_list(
        search=search,
        department_id=int(department) if department and department.isdigit() else None,
        include_left=include_left,
    )
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "servicecraft/employee_list.html",
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
        return redirect("servicecraft:employee_list")
    return render(request, "servicecraft/employee_form.html", {"form": form, "employee": None})


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
        update = services.employee_update(
            actor=request.user,
            employee=employee,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            department=data["department"],
            position=data["position"],
            hired_on=data["hired_on"],
            left_on=data["left_on"],
            customer_facing=data["customer_facing"],
            roles=data["roles"],
            language=data["language"],
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
        return redirect("servicecraft:employee_list")
    return render(
        request,
        "servicecraft/employee_form.html",
        {
            "form": form,
            "employee": employee,
            "account_events": selectors.account_events(user),
            "pending_email": services.pending_email_change(user),
        },
    )


@role_required(HR, MANAGER)
def employee_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _get_employee(pk)
    form = DeactivateForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.employee_deactivate(employee=employee, left_on=form.cleaned_data["left_on"])
        messages.success(
            request,
            _("%(name)s was deactivated; their history is kept.") % {"name": employee.full_name},
        )
        return redirect("servicecraft:employee_list")
    return render(request, "servicecraft/employee_deactivate.html", {"form": form, "employee": employee})


@role_required()
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from a new-address email: the account's owner, signed in, confirms with a POST
    (a mail scanner following the link changes nothing)."""
    try:
        change = services.email_change_from_token(token)
        if request.method == "POST":
            services.email_change_confirm(change=change, by=request.user)
            messages.success(request, _("Your email address is now %(email)s.") % {"email": change.new_email})
            return redirect("home")
        if change.user_id != request.user.pk:
            raise services.EmailChangeLinkError(
                _("This link is for another account: sign in as %(name)s to use it.")
                % {"name": change.user.get_username()}
            )
    except services.EmailChangeLinkError as problem:
        return render(
            request, "registration/email_change_confirm.html", {"problem": str(problem)}, status=400
        )
    return render(request, "registration/email_change_confirm.html", {"change": change})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per client address (a clear message) and per account
    (silently: the page is the same whether or not an account has that address)."""

    form_class = ThrottledPasswordResetForm

    def form_valid(self, form):
        limit = settings.SERVICECRAFT["PASSWORD_RESET_PER_ADDRESS_PER_HOUR"]
        if not attempt_allowed("password-reset-address", client_address(self.request), limit=limit):
            form.add_error(None, _("Too many reset requests from your network. Try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    """Sign out on POST, as Django requires; a GET (a typed or bookmarked link) gets a
    page with the sign-out button instead of a bare 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return render(request, "registration/logout_confirm.html")
