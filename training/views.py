"""Pages of the training app: my trainings, courses, sessions, attendance, the
calendar, the HR planner and the compliance views."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.query_params import clean_token, date_param, flag_param, int_param, parse_int, text_param
from common.row_links import url_for_id
from people.models import Department, Employee
from people.roles import HR, MANAGER, has_role, role_required
from people.selectors import department_list, employee_for_user
from training import ics, rules, selectors, services
from training.forms import (
    AttendanceForm,
    CourseForm,
    EnrolForm,
    PlannerActionForm,
    RespondForm,
    SessionForm,
)
from training.models import Course, Enrolment, Session, SessionStatus


def _get_session(pk: int) -> Session:
    return get_object_or_404(selectors.sessions_with_seats(), pk=pk)


# The calendar pages through dates within this many years of today; a date outside
# (0001-01-01, 9999-12-31) would overflow the date arithmetic of the month grid.
_CALENDAR_YEARS = 100
# Ids in a query string: what an integer column holds (common.query_params).
_MAX_ID = 2**31 - 1


def _calendar_anchor(request: HttpRequest) -> datetime.date:
    today = timezone.localdate()
    anchor = date_param(request, "date", default=today)
    return anchor if abs(anchor.year - today.year) <= _CALENDAR_YEARS else today


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- staff: my trainings ---------------------------------------------------------------


@role_required()
def my_trainings(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    context: dict = {"employee": employee}
    if employee is not None:
        upcoming, history = selectors.my_enrolments(employee)
        feed = services.calendar_feed_get_or_create(employee=employee)
        context.update(
            status=selectors.employee_training_status(employee),
            upcoming=upcoming,
            history=history,
            trained_sessions=selectors.sessions_trained_by(employee),
            conflicts={e.pk for e in selectors.booking_conflicts(employee_ids=[employee.pk])},
            feed_url=request.build_absolute_uri(reverse("training:feed", args=[feed.token])),
        )
    return render(request, "training/my_trainings.html", context)


@require_POST
@role_required()
def enrolment_respond(request: HttpRequest) -> HttpResponse:
    form = RespondForm(request.POST, employee=employee_for_user(request.user))
    if not form.is_valid():
        return HttpResponse(_("This invitation cannot be answered."), status=400)
    try:
        services.enrolment_respond(
            enrolment=form.cleaned_data["enrolment"], accept=form.cleaned_data["answer"] == "confirm"
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Thank you, your answer is recorded."))
    return redirect("training:my_trainings")


@require_POST
@role_required()
def feed_renew(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404
    services.calendar_feed_renew(employee=employee)
    messages.success(request, _("Your calendar address has changed; the old one no longer works."))
    return redirect("training:my_trainings")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal iCalendar feed: public, but only to whoever knows the secret address."""
    token = clean_token(token)
    calendar_feed = selectors.feed_for_token(token) if token else None
    if calendar_feed is None:
        raise Http404
    employee = calendar_feed.employee
    body = ics.feed_ics(
        selectors.feed_sessions(employee), name=_("Trainings of %(name)s") % {"name": employee}
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@role_required()
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_calendar_file(user=request.user, pk=pk)
    if session is None:
        raise Http404
    response = HttpResponse(ics.session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{session.pk}.ics"'
    return response


# --- courses ---------------------------------------------------------------------------------


@role_required(HR, MANAGER)
def course_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/course_list.html",
        {"courses": selectors.course_list().prefetch_related("standards")},
    )


@role_required(HR)
def course_create(request: HttpRequest) -> HttpResponse:
    return _course_form(request, None)


@role_required(HR)
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_form(request, get_object_or_404(Course, pk=pk))


def _course_form(request: HttpRequest, course: Course | None) -> HttpResponse:
    form = CourseForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        services.course_save(course=course, **form.cleaned_data)
        messages.success(request, _("The course is saved."))
        return redirect("training:course_list")
    return render(request, "training/course_form.html", {"form": form, "course": course})


# --- sessions --------------------------------------------------------------------------------


@role_required()
def calendar(request: HttpRequest) -> HttpResponse:
    """HR and managers see every session; a trainer sees the sessions they give."""
    trainer = None
    if not has_role(request.user, HR, MANAGER):
        trainer = employee_for_user(request.user)
        if not selectors.is_trainer(trainer):
            raise PermissionDenied
    view = selectors.calendar_view(
        anchor=_calendar_anchor(request), mode=text_param(request, "view", default="month"), trainer=trainer
    )
    return render(request, "training/calendar.html", {"calendar": view, "today": timezone.localdate()})


@role_required(HR)
def session_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.method == "GET":
        initial = {
            "course": int_param(request, "course", maximum=_MAX_ID),
            "employees": [pk for pk in request.GET.getlist("employees") if parse_int(pk, maximum=_MAX_ID)],
        }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "already_held"}
        employees = list(data.pop("employees") or [])
        try:
            session = services.session_create(**data, created_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session is planned."))
            if employees:
                _report_enrolment(
                    request,
                    services.session_enrol(session=session, employees=employees, enrolled_by=request.user),
                )
            return redirect("training:session_detail", pk=session.pk)
    picked = Employee.objects.filter(
        pk__in=[pk for pk in form["employees"].value() or [] if parse_int(str(pk), maximum=_MAX_ID)]
    )
    return render(
        request,
        "training/session_form.html",
        {"form": form, "session": None, "picked": picked.select_related("user")},
    )


@role_required(HR)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    form = SessionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"course", "already_held"}}
        try:
            services.session_update(session=session, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


@role_required(HR, MANAGER)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    enrolments = list(selectors.session_enrolments(session))
    conflicts = selectors.overlapping_bookings(
        session=session,
        employee_ids=[e.employee_id for e in enrolments if e.status in ("invited", "confirmed")],
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "enrolments": enrolments,
            "conflicts": conflicts,
            "free_seats": max(session.capacity - session.seats_taken, 0),
            "enrol_form": _enrol_form(request, session) if has_role(request.user, HR) else None,
            "invite_search": text_param(request, "q", max_length=100),
            "can_mark": session.status != SessionStatus.CANCELLED and session.starts_at <= timezone.now(),
        },
    )


def _enrol_form(request: HttpRequest, session: Session) -> EnrolForm:
    search = text_param(request, "q", max_length=100)
    return EnrolForm(session=session, shown=selectors.invite_choices(session, search=search))


@role_required(HR)
def session_invite_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The picker's list for a search (htmx); without JavaScript the page itself filters."""
    session = get_object_or_404(Session, pk=pk)
    return render(
        request,
        "training/snippets/invite_choices.html",
        {"enrol_form": _enrol_form(request, session), "session": session},
    )


@require_POST
@role_required(HR)
def session_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=pk)
    form = EnrolForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(
            request, " ".join(form.errors.get("employees", [_("Tick at least one person to invite.")]))
        )
        return redirect("training:session_detail", pk=session.pk)
    try:
        result = services.session_enrol(
            session=session, employees=form.cleaned_data["employees"], enrolled_by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        _report_enrolment(request, result)
    return redirect("training:session_detail", pk=session.pk)


def _report_enrolment(request: HttpRequest, result: services.EnrolmentResult) -> None:
    if result.enrolled:
        messages.success(
            request, _("Invited: %(names)s.") % {"names": ", ".join(e.full_name for e in result.enrolled)}
        )
    if result.already:
        messages.info(
            request,
            _("Already booked: %(names)s.") % {"names": ", ".join(e.full_name for e in result.already)},
        )
    if result.no_seat:
        messages.error(
            request,
            _("No seat left for: %(names)s. Plan another session for them.")
            % {"names": ", ".join(e.full_name for e in result.no_seat)},
        )
    if result.conflicts:
        names = {e.pk: e.full_name for e in result.enrolled}
        messages.warning(
            request,
            _("Overlapping bookings: %(list)s.")
            % {
                "list": "; ".join(
                    f"{names[pk]} ({', '.join(str(s) for s in sessions)})"
                    for pk, sessions in result.conflicts.items()
                )
            },
        )


@require_POST
@role_required(HR)
def enrolment_excuse(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("session", "employee__user"), pk=pk)
    try:
        services.enrolment_excuse(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(name)s is off the session.") % {"name": enrolment.employee.full_name})
    return redirect("training:session_detail", pk=enrolment.session_id)


@require_POST
@role_required(HR)
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=pk)
    if services.session_cancel(session=session):
        messages.success(request, _("The session is cancelled; everyone booked is told by email."))
    else:
        messages.info(request, _("The session was not planned any more."))
    return redirect("training:session_detail", pk=session.pk)


@role_required(HR)
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    enrolments = [
        e for e in selectors.session_enrolments(session) if e.status != "excused" or e.attendance_marked_at
    ]
    form = AttendanceForm(request.POST if request.method == "POST" else None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_mark_attendance(session=session, outcomes=form.outcomes())
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_attendance.html", {"session": session, "form": form})


@role_required(HR)
def conflicts(request: HttpRequest) -> HttpResponse:
    return render(request, "training/conflicts.html", {"conflicts": selectors.booking_conflicts()})


# --- HR planner ---------------------------------------------------------------------------


@role_required(HR)
def planner(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _planner_action(request)
    policy = rules.TrainingPolicy.from_settings()
    days = min(int_param(request, "days", default=policy.planner_days), 730)
    department = int_param(request, "department", maximum=_MAX_ID)
    include_booked = flag_param(request, "include_booked")
    plan = selectors.planner(
        days=days,
        department_ids=[department] if department else None,
        include_booked=include_booked,
        policy=policy,
        page=int_param(request, "page", default=1),
    )
    _planner_row_links(plan)
    return render(
        request,
        "training/planner.html",
        {
            "plan": plan,
            "page": plan.page,
            "days": days,
            "department": department,
            "include_booked": include_booked,
            "departments": department_list(),
            "action_form": PlannerActionForm(initial={"course": plan.suggested_course}),
        },
    )


def _planner_row_links(plan: selectors.Planner) -> None:
    """Give each planner row its links and the words of its count of changed standards."""
    record_url = url_for_id("training:employee_record")
    changes_url = url_for_id("training:planner_changes")
    for group in plan.groups:
        for standing in group.standings:
            pk = standing.employee.pk
            standing.record_url = record_url(pk)
            standing.changes_url = changes_url(pk)
            standing.changed_count = len(standing.standards_changed)
            standing.changed_label = ngettext("standard changed", "standards changed", standing.changed_count)


@role_required(HR)
def planner_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The standards changed since one planner row's person last trained: the list the
    planner only counts. htmx loads the list into the row; without JavaScript the row's
    link opens it as a page."""
    employee = get_object_or_404(Employee.objects.select_related("position"), pk=pk)
    context = {"employee": employee, "changed": selectors.planner_standards_changed(employee_id=employee.pk)}
    if request.headers.get("HX-Request"):
        return render(request, "training/snippets/planner_changes.html", context)
    return render(request, "training/planner_changes.html", context)


def _planner_action(request: HttpRequest) -> HttpResponse:
    form = PlannerActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the people to train, then choose a session or a course."))
        return redirect("training:planner")
    employees = list(form.cleaned_data["employees"])
    session = form.cleaned_data["session"]
    if session is not None:
        try:
            result = services.session_enrol(session=session, employees=employees, enrolled_by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("training:planner")
        _report_enrolment(request, result)
        return redirect("training:session_detail", pk=session.pk)
    query = [("employees", e.pk) for e in employees]
    if form.cleaned_data["course"] is not None:
        query.append(("course", form.cleaned_data["course"].pk))
    return redirect(f"{reverse('training:session_create')}?{urlencode(query)}")


# --- compliance ------------------------------------------------------------------------------


def _compliance_page(
    request: HttpRequest, *, title: str, department_ids: list[int] | None, show_departments: bool
) -> HttpResponse:
    needing = selectors.stored_needing_training(department_ids=department_ids)
    figures = selectors.stored_compliance(department_ids=department_ids, by_department=show_departments)
    page = Paginator(needing, 50).get_page(int_param(request, "page", default=1))
    record_url = url_for_id("training:employee_record")
    for standing in page.object_list:
        standing.record_url = record_url(standing.employee_id)
    return render(
        request,
        "training/compliance.html",
        {
            "title": title,
            "summary": figures.summary,
            "trend": selectors.compliance_trend(department_ids=department_ids),
            "departments": figures.departments,
            "page": page,
        },
    )


@role_required(HR, MANAGER)
def compliance(request: HttpRequest) -> HttpResponse:
    return _compliance_page(
        request, title=_("Training compliance"), department_ids=None, show_departments=True
    )


@role_required(HR, MANAGER)
def compliance_department(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department, pk=pk)
    return _compliance_page(
        request,
        title=_("Training compliance: %(department)s") % {"department": department},
        department_ids=[department.pk],
        show_departments=False,
    )


@role_required(MANAGER)
def compliance_team(request: HttpRequest) -> HttpResponse:
    department_ids = selectors.managed_department_ids(request.user)
    if not department_ids:
        messages.info(request, _("You head no department; here is the whole company."))
        return redirect("training:compliance")
    return _compliance_page(
        request,
        title=_("Training compliance of my departments"),
        department_ids=department_ids,
        show_departments=True,
    )


@role_required(HR, MANAGER)
def employee_record(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_object_or_404(Employee.objects.select_related("user", "department", "position"), pk=pk)
    upcoming, history = selectors.my_enrolments(employee)
    return render(
        request,
        "training/employee_record.html",
        {
            "employee": employee,
            "status": selectors.employee_training_status(employee),
            "upcoming": upcoming,
            "history": history,
        },
    )
