"""Who may open which page: the table the permission test walks.

Every named URL of the project must appear in one of the apps' ``URL_ACCESS``
tables (this file for the shell, ``tests/<app>/url_access.py`` for each app); the
test in ``tests/test_url_permissions.py`` fails when a URL has no entry.

An entry gives the roles that may open the page (``PUBLIC`` for everyone, even
anonymous) and, for URLs with arguments, a function that creates what the URL
points at and returns its kwargs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from people.roles import HR, MANAGER, STAFF

PUBLIC = "public"
ANY_ROLE = frozenset({MANAGER, HR, STAFF})


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] | str
    kwargs: Callable[[], dict] = field(default=dict)
    # For pages that only take POST, the test sends a POST with no data.
    method: str = "get"
    # Roles that pass the page's role check but may not see this object (it is another
    # department's, or they take no part in it): they get 404, as for an object that does
    # not exist, so that ids of objects they may not see stay unknown.
    not_found_for: frozenset[str] = frozenset()


def _employee_kwargs() -> dict:
    from tests.factories import EmployeeFactory

    return {"pk": EmployeeFactory().pk}


URL_ACCESS: dict[str, Access] = {
    "home": Access(ANY_ROLE),
    "healthz": Access(PUBLIC),
    "security_txt": Access(PUBLIC),
    "set_language": Access(PUBLIC, method="post"),
    "login": Access(PUBLIC),
    "logout": Access(PUBLIC, method="post"),
    "password_change": Access(ANY_ROLE),
    "password_change_done": Access(ANY_ROLE),
    "password_reset": Access(PUBLIC),
    "password_reset_done": Access(PUBLIC),
    "password_reset_confirm": Access(PUBLIC, kwargs=lambda: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Access(PUBLIC),
    # Any signed-in person; the link itself says which account may use it (400 otherwise).
    "language_save": Access(ANY_ROLE, method="post"),
    "email_change_confirm": Access(ANY_ROLE, kwargs=lambda: {"token": "not-a-signed-token"}),
    "people:employee_list": Access(frozenset({HR, MANAGER})),
    "people:employee_create": Access(frozenset({HR, MANAGER})),
    "people:employee_edit": Access(frozenset({HR, MANAGER}), kwargs=_employee_kwargs),
    "people:employee_deactivate": Access(frozenset({HR, MANAGER}), kwargs=_employee_kwargs),
    "people:employee_handover": Access(frozenset({HR, MANAGER}), kwargs=_employee_kwargs),
    "people:employee_import": Access(frozenset({HR, MANAGER})),
}
