"""Survey template tags: the card on a complaint's page, the tiles on the dashboard."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from common.query_params import parse_int
from complaints.models import Satisfaction
from complaints.survey.selectors import survey_figures, survey_for_complaint

register = template.Library()


@register.inclusion_tag("complaints/survey/snippets/complaint_survey.html")
def complaint_survey(complaint) -> dict:
    survey = survey_for_complaint(complaint=complaint)
    differs = bool(
        survey
        and survey.answer
        and complaint.customer_satisfied != Satisfaction.NOT_ASKED
        and complaint.customer_satisfied != survey.answer
    )
    return {"survey": survey, "complaint": complaint, "differs": differs}


def _date(value, default: datetime.date) -> datetime.date:
    """A date from the dashboard (a date or an ISO string); ``default`` when it has none."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return default


@register.inclusion_tag("complaints/survey/snippets/dashboard_section.html")
def survey_dashboard(start, end, department_key="all") -> dict:
    """The survey tiles for the dashboard's period and department ("all" or an id)."""
    department_id = parse_int(str(department_key or ""))
    today = timezone.localdate()
    return {
        "figures": survey_figures(
            start=_date(start, today - datetime.timedelta(days=365)),
            end=_date(end, today),
            department_id=department_id,
        ),
    }
