"""iCalendar files of sessions: the ``.ics`` download, the invitation attachment and
the personal feed, all built with the ``icalendar`` library."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from training.models import Session, SessionStatus

PRODID = "-//servicecraft//training//EN"


def _uid(session: Session) -> str:
    return f"training-session-{session.pk}@servicecraft"


def _event(session: Session) -> Event:
    event = Event()
    event.add("uid", _uid(session))
    event.add("dtstamp", session.created_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.course.title)
    location = session.place or session.online_link
    if location:
        event.add("location", location)
    description = [session.course.description]
    if session.online_link:
        description.append(session.online_link)
    if session.trainer_display:
        description.append(session.trainer_display)
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("url", settings.SITE_URL.rstrip("/") + reverse("training:my_trainings"))
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # Calendars replace an event with the same UID when the sequence grows.
    event.add("sequence", session.revision + (1 if cancelled else 0))
    return event


def _calendar(events: Iterable[Event], *, method: str | None = None, name: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def session_ics(session: Session, *, method: str | None = None) -> bytes:
    """One session as an ``.ics`` file (``method="REQUEST"`` for an invitation)."""
    return _calendar([_event(session)], method=method)


def feed_ics(sessions: Iterable[Session], *, name: str) -> bytes:
    """A personal feed: one event per session (cancelled ones marked so)."""
    return _calendar((_event(session) for session in sessions), name=name)
