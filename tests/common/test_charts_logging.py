"""Logging: what reaches the console at the default level."""

from __future__ import annotations

import logging

from common import charts


def test_it_keeps_matplotlibs_notes_on_category_labels_out_of_the_log(caplog):
    with caplog.at_level(logging.INFO):
        charts.figure_bytes(
            charts.count_bars(title="Complaints", labels=["2026-10", "2026-11"], values=[3, 4]), fmt="png"
        )

    assert not [record for record in caplog.records if record.name.startswith("matplotlib")]
