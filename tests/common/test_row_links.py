"""Row links reversed once a page (``common.row_links.url_for_id``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.row_links import url_for_id


@pytest.mark.parametrize("name", ["training:employee_record", "training:planner_changes", "standards:read"])
def test_it_makes_the_url_reverse_makes_for_any_id(name):
    url = url_for_id(name)

    for pk in (1, 42, 2**31 - 1):
        assert url(pk) == reverse(name, args=[pk])


def test_it_puts_the_id_after_the_leading_args_the_rows_share():
    url = url_for_id("complaints:attachment_download", 7)

    for pk in (1, 42, 2**31 - 1):
        assert url(pk) == reverse("complaints:attachment_download", args=[7, pk])
