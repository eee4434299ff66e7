"""Hostile input on every page: no response is a server error, none leaks another department.

For every URL pattern (the ``URL_ACCESS`` tables that the permission test walks) and every
role, the pages get query strings and form data full of what an attacker or a careless paste
sends: unicode digits, numbers larger than any column, NUL and control characters, very long
strings, impossible dates, malformed pagination cursors; the ids in the path are replaced by
ones that are too large and by ids of objects belonging to others; the text segments of the
path by hostile strings. Every response must be below 500, and no page answering someone who
is not a manager may show a complaint of another department.

The values are a fixed corpus (so a failure reproduces) plus, for the pages with search
filters, a bounded Hypothesis run. The whole file runs in about a minute.
"""

from __future__ import annotations

import base64
import traceback
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.roles import HR, MANAGER, STAFF
from tests.factories import ComplaintFactory, DepartmentFactory, EmployeeFactory
from tests.test_url_permissions import ACCESS
from tests.url_access import PUBLIC

SECRET_SUMMARY = "Zebra-7731 refund to the ambassador"
SECRET_CUSTOMER = "Quentin Xylophone-Secret"


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# What the query strings and forms get (each request sets every parameter to one of these).
HOSTILE_VALUES = [
    "²",  # str.isdigit() says yes, int() says no
    "١٢٣",  # Arabic-Indic digits
    "9" * 40,  # larger than any integer column
    str(2**63),  # one more than PostgreSQL's bigint
    "a\x00b",  # PostgreSQL refuses NUL in text
    "x" * 6000,
    "9999-12-31",
    "2025-02-30",
    _cursor("2025-01-01T00:00:00|99999999999999999999999"),  # a cursor with a huge id
    "!!!not-base64!!!",
]
# What the other roles allowed on a page get, and what forms are posted with.
SHORT_VALUES = ["²", "9" * 40, "a\x00b"]
POSTED_VALUES = ["a\x00b\r\nBcc: x@example.com", "9" * 40, "x" * 6000]
# Parameter names the pages read (query strings and forms), each set to the same value.
PARAMETERS = [
    "q",
    "status",
    "department",
    "page",
    "after",
    "sort",
    "period",
    "date",
    "view",
    "days",
    "course",
    "employees",
    "employee",
    "missing",
    "all",
    "include_left",
    "expected_effort_days",
    "old",
    "new",
    "complaint",
    "start",
    "end",
    "channel",
    "root_cause",
    "mine",
    "overdue",
    "unsatisfied",
    "calculate",
    "monthly_revenue",
    "years",
    "referred_friends",
    "kind",
    "answer",
    "comment",
    "summary",
    "customer_name",
    "customer",
    "customer_contact",
    "customer_search",
    "find_customer",
    "pick_customer",
    "new_customer",
    "customer_confirmed",
    # The public complaint form (its honeypot "website" stays empty, so the form itself is checked).
    "story",
    "contact",
    "consent",
    "name",
    "title",
    "username",
    "email",
    "hired_on",
    "left_on",
    "promised_on",
    "due_on",
    "observed_on",
    "starts_at",
    "capacity",
    "printed_name",
    "password",
    "confirm",
    "handler",
    "owner",
    "form",
    "language",
    "next",
    "body",
    "canned",
    "cause",
    "is_active",
]
HOSTILE_IDS = [2**63 + 5, 99_999_999]
HOSTILE_SEGMENTS = ["%00", "x" * 3000, "%C2%B2", "%FF%FE"]
ROLES = [None, STAFF, HR, MANAGER]


@pytest.fixture
def world(db):
    """Signed-in clients per role (the staff member in department A) and a complaint of
    department B that only managers may see."""
    own, other = DepartmentFactory(name="Alpha desk"), DepartmentFactory(name="Beta desk")
    people = {
        STAFF: EmployeeFactory(roles=[STAFF], department=own),
        HR: EmployeeFactory(roles=[HR], department=own),
        MANAGER: EmployeeFactory(roles=[MANAGER], department=own),
    }
    secret = ComplaintFactory(department=other, summary=SECRET_SUMMARY, customer_name=SECRET_CUSTOMER)
    return {"people": people, "secret": secret}


def _client(world, role) -> Client:
    client = Client(raise_request_exception=True)
    if role is not None:
        client.force_login(world["people"][role].user)
    return client


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def _urls(name: str, kwargs: dict, secret_pk: int) -> list[str]:
    """The page's own URL, then the same with hostile path arguments."""
    base = reverse(name, kwargs=kwargs)
    urls = [base]
    for key, value in kwargs.items():
        if isinstance(value, int):
            for other in [*HOSTILE_IDS, secret_pk]:
                urls.append(reverse(name, kwargs={**kwargs, key: other}))
        else:
            encoded = quote(str(value), safe="")
            if encoded and encoded in base:
                urls += [base.replace(encoded, segment, 1) for segment in HOSTILE_SEGMENTS]
    return urls


def _check(client, method: str, url: str, data: dict, *, role, problems: list) -> None:
    try:
        response = getattr(client, method)(url, data)
    except Exception:  # the test client re-raises what the view raised: a 500
        ours = [line for line in traceback.format_exc().splitlines() if "site-packages" not in line]
        problems.append(f"{method.upper()} {url[:120]}: " + "\n".join(ours[-8:]))
        return
    if response.status_code >= 500:
        problems.append(f"{method.upper()} {url[:120]}: {response.status_code}")
        return
    if role != MANAGER and response.status_code == 200:
        body = _body(response)
        if SECRET_SUMMARY in body or SECRET_CUSTOMER in body:
            problems.append(f"{method.upper()} {url[:120]} showed {role} another department's complaint")


def _sweep(access, role) -> tuple[list[str], list[str], bool]:
    """(GET values, POST values, path variants?) for ``role`` on a page: the widest sweep for the
    first role allowed in (Manager, HR, Staff order), a short one for the others allowed, one
    request for those kept out (they never reach the view)."""
    allowed = [r for r in (MANAGER, HR, STAFF) if access.roles == PUBLIC or r in access.roles]
    if access.roles == PUBLIC and role is None or (allowed and role == allowed[0]):
        return HOSTILE_VALUES, POSTED_VALUES, True
    if role in allowed:
        return SHORT_VALUES, POSTED_VALUES[:1], True
    return SHORT_VALUES[:1], [], False


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_answers_hostile_input_without_a_server_error_or_a_leak(world, name):
    access = ACCESS[name]
    kwargs = access.kwargs()
    problems: list[str] = []
    for role in ROLES:
        client = _client(world, role)
        got, posted, paths = _sweep(access, role)
        urls = _urls(name, kwargs, world["secret"].pk)
        for value in got:
            _check(client, "get", urls[0], dict.fromkeys(PARAMETERS, value), role=role, problems=problems)
        for value in posted:
            _check(client, "post", urls[0], dict.fromkeys(PARAMETERS, value), role=role, problems=problems)
            if name == "logout" and role is not None:
                client = _client(world, role)
        for url in urls[1:] if paths else []:
            _check(client, access.method, url, {}, role=role, problems=problems)
    assert problems == [], "\n".join(problems[:20])


# --- generated values on the pages with filters ------------------------------------------------

FILTERED_PAGES = [
    "complaints:complaint_list",
    "complaints:action_list",
    "complaints:complaint_export",
    "complaints:customer_picker",
    "people:employee_list",
    "metrics:api_summary",
    "training:planner",
    "training:calendar",
    "standards:library",
]
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
_values = st.one_of(
    _text,
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.binary(max_size=40).map(lambda b: base64.urlsafe_b64encode(b).decode()),
)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.dictionaries(st.sampled_from(PARAMETERS), _values, max_size=6))
def test_it_never_fails_on_generated_filters(world, query):
    for role in (STAFF, HR, MANAGER):
        client = _client(world, role)
        for name in FILTERED_PAGES:
            access = ACCESS[name]
            if role not in access.roles:
                continue
            problems: list[str] = []
            _check(client, "get", reverse(name, kwargs=access.kwargs()), query, role=role, problems=problems)
            assert problems == [], problems
