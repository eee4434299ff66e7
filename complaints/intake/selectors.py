"""Reads of the intake: the public form's links (the company's first, then each department's)."""

from __future__ import annotations

from complaints.intake.links import IntakeTarget, intake_target
from people.selectors import department_list


def intake_targets() -> list[IntakeTarget]:
    """Every public-form link to print: the company's, then one per department by name."""
    return [intake_target(None), *(intake_target(department) for department in department_list())]
