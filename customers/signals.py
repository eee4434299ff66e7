"""Signals of the customers app, for reactions that live in the apps above it.

- :data:`email_opted_out` (``email``: the address, lower case): an address asked for no
  more survey emails; the apps that email customers drop what they have not sent yet.
"""

from __future__ import annotations

from django.dispatch import Signal

email_opted_out = Signal()
