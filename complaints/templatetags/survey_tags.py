"""``{% complaint_survey complaint %}``: the survey card on a complaint's page (one query)."""

from __future__ import annotations

from django import template

from ..models import Satisfaction
from ..survey_selectors import survey_for_complaint

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
