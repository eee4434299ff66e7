"""GET /metrics/api/summary.json: the stable contract, for managers and bearer tokens."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from metrics import services
from tests.factories import ComplaintFactory, CustomerFactory, DepartmentFactory, PurchaseFactory

URL = "/metrics/api/summary.json"


@pytest.fixture
def snapshot(db):
    department = DepartmentFactory(name="Front desk")
    for day in range(1, 11):
        ComplaintFactory(
            department=department,
            root_cause="processes",
            received_at=datetime.datetime(2024, 6, day, 12, tzinfo=datetime.UTC),
        )
    customer = CustomerFactory(first_seen=datetime.date(2023, 1, 1))
    PurchaseFactory(customer=customer, date=datetime.date(2024, 5, 1))
    with time_machine.travel("2024-07-15 12:00 +03:00", tick=False):
        return services.snapshot_recompute()


def test_it_has_a_stable_url():
    assert reverse("metrics:api_summary") == URL


def test_it_returns_the_documented_contract(manager_client, snapshot):
    data = manager_client.get(URL).json()
    assert set(data) >= {
        "computed_at",
        "period",
        "customers_active",
        "churn_rate_monthly",
        "silent_leavers",
        "ltv",
        "complaints_by_root_cause",
    }
    assert data["computed_at"] == snapshot.computed_at.isoformat()
    assert data["period"] == {"name": "month", "start": "2024-06-01", "end": "2024-06-30"}
    assert set(data["churn_rate_monthly"]) == {"value", "low", "high"}
    assert data["silent_leavers"] == {
        "complaints": 10,
        "estimate_low": 133,
        "estimate_high": 323,
        "observed_share_without_complaint": None,
        "probable_count": 0,
    }
    assert data["ltv"]["calculator"] == 72000
    assert set(data["ltv"]) >= {"calculator", "data_driven", "value_at_risk"}
    assert data["complaints_by_root_cause"]["processes"] == 10


def test_it_answers_for_another_period(manager_client, snapshot):
    data = manager_client.get(URL, {"period": "year"}).json()
    assert data["period"] == {"name": "year", "start": "2023-07-01", "end": "2024-06-30"}


def test_it_answers_with_nulls_before_the_first_recompute(manager_client):
    data = manager_client.get(URL).json()
    assert data["computed_at"] is None
    assert data["churn_rate_monthly"] == {"value": None, "low": None, "high": None}


def test_it_accepts_a_bearer_token_and_records_its_use(client, snapshot):
    token, key = services.api_token_create(name="BI")
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["silent_leavers"]["estimate_high"] == 323
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer wrong", "Basic abc", "Bearer "])
def test_it_refuses_a_bad_token(client, db, header):
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_a_revoked_token(client, db):
    token, key = services.api_token_create(name="Old BI")
    services.api_tokens_revoke(token_ids=[token.pk])
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_it_refuses_staff_sessions(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_it_makes_a_long_random_token_key(db):
    (_first, first_key), (_second, second_key) = (
        services.api_token_create(name="a"),
        services.api_token_create(name="b"),
    )
    assert len(first_key) >= 40 and first_key != second_key


def test_it_leaves_the_snapshots_charts_in_the_database(snapshot, django_assert_num_queries):
    """The pages and summary.json read the figures; the 200 KB of charts only by name, one each."""
    from metrics import selectors

    latest = selectors.latest_snapshot()
    assert latest.pk == snapshot.pk and "charts" in latest.get_deferred_fields()
    with django_assert_num_queries(0):
        assert "churn_trend" in selectors.snapshot_chart_names(latest)
