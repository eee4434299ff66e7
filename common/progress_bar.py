"""A progress bar for the terminal, for the import commands (no dependency needed)."""

from __future__ import annotations

import time
from typing import TextIO

from django.utils.translation import gettext as _

WIDTH = 30
# Redraw at most this often: a 2M-row import must not spend its time printing.
MIN_INTERVAL_SECONDS = 0.2


class TerminalProgressBar:
    """An import ``progress(phase, done, total)`` drawing ``[#####.....] 50 % saving 1000/2000``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last_draw = 0.0
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = total and done >= total
        if phase == self.phase and not finished and now - self.last_draw < MIN_INTERVAL_SECONDS:
            return
        if self.phase and phase != self.phase:
            self.stream.write("\n")
        self.phase, self.last_draw = phase, now
        fraction = min(1.0, done / total) if total else 0.0
        filled = int(WIDTH * fraction)
        label = {"counting": _("counting"), "validating": _("checking"), "writing": _("saving")}.get(
            phase, phase
        )
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {fraction:4.0%} {label} {done}/{total}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.phase:
            self.stream.write("\n")
