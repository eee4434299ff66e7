"""Who may open the programme pages (see tests/url_access.py)."""

from __future__ import annotations

from people.roles import MANAGER
from tests.url_access import ANY_ROLE, Access

MANAGERS = frozenset({MANAGER})


def _entry() -> dict:
    from tests.programme.factories import CharterEntryFactory

    return {"pk": CharterEntryFactory().pk}


def _revision() -> dict:
    from tests.programme.factories import CharterRevisionFactory

    return {"number": CharterRevisionFactory().number}


def _target() -> dict:
    from tests.programme.factories import TargetFactory

    return {"pk": TargetFactory().pk}


def _check() -> dict:
    # The action belongs to someone else: only managers (and its owner) may see the check.
    from tests.programme.factories import EffectivenessCheckFactory

    return {"pk": EffectivenessCheckFactory().pk}


URL_ACCESS = {
    "programme:overview": Access(MANAGERS),
    "programme:charter": Access(ANY_ROLE),
    "programme:charter_history": Access(ANY_ROLE),
    "programme:charter_revision": Access(ANY_ROLE, kwargs=_revision),
    "programme:brainstorm": Access(ANY_ROLE),
    "programme:entry_support": Access(ANY_ROLE, kwargs=_entry, method="post"),
    "programme:entry_manage": Access(MANAGERS, kwargs=_entry),
    "programme:charter_publish": Access(MANAGERS),
    "programme:target_create": Access(MANAGERS),
    "programme:target_edit": Access(MANAGERS, kwargs=_target),
    "programme:target_delete": Access(MANAGERS, kwargs=_target, method="post"),
    "programme:target_trend": Access(MANAGERS, kwargs=_target),
    "programme:target_departments": Access(MANAGERS, kwargs=_target),
    "programme:lead_appoint": Access(MANAGERS),
    "programme:golden_rules": Access(MANAGERS),
    "programme:golden_rules_review": Access(MANAGERS),
    "programme:checks": Access(MANAGERS),
    "programme:check_detail": Access(MANAGERS, kwargs=_check),
    "programme:review_latest": Access(MANAGERS),
    "programme:review_pack": Access(MANAGERS, kwargs=lambda: {"quarter": "2026-Q1"}),
}
