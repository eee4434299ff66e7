"""Every email to a person or an address, and the daily reminder digest.

A notification row is claimed before it is sent (the outbox in ``common.outbox``), so
each goes out once. Apps reach it through its registry (``notifications.registry``):
they register reminder providers and the builders of their own emails; nothing here
imports an app above it."""
