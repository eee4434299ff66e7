"""The badge of a person's status for a standard (``standards_tags.my_status_badge``)."""

from __future__ import annotations

import pytest
from django.utils import translation

from standards.selectors import MyStatus
from standards.templatetags.standards_tags import my_status_badge


@pytest.mark.parametrize(
    ("status", "badge"),
    [
        (MyStatus.ACKNOWLEDGED, '<span class="badge text-bg-success">Acknowledged</span>'),
        (MyStatus.OVERDUE, '<span class="badge text-bg-danger">Overdue</span>'),
        (MyStatus.REACKNOWLEDGE, '<span class="badge text-bg-warning">Re-acknowledgement needed</span>'),
        (MyStatus.TO_READ, '<span class="badge text-bg-primary">To read</span>'),
    ],
)
def test_it_colours_and_names_each_status(status, badge):
    assert my_status_badge(status) == badge


def test_it_speaks_the_language_of_the_page():
    with translation.override("ru"):
        assert (
            my_status_badge(MyStatus.ACKNOWLEDGED) == '<span class="badge text-bg-success">Ознакомлен</span>'
        )
