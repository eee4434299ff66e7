"""The company's customers and their purchases, imported from its own systems.

Complaints link to a customer and the metrics analyse their purchases: both read them
from here. The customer's value and P(alive) are stored on the row by the metrics
recompute, so lists can sort by value without a join over snapshots."""
