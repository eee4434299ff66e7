"""Who may open the weekly report archive: managers."""

from __future__ import annotations

from people.roles import MANAGER
from tests.url_access import Access

MANAGERS = frozenset({MANAGER})


def _report_kwargs() -> dict:
    from tests.factories import ReportFactory

    return {"pk": ReportFactory().pk}


def _chart_kwargs() -> dict:
    return {**_report_kwargs(), "name": "headcount"}


URL_ACCESS = {
    "reports:report_list": Access(MANAGERS),
    "reports:report_preview": Access(MANAGERS, method="post"),
    "reports:report_detail": Access(MANAGERS, kwargs=_report_kwargs),
    "reports:report_chart": Access(MANAGERS, kwargs=_chart_kwargs),
    "reports:report_resend": Access(MANAGERS, kwargs=_report_kwargs, method="post"),
}
