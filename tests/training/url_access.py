"""Who may open which training page (see ``tests/url_access.py``)."""

from __future__ import annotations

from people.roles import HR, MANAGER, STAFF
from tests.url_access import ANY_ROLE, PUBLIC, Access

HR_ONLY = frozenset({HR})
HR_AND_MANAGERS = frozenset({HR, MANAGER})


def _course() -> dict:
    from tests.factories import CourseFactory

    return {"pk": CourseFactory().pk}


def _session() -> dict:
    from tests.factories import SessionFactory

    return {"pk": SessionFactory().pk}


def _enrolment() -> dict:
    from tests.factories import EnrolmentFactory

    return {"pk": EnrolmentFactory().pk}


def _employee() -> dict:
    from tests.factories import EmployeeFactory

    return {"pk": EmployeeFactory().pk}


def _department() -> dict:
    from tests.factories import DepartmentFactory

    return {"pk": DepartmentFactory().pk}


URL_ACCESS: dict[str, Access] = {
    "training:my_trainings": Access(ANY_ROLE),
    "training:enrolment_respond": Access(ANY_ROLE, method="post"),
    "training:feed_renew": Access(ANY_ROLE, method="post"),
    # The secret address is the key: an unknown token is a 404 for everyone.
    "training:feed": Access(PUBLIC, kwargs=lambda: {"token": "not-a-token"}),
    "training:course_list": Access(HR_AND_MANAGERS),
    "training:course_create": Access(HR_ONLY),
    "training:course_edit": Access(HR_ONLY, kwargs=_course),
    # Staff who give a session see their own calendar (tested in test_views); others get a 403.
    "training:calendar": Access(HR_AND_MANAGERS),
    "training:session_create": Access(HR_ONLY),
    "training:session_detail": Access(HR_AND_MANAGERS, kwargs=_session),
    "training:session_edit": Access(HR_ONLY, kwargs=_session),
    "training:session_enrol": Access(HR_ONLY, kwargs=_session, method="post"),
    "training:session_invite_choices": Access(HR_ONLY, kwargs=_session),
    "training:session_cancel": Access(HR_ONLY, kwargs=_session, method="post"),
    "training:session_attendance": Access(HR_ONLY, kwargs=_session),
    # Participants and the trainer too; the test's staff member takes no part: 404.
    "training:session_ics": Access(HR_AND_MANAGERS, kwargs=_session, not_found_for=frozenset({STAFF})),
    "training:enrolment_excuse": Access(HR_ONLY, kwargs=_enrolment, method="post"),
    "training:conflicts": Access(HR_ONLY),
    "training:planner": Access(HR_ONLY),
    "training:planner_changes": Access(HR_ONLY, kwargs=_employee),
    "training:compliance": Access(HR_AND_MANAGERS),
    "training:compliance_team": Access(frozenset({MANAGER})),
    "training:compliance_department": Access(HR_AND_MANAGERS, kwargs=_department),
    "training:employee_record": Access(HR_AND_MANAGERS, kwargs=_employee),
}
