"""Every URL of the project, for every role: allowed roles get the page, others a 403.

A new URL without an entry in a ``URL_ACCESS`` table fails
``test_it_has_an_access_rule_for_every_url``, so no page ships without a
decision on who may see it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from people.roles import HR, MANAGER, STAFF
from tests.factories import EmployeeFactory
from tests.url_access import PUBLIC, Access

# Django's admin guards itself (staff flag), so it is outside this table.
IGNORED_NAMESPACES = {"admin"}


def _access_tables() -> dict[str, Access]:
    table: dict[str, Access] = {}
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        if module_info.name.endswith("url_access"):
            module = importlib.import_module(module_info.name)
            table.update(module.URL_ACCESS)
    return table


def _named_urls(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in IGNORED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            names |= _named_urls(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


ACCESS = _access_tables()
ROLES = [None, STAFF, HR, MANAGER]


def test_it_has_an_access_rule_for_every_url():
    missing = sorted(_named_urls() - set(ACCESS))
    assert not missing, f"add these URLs to a URL_ACCESS table: {missing}"


def test_it_has_no_rule_for_a_url_that_does_not_exist():
    stale = sorted(set(ACCESS) - _named_urls())
    assert not stale, f"these URL_ACCESS entries name no URL: {stale}"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_in_only_the_roles_a_page_declares(client, db, name, role):
    access = ACCESS[name]
    if role is not None:
        client.force_login(EmployeeFactory(roles=[role]).user)
    url = reverse(name, kwargs=access.kwargs())
    response = getattr(client, access.method)(url)

    assert response.status_code < 500, f"{name} crashed for {role}"
    if access.roles == PUBLIC:
        assert response.status_code != 403
    elif role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in access.not_found_for:
        assert response.status_code == 404, f"{name} told {role} that the object exists"
    elif role in access.roles:
        assert response.status_code in {200, 302, 400, 405}, f"{name} refused {role}"
    else:
        assert response.status_code == 403, f"{name} let {role} in"
