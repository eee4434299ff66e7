"""Signals of the complaint log, for apps that build on it.

``corrective_action_completed`` is sent when a corrective action is done — closed by
hand as done, or closed because the standard revision it asked for was published —
with ``action`` (a :class:`~complaints.models.CorrectiveAction`). It is sent inside the
transaction that completes the action, so what a receiver writes commits or rolls back
with the completion. The programme schedules the action's effectiveness check; the
complaint log does not know who listens (the programme builds on complaints, not the
reverse).
"""

from __future__ import annotations

from django.dispatch import Signal

corrective_action_completed = Signal()
