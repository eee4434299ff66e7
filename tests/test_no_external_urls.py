"""The app works on an intranet with no internet: no page or template loads anything from outside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from people.roles import HR, MANAGER, STAFF
from tests.factories import EmployeeFactory
from tests.test_url_permissions import ACCESS
from tests.url_access import PUBLIC

ROOT = Path(__file__).resolve().parents[1]
# src/href/action/url() that leave the site: absolute http(s) or protocol-relative URLs.
EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.I
)


def test_it_has_no_external_reference_in_any_template():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if EXTERNAL.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(n for n, a in ACCESS.items() if a.method == "get"))
def test_it_renders_no_external_reference(client, db, name):
    access = ACCESS[name]
    if access.roles != PUBLIC:
        role = next(r for r in (MANAGER, HR, STAFF) if r in access.roles)
        client.force_login(EmployeeFactory(roles=[role]).user)
    response = client.get(reverse(name, kwargs=access.kwargs()))
    if response.get("Content-Type", "").startswith("text/html"):
        assert not EXTERNAL.search(response.content.decode()), name
