"""Service training: courses, sessions, enrolment and attendance, and the rule that
every customer-facing employee is trained at least twice a year (``training.rules``),
with the HR planner and compliance by company and department.
"""
