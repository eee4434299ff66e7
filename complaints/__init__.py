"""The complaint log and the conversation around it.

Every complaint gets one of five root causes, a promise date to the customer and, where
it teaches something, corrective actions that feed back into standards and training.
The rules (promise buffer, transitions, the theory bands) are in ``complaints.rules``;
the satisfaction survey after resolution is the ``complaints.survey`` subpackage.
"""
