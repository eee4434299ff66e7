from django.contrib.auth import get_user_model
from django.core.management import call_command

from people.models import Department, Employee
from people.roles import HR, MANAGER, STAFF, user_roles


def _counts() -> dict:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"servicecraft", "standards", "complaints", "training", "metrics", "programme", "auth"}
    }


def test_it_creates_people_for_every_role_and_prints_their_logins(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    User = get_user_model()
    assert user_roles(User.objects.get(username="manager")) == {MANAGER}
    assert user_roles(User.objects.get(username="hr")) == {HR}
    assert STAFF in user_roles(User.objects.get(username="olga"))
    assert Department.objects.count() >= 3
    assert Employee.objects.count() >= 6
    for username in ("manager", "hr", "olga", "admin"):
        assert username in out
    assert "servicecraft-demo" in out


def test_it_prints_the_address_the_site_is_served_at(db, capsys, settings):
    settings.SITE_URL = "http://127.0.0.1:8113"

    call_command("seed_demo")

    assert "Sign in at http://127.0.0.1:8113/ with:" in capsys.readouterr().out


def test_it_changes_nothing_when_run_twice(db):
    call_command("seed_demo")
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
