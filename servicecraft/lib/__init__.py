"""Helpers every app shares: notifications, emails and charts."""
