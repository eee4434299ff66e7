"""Signals of the organisation, for apps that build on it.

``employees_changed`` is sent, inside the transaction of the change, whenever a
service hires people, moves them (department, position, customer-facing), changes
their dates or records that they left, with ``employee_ids`` (a list of ids). The
training app keeps its stored standings current from it; people does not know who
listens (training builds on people, not the reverse).
"""

from __future__ import annotations

from django.dispatch import Signal

employees_changed = Signal()
