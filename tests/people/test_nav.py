"""The navigation's role fragments (``{% role_fragment %}``): rendered once per roles and
language, while what differs per person (the name, the unopened complaints) stays live."""

from __future__ import annotations

from unittest import mock

import django.urls
import pytest
from django.template import Context, Template
from django.urls import reverse

from people.roles import HR, MANAGER, STAFF
from tests.factories import ComplaintFactory, EmployeeFactory


@pytest.fixture(autouse=True)
def _fragments_rendered_afresh(settings):
    # Changing a setting forgets the fragments of the tests before.
    settings.DEBUG = False


def _home(client, employee, **headers) -> str:
    client.force_login(employee.user)
    return client.get(reverse("home"), **headers).content.decode()


def _nav(html: str) -> str:
    return html.split("<main")[0]


def test_it_gives_each_role_its_own_menus(db, client):
    manager = EmployeeFactory(roles=[MANAGER, STAFF])
    staff = EmployeeFactory(roles=[STAFF])
    hr = EmployeeFactory(roles=[HR])

    manager_nav = _nav(_home(client, manager))
    staff_nav = _nav(_home(client, staff))
    hr_nav = _nav(_home(client, hr))

    assert reverse("metrics:dashboard") in manager_nav
    assert reverse("metrics:dashboard") not in staff_nav
    assert reverse("training:planner") in hr_nav
    assert reverse("training:planner") not in manager_nav
    assert reverse("people:employee_list") in hr_nav and reverse("people:employee_list") not in staff_nav


def test_it_shows_each_reader_their_own_name_and_unopened_complaints(db, client):
    busy = EmployeeFactory(roles=[MANAGER], user__first_name="Vera", user__last_name="Busy")
    idle = EmployeeFactory(roles=[MANAGER], user__first_name="Ivan", user__last_name="Idle")
    ComplaintFactory.create_batch(2, handler=busy.user)

    busy_nav = _nav(_home(client, busy))
    idle_nav = _nav(_home(client, idle))

    assert "Vera Busy" in busy_nav and 'data-testid="unopened-complaints">2' in busy_nav
    assert "Ivan Idle" in idle_nav and "unopened-complaints" not in idle_nav


def test_it_renders_the_menus_in_the_readers_language(db, client):
    manager = EmployeeFactory(roles=[MANAGER])

    english = _nav(_home(client, manager, HTTP_ACCEPT_LANGUAGE="en"))
    russian = _nav(_home(client, manager, HTTP_ACCEPT_LANGUAGE="ru"))

    assert "Log a complaint" in english
    assert "Log a complaint" not in russian
    assert '<option value="ru" lang="ru" selected>' in russian
    assert '<option value="en" lang="en">' in russian
    assert '<option value="en" lang="en" selected>' in english
    assert '<option value="ru" lang="ru">' in english


def test_it_resolves_the_menus_links_once(db, client):
    manager = EmployeeFactory(roles=[MANAGER])
    _home(client, manager)

    with mock.patch.object(django.urls, "reverse", wraps=django.urls.reverse) as resolving:
        _home(client, manager)

    # Only the links outside the fragments: the brand, the password change and log-out forms,
    # the language switch, and the panels of the home page.
    resolved = [call.args[0] for call in resolving.call_args_list]
    assert "complaints:complaint_create" not in resolved
    assert "standards:library" not in resolved
    assert "programme:brainstorm" in resolved  # the charter panel, outside the navigation


def test_it_renders_every_time_while_debugging(db, client, settings):
    settings.DEBUG = True
    manager = EmployeeFactory(roles=[MANAGER])
    _home(client, manager)

    with mock.patch.object(django.urls, "reverse", wraps=django.urls.reverse) as resolving:
        _home(client, manager)

    assert "complaints:complaint_create" in [call.args[0] for call in resolving.call_args_list]


def test_it_shares_a_fragment_between_people_of_the_same_roles_with_nothing_of_either(db, client):
    vera = EmployeeFactory(roles=[MANAGER], user__first_name="Vera", user__last_name="Busy")
    ivan = EmployeeFactory(roles=[MANAGER], user__first_name="Ivan", user__last_name="Idle")

    vera_nav, ivan_nav = _nav(_home(client, vera)), _nav(_home(client, ivan))

    fragment = vera_nav.split('data-testid="main-nav">')[1].split("</ul>")[0]
    assert fragment in ivan_nav
    for person in (vera, ivan):
        assert person.user.first_name not in fragment and person.user.username not in fragment


# A fragment that asks for what its key does not hold: the reader's name, id and the page's values.
NOSY_FRAGMENT = (
    "{% load people_nav %}{% role_fragment %}"
    "[{{ user.username }}|{{ user.get_full_name }}|{{ user.pk }}|{{ secret }}|{{ csrf_token }}]"
    "[{{ user.is_authenticated }}|{{ user.is_superuser }}|{{ is_manager }}|{{ is_hr }}]"
    "{% endrole_fragment %}"
)


@pytest.mark.parametrize("debug", [False, True])
def test_it_renders_a_fragment_from_its_key_alone(db, settings, debug):
    settings.DEBUG = debug
    vera = EmployeeFactory(roles=[MANAGER], user__first_name="Vera", user__username="vera")
    ivan = EmployeeFactory(roles=[MANAGER], user__first_name="Ivan", user__username="ivan")
    template = Template(NOSY_FRAGMENT)

    def _render(employee, secret: str) -> str:
        return template.render(
            Context({"user": employee.user, "is_manager": True, "secret": secret, "csrf_token": secret})
        )

    for_vera, for_ivan = _render(vera, "vera-secret"), _render(ivan, "ivan-secret")

    assert for_vera == for_ivan == "[||||][True|False|True|False]"
