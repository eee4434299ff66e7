"""Who may open the standards pages (walked by tests/test_url_permissions.py)."""

from __future__ import annotations

from people.roles import MANAGER
from tests.url_access import ANY_ROLE, Access

MANAGERS = frozenset({MANAGER})


def _published() -> dict:
    from tests.factories import publish_standard_version

    return {"pk": publish_standard_version().standard_id}


def _version() -> dict:
    from tests.factories import publish_standard_version

    return {"pk": publish_standard_version().pk}


def _draft() -> dict:
    from standards import services
    from tests.factories import publish_standard_version

    version = publish_standard_version()
    return {
        "pk": services.standard_version_start_draft(
            standard=version.standard, author=version.standard.owner
        ).pk
    }


def _step() -> dict:
    from tests.factories import publish_standard_version

    return {"pk": publish_standard_version().steps.first().pk}


def _flag() -> dict:
    from standards import services
    from tests.factories import UserFactory, publish_standard_version

    step = publish_standard_version().steps.first()
    return {"pk": services.step_flag_create(step=step, user=UserFactory(), note="Protects us").pk}


URL_ACCESS: dict[str, Access] = {
    "standards:my_standards": Access(ANY_ROLE),
    "standards:read": Access(ANY_ROLE, kwargs=_published),
    "standards:standard_print": Access(ANY_ROLE, kwargs=_published),
    "standards:knowledge_check": Access(ANY_ROLE, kwargs=_version),
    "standards:acknowledge": Access(ANY_ROLE, kwargs=_version, method="post"),
    "standards:step_flag": Access(ANY_ROLE, kwargs=_step),
    "standards:library": Access(MANAGERS),
    "standards:standard_create": Access(MANAGERS),
    "standards:coverage": Access(MANAGERS),
    "standards:compliance": Access(MANAGERS),
    "standards:flags": Access(MANAGERS),
    "standards:flag_resolve": Access(MANAGERS, kwargs=_flag, method="post"),
    "standards:standard_detail": Access(MANAGERS, kwargs=_published),
    "standards:standard_edit": Access(MANAGERS, kwargs=_published),
    "standards:standard_retire": Access(MANAGERS, kwargs=_published, method="post"),
    "standards:standard_reinstate": Access(MANAGERS, kwargs=_published, method="post"),
    "standards:standard_history": Access(MANAGERS, kwargs=_published),
    "standards:version_compare": Access(MANAGERS, kwargs=_published),
    "standards:standard_review": Access(MANAGERS, kwargs=_published),
    "standards:standard_coverage": Access(MANAGERS, kwargs=_published),
    "standards:standard_coverage_csv": Access(MANAGERS, kwargs=_published),
    "standards:compliance_check_create": Access(MANAGERS, kwargs=_published),
    "standards:draft_start": Access(MANAGERS, kwargs=_published, method="post"),
    "standards:version_detail": Access(MANAGERS, kwargs=_version),
    "standards:draft_edit": Access(MANAGERS, kwargs=_draft),
    "standards:draft_publish": Access(MANAGERS, kwargs=_draft),
}
