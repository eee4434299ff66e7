"""Benchmark data and pages of the satisfaction survey (see ``servicecraft/bench.py``).

A survey for about a third of the resolved bench complaints (≈ 300k at ``--size
large``), 60 % of them answered, so the results page aggregates a realistic table.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection

from common.bench import BenchPage, Size
from complaints.models import DONE_STATUSES, Complaint
from complaints.survey.models import SatisfactionSurvey, SurveyAnswer
from complaints.survey.services import survey_emails_record_sent

BATCH = 10_000
SURVEYED_SHARE = 0.33


def build_dataset(*, size: Size, rng: random.Random) -> None:
    resolved = Complaint.objects.filter(status__in=DONE_STATUSES, resolved_at__isnull=False).values_list(
        "pk", "resolved_at"
    )
    batch: list[SatisfactionSurvey] = []
    for complaint_id, resolved_at in resolved.iterator(chunk_size=BATCH):
        if rng.random() >= SURVEYED_SHARE:
            continue
        survey = SatisfactionSurvey(
            complaint_id=complaint_id,
            email="customer@example.com",
            created_at=resolved_at,
        )
        if rng.random() < 0.6:
            survey.answer = SurveyAnswer.SATISFIED if rng.random() < 0.75 else SurveyAnswer.NOT_SATISFIED
            survey.answered_at = resolved_at + datetime.timedelta(hours=rng.randint(1, 72))
        batch.append(survey)
        if len(batch) >= BATCH:
            _store(batch)
            batch = []
    _store(batch)
    if connection.vendor == "postgresql":
        # Without fresh statistics the planner expects a few hundred surveys a year and
        # joins a year's 100k to their complaints one by one (seconds instead of a hash join).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_satisfactionsurvey")
            cursor.execute("ANALYZE notifications_notification")


def _store(surveys: list[SatisfactionSurvey]) -> None:
    survey_emails_record_sent(surveys, sent_at=lambda survey: survey.created_at)
    SatisfactionSurvey.objects.bulk_create(surveys, batch_size=BATCH)


def bench_pages() -> list[BenchPage]:
    return [
        BenchPage("complaints: customer satisfaction (12 months)", "/survey/results/"),
        # Counts the next draw over every customer who bought in the window (grouped in SQL).
        BenchPage("complaints: pulse survey (the next draw)", "/survey/pulse/"),
    ]
