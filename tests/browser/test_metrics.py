"""A manager feeds the metrics with customer data and reads the dashboard."""

from __future__ import annotations

import datetime
import random

import pytest

from people.roles import MANAGER
from tests.browser.conftest import login
from tests.factories import EmployeeFactory


def _files(tmp_path) -> tuple[str, str]:
    """80 customers over two years; the first 40 bought regularly, then went quiet a year ago."""
    rng = random.Random(6)
    today = datetime.date.today()
    customers = ["external_id,name,email,segment,first_seen,churned_on"]
    transactions = ["external_id,customer_external_id,date,amount"]
    number = 0
    for i in range(80):
        first_seen = today - datetime.timedelta(days=rng.randrange(600, 720))
        customers.append(
            f"C{i:03d},Customer {i:03d},c{i}@example.com,{rng.choice(['retail', 'business'])},{first_seen},"
        )
        stop = today - datetime.timedelta(days=rng.randrange(300, 400) if i < 40 else rng.randrange(0, 20))
        day = first_seen
        while day <= stop:
            transactions.append(f"T{number:05d},C{i:03d},{day},{rng.randrange(10, 90)}.50")
            number += 1
            day += datetime.timedelta(days=rng.randrange(5, 40))
    customer_file, transaction_file = tmp_path / "customers.csv", tmp_path / "transactions.csv"
    customer_file.write_text("\n".join(customers) + "\n", encoding="utf-8")
    transaction_file.write_text("\n".join(transactions) + "\n", encoding="utf-8")
    return str(customer_file), str(transaction_file)


def _upload(page, kind: str, path: str) -> None:
    page.goto("/metrics/import/")
    page.select_option("select[name=kind]", kind)
    page.set_input_files("input[name=file]", path)
    with page.expect_navigation():
        page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-progress][data-status=done]")
    assert page.locator("[data-testid=import-progress] progress").get_attribute("value") == "100"


@pytest.mark.django_db(transaction=True)
def test_it_imports_customer_data_and_shows_the_dashboard(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    manager = EmployeeFactory(roles=[MANAGER]).user
    customers, transactions = _files(tmp_path)
    login(page, manager)

    _upload(page, "customers", customers)
    assert "80 rows imported: 80 new, 0 updated." in page.locator("[data-testid=import-outcome]").inner_text()
    _upload(page, "transactions", transactions)
    assert "rows imported" in page.locator("[data-testid=import-outcome]").inner_text()

    page.goto("/metrics/")
    assert "No figures have been computed yet" in page.locator("main").inner_text()
    with page.expect_navigation():
        # htmx posts, the finished recompute answers HX-Refresh: the page reloads with the snapshot.
        page.click("[data-testid=recompute]")
    page.wait_for_selector("[data-testid=computed-at]")
    assert page.locator("[data-testid=kpi-tiles]").is_visible()
    charts = page.locator("img.metrics-chart")
    assert charts.count() == 6
    for i in range(6):
        # Each chart is an image of its own URL, loaded lazily: scrolled to, it must draw.
        charts.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=charts.nth(i).element_handle()
        )

    page.click("[data-testid=silent-leavers-link]")
    rows = page.locator("[data-testid=silent-leavers] tbody tr")
    assert "Customer 0" in rows.first.inner_text()
    assert page.external_requests == []
    assert page.console_errors == []
