"""Generic helpers every app shares, importing no app of servicecraft.

The CSV import engine (all-or-nothing, row-level errors), date rules (plausible dates,
month arithmetic, day bounds), formula-safe exports, chart helpers, the outbox mechanism
(claim, lease, retry) that every email goes through, the typed programme settings, the
error pages, the health check, and the commands that run across apps by discovery
(``seed_demo``, ``bench``)."""
