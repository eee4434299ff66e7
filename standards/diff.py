"""What changed between two versions of a standard: the body line by line, the steps one by one."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from standards.models import StandardVersion


@dataclass(frozen=True)
class BodyLine:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class StepChange:
    kind: str  # "same", "added", "removed" or "changed"
    old_text: str = ""
    new_text: str = ""
    old_benefit: str = ""
    new_benefit: str = ""


@dataclass(frozen=True)
class VersionDiff:
    old: StandardVersion
    new: StandardVersion
    body: list[BodyLine]
    steps: list[StepChange]

    @property
    def body_changed(self) -> bool:
        return any(line.kind != "same" for line in self.body)

    @property
    def steps_changed(self) -> bool:
        return any(step.kind != "same" for step in self.steps)

    @property
    def has_changes(self) -> bool:
        return self.body_changed or self.steps_changed


def _body_lines(old: str, new: str) -> list[BodyLine]:
    kinds = {" ": "same", "+": "added", "-": "removed"}
    return [
        BodyLine(kinds[line[0]], line[2:])
        for line in difflib.ndiff(old.splitlines(), new.splitlines())
        if line[0] in kinds
    ]


def _step_changes(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[StepChange]:
    changes: list[StepChange] = []
    matcher = difflib.SequenceMatcher(a=[s[0] for s in old], b=[s[0] for s in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (text, old_why), (_text, new_why) in zip(old[i1:i2], new[j1:j2], strict=True):
                kind = "same" if old_why == new_why else "changed"
                changes.append(StepChange(kind, text, text, old_why, new_why))
            continue
        removed, added = old[i1:i2], new[j1:j2]
        paired = min(len(removed), len(added)) if tag == "replace" else 0
        for (old_text, old_why), (new_text, new_why) in zip(removed[:paired], added[:paired], strict=True):
            changes.append(StepChange("changed", old_text, new_text, old_why, new_why))
        changes += [StepChange("removed", old_text=t, old_benefit=w) for t, w in removed[paired:]]
        changes += [StepChange("added", new_text=t, new_benefit=w) for t, w in added[paired:]]
    return changes


def version_diff(old: StandardVersion, new: StandardVersion) -> VersionDiff:
    """Compare two versions (either order is allowed; ``old`` is shown as the base)."""
    old_steps = list(old.steps.order_by("order").values_list("text", "customer_benefit"))
    new_steps = list(new.steps.order_by("order").values_list("text", "customer_benefit"))
    return VersionDiff(old, new, _body_lines(old.body, new.body), _step_changes(old_steps, new_steps))
