"""Who may open the notification pages: preferences for everyone, reports for managers."""

from __future__ import annotations

from servicecraft.roles import MANAGER
from tests.url_access import ANY_ROLE, Access

MANAGERS = frozenset({MANAGER})


def _report_kwargs() -> dict:
    from tests.factories import ReportFactory

    return {"pk": ReportFactory().pk}


def _chart_kwargs() -> dict:
    return {**_report_kwargs(), "name": "headcount"}


URL_ACCESS = {
    "servicecraft:notification_preferences": Access(ANY_ROLE),
    "servicecraft:report_list": Access(MANAGERS),
    "servicecraft:report_detail": Access(MANAGERS, kwargs=_report_kwargs),
    "servicecraft:report_chart": Access(MANAGERS, kwargs=_chart_kwargs),
    "servicecraft:report_resend": Access(MANAGERS, kwargs=_report_kwargs, method="post"),
}
