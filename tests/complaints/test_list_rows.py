"""The complaint list's rows: the same cells the model's own display methods gave, made once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from common.row_links import url_for_id
from complaints import list_rows
from complaints.badges import STATUS_BADGE
from complaints.models import Complaint
from tests.factories import ComplaintFactory, CorrectiveActionFactory, CustomerFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def _rows(*complaints):
    listed = Complaint.objects.filter(pk__in=[c.pk for c in complaints]).select_related(
        "department", "handler", "customer"
    )
    return {row.pk: row for row in list_rows.complaint_rows(listed, today=TODAY)}


def test_it_builds_the_urls_reverse_gives():
    detail = url_for_id("complaints:complaint_detail")
    assert detail(42) == reverse("complaints:complaint_detail", args=[42])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_shows_the_labels_the_model_displays(language):
    complaint = ComplaintFactory(channel="email", severity="critical")
    with translation.override(language):
        row = _rows(complaint)[complaint.pk]
        assert row.channel == complaint.get_channel_display()
        assert row.severity == complaint.get_severity_display()
        assert row.select_label == translation.gettext("Select complaint #%(number)s") % {
            "number": complaint.pk
        }


def test_it_links_a_customer_and_names_the_complaint_or_the_record():
    customer = CustomerFactory(value=Decimal("12345.5"))
    named = ComplaintFactory(customer=customer, customer_name="Ann Lee")
    unnamed = ComplaintFactory(customer=customer, customer_name="")
    walk_in = ComplaintFactory(customer=None, customer_name="")
    rows = _rows(named, unnamed, walk_in)
    assert rows[named.pk].customer == "Ann Lee"
    assert rows[named.pk].customer_url == reverse("customers:customer_detail", args=[customer.pk])
    assert rows[named.pk].value == "12,346"
    assert rows[unnamed.pk].customer == str(customer)
    unlinked = rows[walk_in.pk]
    assert (unlinked.customer, unlinked.customer_url, unlinked.value) == ("—", None, None)


def test_it_names_the_handler_or_leaves_the_row_unassigned():
    handler = EmployeeFactory(user__first_name="Olga", user__last_name="Ivanova").user
    handled = ComplaintFactory(handler=handler)
    unassigned = ComplaintFactory(handler=None)
    rows = _rows(handled, unassigned)
    assert rows[handled.pk].handler == "Olga Ivanova"
    assert rows[unassigned.pk].handler is None


def test_it_prints_the_dates_as_the_date_filter_did():
    received = timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 30))
    promised = ComplaintFactory(received_at=received, promised_on=datetime.date(2026, 6, 10))
    unpromised = ComplaintFactory(received_at=received, promised_on=None)
    rows = _rows(promised, unpromised)
    assert rows[promised.pk].received == date_filter(timezone.localtime(received), "SHORT_DATETIME_FORMAT")
    assert rows[promised.pk].promised == date_filter(datetime.date(2026, 6, 10), "SHORT_DATE_FORMAT")
    assert rows[unpromised.pk].promised == "—"


def test_it_renders_the_badge_of_each_complaint():
    overdue = ComplaintFactory(status="in_progress", promised_on=TODAY - datetime.timedelta(days=1))
    on_time = ComplaintFactory(status="in_progress", promised_on=TODAY)
    unsatisfied = ComplaintFactory(
        status="closed",
        root_cause="people",
        customer_satisfied="no",
        promised_on=TODAY - datetime.timedelta(days=9),
    )
    rows = _rows(overdue, on_time, unsatisfied)
    for complaint in (overdue, on_time, unsatisfied):
        expected = render_to_string(
            STATUS_BADGE, {"complaint": complaint, "overdue": complaint.is_overdue_on(TODAY)}
        )
        assert rows[complaint.pk].status_badge == expected
    assert "overdue" in rows[overdue.pk].status_badge
    assert "overdue" not in rows[on_time.pk].status_badge
    assert "unsatisfied" in rows[unsatisfied.pk].status_badge


def test_it_shows_the_actions_as_their_display_methods_and_filters_did():
    action = CorrectiveActionFactory(kind="train_staff", description="x" * 150, due_on=TODAY)
    action.complaint_count = 2

    with translation.override("ru"):
        [row] = list_rows.action_rows([action], today=TODAY + datetime.timedelta(days=1))
        assert (row.kind, row.status) == (action.get_kind_display(), action.get_status_display())

    assert row.description == Truncator(action.description).chars(100)
    assert row.past_due and row.complaint_count == 2
    assert row.owner == (action.owner.get_full_name() or action.owner.username)
