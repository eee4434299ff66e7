"""The dashboard reads the latest snapshot: tiles, filters, charts, recompute with progress."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from metrics import services
from metrics.models import RecomputeJob
from tests.factories import ComplaintFactory, CustomerFactory, DepartmentFactory, PurchaseFactory

NOW = "2024-07-15 12:00 +03:00"


def _company(customers: int, departments: int) -> None:
    for d in range(departments):
        department = DepartmentFactory(name=f"Dept {d}")
        ComplaintFactory(
            department=department, received_at=datetime.datetime(2024, 6, 3, tzinfo=datetime.UTC)
        )
    for i in range(customers):
        customer = CustomerFactory(first_seen=datetime.date(2023, 1, 1), segment=["retail", "online"][i % 2])
        for month in range(1, 1 + i % 12):
            PurchaseFactory(customer=customer, date=datetime.date(2023, month, 10), amount="20.00")


def _snapshot():
    with time_machine.travel(NOW, tick=False):
        return services.snapshot_recompute()


def test_it_invites_to_import_and_recompute_without_figures(manager_client):
    response = manager_client.get(reverse("metrics:dashboard"))
    assert response.status_code == 200
    assert b"No figures have been computed yet" in response.content


@pytest.mark.parametrize(("customers", "departments"), [(3, 1), (40, 6)])
def test_it_reads_the_dashboard_in_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries, customers, departments
):
    _company(customers, departments)
    _snapshot()
    with django_assert_max_num_queries(10):
        response = manager_client.get(reverse("metrics:dashboard"), {"period": "quarter"})
    assert response.status_code == 200
    assert b"data:image/svg+xml" not in response.content


def test_it_links_each_stored_chart_instead_of_carrying_it(manager_client):
    """The six charts (about 200 KB of SVG at a large company) are images the browser fetches
    and caches, so the page's HTML stays small and the same size whatever the data."""
    _company(10, 1)
    snapshot = _snapshot()
    response = manager_client.get(reverse("metrics:dashboard"))
    html = response.content.decode()
    names = [
        "churn_trend",
        "revenue_trend",
        "cohort_heatmap",
        "root_causes",
        "ltv_by_segment",
        "p_alive_histogram",
    ]
    for name in names:
        url = reverse("metrics:chart", args=[snapshot.pk, name])
        assert f'src="{url}"' in html
        chart = manager_client.get(url)
        assert chart.status_code == 200
        assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert chart.content.decode() == snapshot.charts[name]
    assert "<svg" not in html.split('data-testid="charts"')[1].split("</div>\n</div>")[0]


def test_a_snapshot_without_a_chart_shows_no_broken_image(manager_client):
    _company(3, 1)
    snapshot = _snapshot()
    snapshot.charts.pop("cohort_heatmap")
    snapshot.figures["chart_names"].remove("cohort_heatmap")
    snapshot.save(update_fields=["charts", "figures"])
    response = manager_client.get(reverse("metrics:dashboard"))
    assert reverse("metrics:chart", args=[snapshot.pk, "cohort_heatmap"]) not in response.content.decode()
    assert reverse("metrics:chart", args=[snapshot.pk, "churn_trend"]) in response.content.decode()
    assert (
        manager_client.get(reverse("metrics:chart", args=[snapshot.pk, "cohort_heatmap"])).status_code == 404
    )


def test_a_chart_is_served_as_an_inert_image_that_may_be_cached(manager_client):
    _company(3, 1)
    snapshot = _snapshot()
    chart = manager_client.get(reverse("metrics:chart", args=[snapshot.pk, "churn_trend"]))
    assert chart["X-Content-Type-Options"] == "nosniff"
    assert chart["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script-src" not in chart["Content-Security-Policy"]
    assert "immutable" in chart["Cache-Control"] and "private" in chart["Cache-Control"]


@pytest.mark.parametrize("name", ["not_a_chart", "figures", "__class__"])
def test_an_unknown_chart_or_snapshot_is_not_found(manager_client, name):
    _company(3, 1)
    snapshot = _snapshot()
    assert manager_client.get(reverse("metrics:chart", args=[snapshot.pk, name])).status_code == 404
    assert (
        manager_client.get(reverse("metrics:chart", args=[snapshot.pk + 1, "churn_trend"])).status_code == 404
    )


def test_it_shows_the_tiles_and_when_they_were_computed(manager_client):
    _company(10, 1)
    snapshot = _snapshot()
    response = manager_client.get(reverse("metrics:dashboard"))
    tiles = response.context["tiles"]
    assert tiles.period == "month" and (tiles.start, tiles.end) == ("2024-06-01", "2024-06-30")
    assert tiles.complaints == 1
    assert tiles.silent_leavers == {"low": 13, "high": 32}
    assert b"Computed at" in response.content
    assert snapshot.computed_at == response.context["snapshot"].computed_at
    assert b"72,000" in response.content


def test_it_filters_complaint_figures_by_department(manager_client):
    _company(5, 3)
    other = DepartmentFactory(name="Quiet")
    _snapshot()
    response = manager_client.get(reverse("metrics:dashboard"), {"period": "year", "department": other.pk})
    assert response.context["tiles"].complaints == 0
    assert response.context["tiles"].silent_leavers == {"low": 0, "high": 0}


def test_it_offers_every_department_and_marks_the_one_shown(manager_client):
    _company(2, 3)
    quiet = DepartmentFactory(name="Quiet")
    _snapshot()
    html = manager_client.get(reverse("metrics:dashboard"), {"department": quiet.pk}).content.decode()
    select = _department_select(html)
    assert select.count("<option") == 6  # all departments, the manager's, and the four
    assert select.count(" selected") == 1
    assert f'<option value="{quiet.pk}" selected>Quiet</option>' in select
    assert '<option value="">All departments</option>' in select


def test_it_marks_all_departments_when_none_is_chosen(manager_client):
    _company(2, 1)
    _snapshot()
    select = _department_select(manager_client.get(reverse("metrics:dashboard")).content.decode())
    assert '<option value="" selected>All departments</option>' in select
    assert select.count(" selected") == 1


def test_it_offers_the_departments_in_russian_with_the_one_shown_marked(manager_client):
    _company(2, 1)
    quiet = DepartmentFactory(name="Quiet")
    _snapshot()
    html = manager_client.get(
        reverse("metrics:dashboard"), {"department": quiet.pk}, HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    select = _department_select(html)
    assert '<option value="">Все отделы</option>' in select
    assert f'<option value="{quiet.pk}" selected>Quiet</option>' in select
    assert '<label for="id_department" class="form-label">Отдел</label>' in html


def _department_select(html: str) -> str:
    """The department filter's ``<select>``, its attributes checked and its options returned."""
    opening, options = re.search(r'(<select name="department"[^>]*>)(.*?)</select>', html, re.S).groups()
    for attribute in ('class="form-select"', 'id="id_department"', 'data-testid="department-filter"'):
        assert attribute in opening
    return options


def test_it_falls_back_to_the_default_period_for_nonsense(manager_client):
    _company(2, 1)
    _snapshot()
    response = manager_client.get(reverse("metrics:dashboard"), {"period": "decade", "department": "x"})
    assert response.status_code == 200
    assert response.context["tiles"].period == "month"


def test_it_computes_the_articles_calculator_with_edited_inputs(manager_client):
    _company(2, 1)
    _snapshot()
    response = manager_client.get(
        reverse("metrics:dashboard"),
        {"monthly_revenue": "50", "years": "2", "referred_friends": "1", "calculate": "1"},
    )
    assert response.context["calculator_value"] == Decimal("2400")


def test_it_recomputes_and_tells_htmx_to_reload(manager_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = manager_client.post(reverse("metrics:recompute"), HTTP_HX_REQUEST="true")
    assert b"<progress" in started.content
    job = RecomputeJob.objects.get()
    assert job.status == "done" and job.snapshot is not None
    assert job.step == job.steps
    polled = manager_client.get(
        reverse("metrics:recompute_progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert polled["HX-Refresh"] == "true"


def test_it_recomputes_without_javascript_too(manager_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("metrics:recompute"))
    assert response.status_code == 302
    assert RecomputeJob.objects.get().status == "done"


def test_it_does_not_queue_a_second_recompute_while_one_waits(manager_client):
    waiting = RecomputeJob.objects.create()
    manager_client.post(reverse("metrics:recompute"), HTTP_HX_REQUEST="true")
    assert list(RecomputeJob.objects.all()) == [waiting]


def test_it_shows_a_waiting_recompute_as_polling_progress(manager_client):
    job = RecomputeJob.objects.create(step=3, steps=8, status="running", message="model")
    response = manager_client.get(
        reverse("metrics:recompute_progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert b'value="3"' in response.content and b"hx-get" in response.content
    assert "fitting the buying-pattern model" in response.content.decode()
    assert "HX-Refresh" not in response


def test_it_lists_probable_silent_leavers_by_value(manager_client):
    snapshot = _snapshot()
    from metrics.models import ProbableSilentLeaver

    cheap = CustomerFactory(name="Cheap Customer")
    dear = CustomerFactory(name="Dear Customer")
    ProbableSilentLeaver.objects.create(snapshot=snapshot, customer=cheap, p_alive=0.2, value="10")
    ProbableSilentLeaver.objects.create(snapshot=snapshot, customer=dear, p_alive=0.3, value="900")
    response = manager_client.get(reverse("metrics:silent_leavers"))
    content = response.content.decode()
    assert content.index("Dear Customer") < content.index("Cheap Customer")


def test_it_shows_a_home_panel_to_managers(manager_client):
    _company(customers=4, departments=1)
    _snapshot()
    response = manager_client.get(reverse("home"))
    content = response.content.decode()
    assert "Customers and value" in content
    assert "computed 15 Jul 2024" in content
    assert "Active customers: <strong>not available" not in content


def test_it_shows_a_failed_recompute(manager_client, django_capture_on_commit_callbacks, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("metrics.snapshot.compute", explode)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("metrics:recompute"), HTTP_HX_REQUEST="true")
    job = RecomputeJob.objects.get()
    assert job.status == "failed"
    response = manager_client.get(reverse("metrics:recompute_progress", kwargs={"pk": job.pk}))
    # In plain words, without the exception (that is in the log).
    assert "The recompute failed while getting started" in response.content.decode()
    assert b"out of memory" not in response.content


def test_it_queues_a_new_recompute_when_the_waiting_one_died_with_its_worker(manager_client):
    stuck = RecomputeJob.objects.create(status="running")
    RecomputeJob.objects.filter(pk=stuck.pk).update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    manager_client.post(reverse("metrics:recompute"), HTTP_HX_REQUEST="true")
    assert RecomputeJob.objects.count() == 2
