from unittest import mock

from django.test import override_settings


def test_it_reports_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True}}


def test_it_returns_503_when_the_database_is_down(client, db):
    with mock.patch("common.health._database_reachable", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_it_checks_the_broker_when_one_is_configured(client, db):
    with mock.patch("common.health._broker_reachable", return_value=False) as broker:
        response = client.get("/healthz")
    broker.assert_called_once()
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


def test_it_really_fails_on_an_unreachable_broker():
    from common.health import _broker_reachable

    assert _broker_reachable("redis://127.0.0.1:1/0") is False


def test_it_really_reaches_a_running_redis(require_redis):
    from common.health import _broker_reachable

    assert _broker_reachable(require_redis) is True


def test_it_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405
