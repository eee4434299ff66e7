"""Signals of the standards library, for apps that build on it.

``version_published`` is sent once a new version of a standard is published and
committed, with ``version`` (a :class:`~standards.models.StandardVersion`). The
complaints app closes the corrective actions that asked for that revision; the
library does not know who listens (complaints builds on standards, not the reverse).
"""

from __future__ import annotations

from django.dispatch import Signal

version_published = Signal()
