"""Assignment: the handler's email, the managers' email for a complaint without a handler, the
navbar count of complaints not opened yet, and "Assign to me"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.conversation.emails import ASSIGNED_EMAIL, UNASSIGNED_EMAIL
from complaints.conversation.selectors import unopened_complaint_count
from notifications.models import Notification
from tests.factories import ComplaintFactory, DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_it_emails_the_new_handler(django_capture_on_commit_callbacks):
    manager = UserFactory(roles=["Manager"])
    handler = UserFactory(roles=["Staff"])
    complaint = ComplaintFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(complaint=complaint, actor=manager, handler=handler)
    [email] = mail.outbox
    assert email.to == [handler.email]
    assert email.subject == f"Complaint #{complaint.pk} is assigned to you"


def test_it_emails_each_assignment_once_and_not_the_person_who_took_it(django_capture_on_commit_callbacks):
    manager = UserFactory(roles=["Manager"])
    handler = UserFactory(roles=["Staff"])
    complaint = ComplaintFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(complaint=complaint, actor=manager, handler=handler)
        services.complaint_assign(complaint=complaint, actor=manager, handler=handler)  # no change
        services.complaint_assign(complaint=complaint, actor=manager, handler=manager)  # took it
    assert [email.to for email in mail.outbox] == [[handler.email]]


def test_it_emails_the_handler_in_their_language(django_capture_on_commit_callbacks):
    handler = EmployeeFactory(roles=["Staff"], language="ru").user
    complaint = ComplaintFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(complaint=complaint, actor=UserFactory(roles=["Manager"]), handler=handler)
    [email] = mail.outbox
    assert email.subject == f"Жалоба №{complaint.pk} передана вам"


def test_it_tells_the_departments_managers_of_a_complaint_without_a_handler(
    django_capture_on_commit_callbacks,
):
    desk, other = DepartmentFactory(name="Front desk"), DepartmentFactory(name="Warehouse")
    head = EmployeeFactory(user__username="head", department=other)
    desk.head = head.user
    desk.save()
    EmployeeFactory(user__username="desk-manager", roles=["Manager"], department=desk)
    EmployeeFactory(user__username="other-manager", roles=["Manager"], department=other)
    clerk = EmployeeFactory(user__username="clerk", roles=["Staff"], department=desk)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_create(logged_by=clerk.user, summary="Queue", channel="in_person", department=desk)
    assert _recipients(UNASSIGNED_EMAIL) == {"desk-manager", "head"}
    assert len(mail.outbox) == 2


def test_it_tells_every_manager_when_the_department_has_none(django_capture_on_commit_callbacks):
    EmployeeFactory(user__username="m1", roles=["Manager"])
    EmployeeFactory(user__username="m2", roles=["Manager"])
    EmployeeFactory(user__username="off", roles=["Manager"], user__is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_create(logged_by=None, summary="Web form", channel="website")
    assert _recipients(UNASSIGNED_EMAIL) == {"m1", "m2"}


def test_it_does_not_tell_the_manager_who_logged_it(django_capture_on_commit_callbacks):
    desk = DepartmentFactory()
    logger = EmployeeFactory(user__username="logger", roles=["Manager"], department=desk)
    EmployeeFactory(user__username="colleague", roles=["Manager"], department=desk)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_create(logged_by=logger.user, summary="Queue", channel="phone", department=desk)
    assert _recipients(UNASSIGNED_EMAIL) == {"colleague"}


def test_it_tells_the_handler_not_the_managers_of_a_complaint_logged_with_one(
    django_capture_on_commit_callbacks,
):
    EmployeeFactory(roles=["Manager"])
    handler = UserFactory(username="handler", roles=["Staff"])
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_create(logged_by=None, handler=handler, summary="Noise", channel="phone")
    assert _recipients(ASSIGNED_EMAIL) == {"handler"}
    assert _recipients(UNASSIGNED_EMAIL) == set()


def test_it_counts_complaints_given_and_not_opened_until_the_handler_opens_them():
    handler = EmployeeFactory(roles=["Staff"]).user
    manager = UserFactory(roles=["Manager"])
    first, second = ComplaintFactory(), ComplaintFactory()
    for complaint in (first, second):
        services.complaint_assign(complaint=complaint, actor=manager, handler=handler)
    assert unopened_complaint_count(handler) == 2

    client = _client(handler)
    assert client.get(reverse("complaints:complaint_detail", args=[first.pk])).status_code == 200
    assert unopened_complaint_count(handler) == 1
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="unopened-complaints">1<' in page


def test_it_leaves_the_count_alone_when_someone_else_opens_the_page():
    handler = EmployeeFactory(roles=["Staff"]).user
    manager = UserFactory(roles=["Manager"])
    complaint = ComplaintFactory()
    services.complaint_assign(complaint=complaint, actor=manager, handler=handler)
    _client(manager).get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert unopened_complaint_count(handler) == 1


def test_it_counts_neither_closed_complaints_nor_those_taken_by_oneself():
    handler = EmployeeFactory(roles=["Manager"]).user
    services.complaint_assign(complaint=ComplaintFactory(), actor=handler, handler=handler)
    services.complaint_assign(
        complaint=ComplaintFactory(status="closed", root_cause="people"),
        actor=UserFactory(roles=["Manager"]),
        handler=handler,
    )
    assert unopened_complaint_count(handler) == 0
    assert 'data-testid="unopened-complaints"' not in _client(handler).get(reverse("home")).content.decode()


@pytest.mark.parametrize("given", [1, 8])
def test_it_counts_in_one_query(given, django_assert_num_queries):
    handler = UserFactory(roles=["Staff"])
    manager = UserFactory(roles=["Manager"])
    for _ in range(given):
        services.complaint_assign(complaint=ComplaintFactory(), actor=manager, handler=handler)
    with django_assert_num_queries(1):
        assert unopened_complaint_count(handler) == given


def test_it_lets_staff_take_an_unassigned_complaint_of_their_department(django_capture_on_commit_callbacks):
    staff = EmployeeFactory(roles=["Staff"])
    complaint = ComplaintFactory(department=staff.department)
    response = _client(staff.user).post(reverse("complaints:complaint_take", args=[complaint.pk]))
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.handler == staff.user
    assert complaint.handler_opened_at is not None
    assert mail.outbox == []  # nobody is told what they took themselves


def test_it_refuses_staff_taking_a_complaint_someone_handles():
    staff = EmployeeFactory(roles=["Staff"])
    other = UserFactory(roles=["Staff"])
    complaint = ComplaintFactory(department=staff.department, handler=other)
    response = _client(staff.user).post(reverse("complaints:complaint_take", args=[complaint.pk]))
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.handler == other


def test_it_lets_a_manager_take_any_complaint():
    manager = EmployeeFactory(roles=["Manager"]).user
    complaint = ComplaintFactory(handler=UserFactory(roles=["Staff"]))
    page = _client(manager).get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="take"' in page
    _client(manager).post(reverse("complaints:complaint_take", args=[complaint.pk]))
    complaint.refresh_from_db()
    assert complaint.handler == manager


def test_it_hides_the_button_from_staff_when_the_complaint_has_a_handler():
    staff = EmployeeFactory(roles=["Staff"])
    complaint = ComplaintFactory(department=staff.department, handler=UserFactory(roles=["Staff"]))
    page = (
        _client(staff.user).get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    )
    assert 'data-testid="take"' not in page


def test_it_refuses_a_get_on_take():
    manager = EmployeeFactory(roles=["Manager"]).user
    complaint = ComplaintFactory()
    assert _client(manager).get(reverse("complaints:complaint_take", args=[complaint.pk])).status_code == 405
