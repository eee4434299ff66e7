"""Demo survey answers for the resolved demo complaints whose customer has an email address;
then the pulse survey's demo weeks (:mod:`complaints.survey.pulse.demo`).

Realistic shares: about 60 % of customers answer, about three in four of them
satisfied — fewer where the handler already noted an unhappy customer; a few
leave a comment. Rows are keyed by (complaint, round 1) and no email is sent; a
second run adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from complaints.models import DONE_STATUSES, Complaint, Satisfaction
from complaints.survey.models import SatisfactionSurvey, SurveyAnswer
from complaints.survey.pulse import demo as pulse_demo
from complaints.survey.services import company_language, survey_email_for, survey_emails_record_sent

ANSWER_RATE = 0.6
SATISFIED_RATE = 0.75
COMMENTS = {
    SurveyAnswer.SATISFIED: ["Quick and polite, thank you.", "The engineer explained everything."],
    SurveyAnswer.NOT_SATISFIED: [
        "It took three calls to get an answer.",
        "The problem came back a week later.",
    ],
}


# The email goes out a few minutes after the resolution.
SENT_AFTER = datetime.timedelta(minutes=5)


def seed() -> None:
    rng = random.Random(8)
    complaints = (
        Complaint.objects.filter(status__in=DONE_STATUSES, resolved_at__isnull=False, surveys__isnull=True)
        .filter(external_ref__startswith="demo-")
        .select_related("customer")
        .order_by("pk")
    )
    surveys = []
    now = timezone.now()
    for complaint in complaints:
        email = survey_email_for(complaint)
        if not email:
            continue
        sent_at = complaint.resolved_at + SENT_AFTER
        survey = SatisfactionSurvey(
            complaint=complaint,
            email=email,
            language=company_language(),
            created_at=complaint.resolved_at,
        )
        if rng.random() < ANSWER_RATE:
            unhappy = complaint.customer_satisfied == Satisfaction.NO
            satisfied = rng.random() < (0.2 if unhappy else SATISFIED_RATE)
            survey.answer = SurveyAnswer.SATISFIED if satisfied else SurveyAnswer.NOT_SATISFIED
            survey.answered_at = min(now, sent_at + datetime.timedelta(hours=rng.randint(1, 72)))
            if rng.random() < 0.3:
                survey.comment = rng.choice(COMMENTS[survey.answer])
                survey.commented_at = survey.answered_at
        surveys.append(survey)
    survey_emails_record_sent(surveys, sent_at=lambda survey: survey.created_at + SENT_AFTER)
    SatisfactionSurvey.objects.bulk_create(surveys, batch_size=500)
    # As a real answer does: it fills "customer satisfied" where the handler recorded nothing.
    for answer in SurveyAnswer.values:
        Complaint.objects.filter(
            pk__in=[s.complaint_id for s in surveys if s.answer == answer],
            customer_satisfied=Satisfaction.NOT_ASKED,
        ).update(customer_satisfied=answer)
    pulse_demo.seed()
