"""A target's trend chart is an SVG image at its own URL, which the programme page links
instead of carrying it as a ``data:`` URI (issue #17)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from programme.models import MonthlyActual
from tests.programme.factories import TargetFactory

NOW = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


@pytest.fixture
def target(db):
    target = TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    for month in (1, 2, 3, 4):
        MonthlyActual.objects.create(
            figure="churn", month=datetime.date(2026, month, 1), value=0.01 * month, complete=True
        )
    return target


@time_machine.travel(NOW, tick=False)
def test_it_draws_the_chart_for_a_manager(manager_client, target):
    response = manager_client.get(reverse("programme:target_trend", args=[target.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg


@time_machine.travel(NOW, tick=False)
def test_it_serves_an_inert_image_cached_briefly(manager_client, target):
    response = manager_client.get(reverse("programme:target_trend", args=[target.pk]))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert response["Cache-Control"] == "private, max-age=300"


@time_machine.travel(NOW, tick=False)
def test_it_draws_once_until_the_figures_change(manager_client, target, monkeypatch):
    from programme import charts

    drawn = []
    draw = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda progress: drawn.append(1) or draw(progress))
    url = reverse("programme:target_trend", args=[target.pk])
    first = manager_client.get(url).content
    assert manager_client.get(url).content == first
    assert len(drawn) == 1
    MonthlyActual.objects.filter(month=datetime.date(2026, 4, 1)).update(value=0.2)
    assert manager_client.get(url).content != first
    assert len(drawn) == 2


def test_an_unknown_target_is_not_found(manager_client, target):
    assert manager_client.get(reverse("programme:target_trend", args=[target.pk + 1])).status_code == 404
    assert manager_client.get(f"/programme/targets/{target.pk}x/trend.svg").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_it_ignores_a_garbage_query(manager_client, target):
    url = reverse("programme:target_trend", args=[target.pk])
    assert manager_client.get(f"{url}?year=%00%27;drop").status_code == 200


def test_it_is_for_managers_only(client, staff_client, hr_client, target):
    url = reverse("programme:target_trend", args=[target.pk])
    assert staff_client.get(url).status_code == 403
    assert hr_client.get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_refuses_a_post(manager_client, target):
    assert manager_client.post(reverse("programme:target_trend", args=[target.pk])).status_code == 405
