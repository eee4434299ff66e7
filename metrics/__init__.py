"""The figures of the programme: churn, silent leavers, lifetime value and value at risk,
computed in a Celery task into stored snapshots that the dashboard, the API and the
weekly report read; the pure pandas analysis is ``metrics.analysis``, the charts
``metrics.charts``; turnover beside the service figures is ``metrics.turnover_comparison``.
"""
