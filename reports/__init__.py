"""The weekly report to managers: built once per week and scope, stored, emailed, archived.

Each app contributes a section from its ``<app>/report.py``; this app sits on top of
every other one and only collects them."""
