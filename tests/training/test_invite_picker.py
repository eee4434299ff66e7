"""HR's invitation picker on a session: labelled, searchable, and offering only people who can attend."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.roles import HR, STAFF
from tests.factories import EmployeeFactory, EnrolmentFactory, SessionFactory
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def test_it_offers_only_people_who_can_attend(hr_client, hr_employee):
    trainer = EmployeeFactory(roles=[STAFF], user__first_name="Tina", user__last_name="Trainer")
    session = SessionFactory(trainer=trainer)
    booked = EmployeeFactory(roles=[STAFF], user__first_name="Boris", user__last_name="Booked")
    EnrolmentFactory(session=session, employee=booked)
    colleague_in_hr = EmployeeFactory(roles=[HR], user__first_name="Helga", user__last_name="Hr")
    free = EmployeeFactory(roles=[STAFF], user__first_name="Fiona", user__last_name="Free")

    page = hr_client.get(reverse("training:session_detail", args=[session.pk])).content.decode()

    assert "Fiona Free" in page
    for name in ("Tina Trainer", "Boris Booked", "Helga Hr", hr_employee.full_name):
        assert f">{name} ·" not in page
    assert 'for="invite-search"' in page and "People to invite" in page
    del colleague_in_hr, free


def test_it_finds_people_by_name_or_department(hr_client):
    session = SessionFactory()
    EmployeeFactory(roles=[STAFF], user__first_name="Olga", department__name="Front desk")
    EmployeeFactory(roles=[STAFF], user__first_name="Ivan", department__name="Call centre")

    by_department = hr_client.get(
        reverse("training:session_invite_choices", args=[session.pk]), {"q": "front"}
    ).content.decode()
    by_name = hr_client.get(
        reverse("training:session_detail", args=[session.pk]), {"q": "ivan"}
    ).content.decode()

    assert "Olga" in by_department and "Ivan" not in by_department
    assert "Ivan" in by_name


def test_it_refuses_to_invite_someone_already_booked(hr_client):
    session = SessionFactory()
    booked = EmployeeFactory(roles=[STAFF])
    EnrolmentFactory(session=session, employee=booked)

    response = hr_client.post(
        reverse("training:session_enrol", args=[session.pk]), {"employees": [booked.pk]}, follow=True
    )

    assert Enrolment.objects.filter(session=session, employee=booked).count() == 1
    assert "Select a valid choice" in response.content.decode()


def test_it_says_what_to_do_when_nobody_was_ticked(hr_client):
    session = SessionFactory()
    response = hr_client.post(reverse("training:session_enrol", args=[session.pk]), {}, follow=True)
    assert "Tick at least one person to invite." in response.content.decode()


def test_it_asks_before_removing_and_can_invite_again(hr_client):
    session = SessionFactory()
    enrolment = EnrolmentFactory(session=session)
    page = hr_client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "You can invite them again." in page

    hr_client.post(reverse("training:enrolment_excuse", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == "excused"
    assert (
        "Invite again"
        in hr_client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    )

    hr_client.post(
        reverse("training:session_enrol", args=[session.pk]), {"employees": [enrolment.employee_id]}
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "invited"
