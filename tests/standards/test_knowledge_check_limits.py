"""A knowledge check beyond what its columns hold is refused with a message, not a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from standards import services
from standards.models import Choice
from tests.factories import publish_standard_version


@pytest.fixture
def draft(manager_employee):
    published = publish_standard_version(publisher=manager_employee.user)
    return services.standard_version_start_draft(standard=published.standard, author=manager_employee.user)


def _save(client, draft, knowledge_check: str):
    return client.post(
        reverse("standards:draft_edit", args=[draft.pk]),
        {
            "body": "Be kind.",
            "change_summary": "",
            "knowledge_check": knowledge_check,
            "pass_mark_percent": 80,
            "steps-TOTAL_FORMS": 1,
            "steps-INITIAL_FORMS": 0,
            "steps-0-text": "Greet",
        },
    )


@pytest.mark.parametrize(
    ("knowledge_check", "message"),
    [
        ("? Q\n* " + "a" * 301 + "\n- no", "An answer is at most 300 characters"),
        ("? Q\n* yes\n" + "- no\n" * 32_000, "has more than 10 answers"),
        ("\n".join(f"? Q{n}\n* yes\n- no" for n in range(51)), "At most 50 questions."),
    ],
    ids=["long answer", "32k answers", "51 questions"],
)
def test_it_refuses_a_knowledge_check_too_large_with_a_message(
    manager_client, draft, knowledge_check, message
):
    response = _save(manager_client, draft, knowledge_check)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Choice.objects.filter(question__version=draft).exists()


def test_it_keeps_a_knowledge_check_at_the_limits(manager_client, draft):
    response = _save(manager_client, draft, "? Q\n* " + "a" * 300 + "\n" + "- no\n" * 9)
    assert response.status_code == 302
    assert Choice.objects.filter(question__version=draft).count() == 10
