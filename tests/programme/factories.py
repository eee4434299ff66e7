"""factory_boy factories of the programme's models (the app's own, beside tests/factories.py)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from tests.factories import CorrectiveActionFactory, UserFactory


class CharterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.CharterEntry"

    kind = "benefit"
    text = factory.Sequence(lambda n: f"Customers who are treated well come back ({n}).")
    author = factory.SubFactory(UserFactory)


class CharterRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.CharterRevision"

    number = factory.Sequence(lambda n: n + 1)
    published_by = factory.SubFactory(UserFactory, roles=["Manager"])
    content = factory.LazyFunction(
        lambda: {
            "benefits": [{"entry": 1, "text": "Loyal customers tell their friends.", "supporters": 3}],
            "fears": [],
        }
    )


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Target"

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    figure = "promise_kept"
    direction = "higher"
    value = 0.9
    owner = factory.SubFactory(UserFactory, roles=["Manager"])


class EffectivenessCheckFactory(factory.django.DjangoModelFactory):
    """A check measured and waiting for its owner's verdict (pass ``status`` otherwise)."""

    class Meta:
        model = "programme.EffectivenessCheck"

    action = factory.SubFactory(CorrectiveActionFactory, status="done", effectiveness_note="Done.")
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=91))
    due_on = factory.LazyAttribute(lambda check: check.completed_on + datetime.timedelta(days=90))
    status = "measured"
    verdict = "no_clear_change"
