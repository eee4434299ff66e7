"""Each complaint carries a copy of its customer's value (``Complaint.customer_value``), the
key of the list "most valuable customers first": logging, relinking, importing, the metrics
recompute and deleting a customer keep it equal to the customer's own value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from complaints import services
from complaints.importing import complaints_import
from complaints.models import Complaint
from customers.models import Customer
from people.roles import MANAGER
from tests.factories import ComplaintFactory, CustomerFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def _edit(complaint: Complaint, *, actor, customer) -> Complaint:
    return services.complaint_update(
        complaint=complaint,
        actor=actor,
        summary=complaint.summary,
        details=complaint.details,
        channel=complaint.channel,
        customer_name=complaint.customer_name,
        customer_contact=complaint.customer_contact,
        department=complaint.department,
        product=complaint.product,
        severity=complaint.severity,
        expected_effort_days=complaint.expected_effort_days,
        promised_on=complaint.promised_on,
        internal_target_on=complaint.internal_target_on,
        lesson_learned=complaint.lesson_learned,
        customer=customer,
    )


def _stored_value(complaint: Complaint) -> Decimal | None:
    return Complaint.objects.values_list("customer_value", flat=True).get(pk=complaint.pk)


def test_it_copies_the_value_of_the_customer_a_complaint_is_logged_for():
    manager = EmployeeFactory(roles=[MANAGER]).user
    customer = CustomerFactory(value=Decimal("4200.00"))
    linked = services.complaint_create(logged_by=manager, summary="Late", channel="phone", customer=customer)
    unlinked = services.complaint_create(logged_by=manager, summary="Rude", channel="phone")
    assert _stored_value(linked) == Decimal("4200.00")
    assert _stored_value(unlinked) is None


def test_it_takes_the_new_customers_value_when_a_complaint_is_relinked():
    manager = EmployeeFactory(roles=[MANAGER]).user
    complaint = ComplaintFactory(customer=CustomerFactory(value=Decimal("100.00")))
    _edit(complaint, actor=manager, customer=CustomerFactory(value=Decimal("9000.00")))
    assert _stored_value(complaint) == Decimal("9000.00")
    _edit(complaint, actor=manager, customer=None)
    assert _stored_value(complaint) is None


def test_an_imported_complaint_carries_its_customers_value():
    CustomerFactory(external_id="C-77", value=Decimal("1234.50"))
    data = (
        b"external_ref,received_at,summary,channel,customer_external_id\n"
        b"OLD-1,2025-03-01 10:15,Courier late,phone,C-77\n"
        b"OLD-2,2025-03-02 10:15,Wrong invoice,email,\n"
    )
    assert complaints_import(data=data, imported_by=None).ok
    assert Complaint.objects.get(external_ref="OLD-1").customer_value == Decimal("1234.50")
    assert Complaint.objects.get(external_ref="OLD-2").customer_value is None


def test_the_refresh_copies_changed_values_and_writes_only_those():
    customer = CustomerFactory(value=Decimal("100.00"))
    unchanged = CustomerFactory(value=Decimal("50.00"))
    first, second = ComplaintFactory(customer=customer), ComplaintFactory(customer=customer)
    kept = ComplaintFactory(customer=unchanged)
    ComplaintFactory(customer=None)
    Customer.objects.filter(pk=customer.pk).update(value=Decimal("777.00"))

    assert services.complaint_customer_values_refresh(batch_size=1) == 2  # a complaint per UPDATE
    assert _stored_value(first) == _stored_value(second) == Decimal("777.00")
    assert _stored_value(kept) == Decimal("50.00")
    assert services.complaint_customer_values_refresh() == 0  # nothing left to change

    Customer.objects.filter(pk=customer.pk).update(value=None)  # the recompute no longer values them
    assert services.complaint_customer_values_refresh() == 2
    assert _stored_value(first) is None


def test_the_refresh_clears_a_copy_left_without_a_customer():
    orphan = ComplaintFactory(customer=None, customer_value=Decimal("10.00"))
    assert services.complaint_customer_values_refresh() == 1
    assert _stored_value(orphan) is None


def test_deleting_a_customer_clears_the_copy_on_their_complaints():
    customer = CustomerFactory(value=Decimal("300.00"))
    complaint = ComplaintFactory(customer=customer)
    customer.delete()
    complaint.refresh_from_db()
    assert complaint.customer_id is None and complaint.customer_value is None
