"""The programme's demo: a charter in the staff's words, a year of targets with some off
track, and a completed action with its effectiveness result."""

from __future__ import annotations

from complaints import demo as complaints_demo
from metrics import demo as metrics_demo
from people import demo as organisation_demo
from programme import demo, rules, selectors
from programme.models import (
    CharterEntry,
    CharterRevision,
    CheckStatus,
    EffectivenessCheck,
    ProgrammeLead,
    Target,
)
from programme.prompts import BENEFIT_PROMPTS, FEAR_PROMPTS
from standards import demo as standards_demo
from training import demo as training_demo


def test_it_seeds_a_programme_once(db):
    organisation_demo.seed()
    standards_demo.seed()
    training_demo.seed()
    complaints_demo.seed()
    metrics_demo.seed()
    demo.seed()
    counts = (CharterEntry.objects.count(), Target.objects.count(), EffectivenessCheck.objects.count())
    demo.seed()
    assert counts == (
        CharterEntry.objects.count(),
        Target.objects.count(),
        EffectivenessCheck.objects.count(),
    )

    charter = selectors.current_charter()
    assert CharterRevision.objects.count() == 2 and charter.number == 2
    assert charter.content["benefits"] and all(
        fear["answer"] and fear["figure"] for fear in charter.content["fears"]
    )
    prompts = {str(prompt.text) for prompt in (*BENEFIT_PROMPTS, *FEAR_PROMPTS)}
    assert not prompts & set(CharterEntry.objects.values_list("text", flat=True))
    assert CharterEntry.objects.filter(merged_into__isnull=False).exists()

    progress = selectors.target_progress(year=charter.published_at.year)
    statuses = {item.company.status for item in progress}
    assert len(progress) == 10
    assert rules.OFF_TRACK in statuses and rules.ON_TRACK in statuses

    confirmed = EffectivenessCheck.objects.get(status=CheckStatus.CONFIRMED)
    assert confirmed.verdict and confirmed.before_count is not None and confirmed.outcome == "effective"
    assert "Confirmed effective" in confirmed.action.effectiveness_note
    assert EffectivenessCheck.objects.filter(status=CheckStatus.MEASURED).exists()
    assert ProgrammeLead.objects.filter(is_current=False).exists()
