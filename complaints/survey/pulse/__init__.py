"""The pulse survey: each week a fair random sample of recent customers is asked whether
anything went wrong and whether they told us, so that the company measures its own
complaint rate r and its logging gap instead of assuming the articles' 3–7 %.

Sampling, the signed links and the answers are here; the figures made from the answers
are pure functions in :mod:`metrics.analysis`, stored by the metrics recompute.
"""
