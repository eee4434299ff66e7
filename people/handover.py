"""What a person holds, so that nothing leaves with them.

Fewer than half of employees stay five years and service leads come and go: the
programme must live in the system, not in one person's head. Each app that gives people
responsibilities (standards they own, complaints they handle, sessions they train…)
registers a :class:`HandoverProvider` from its ``AppConfig.ready()``; this app, the
lowest of them, never imports them. A provider lists what some people hold in one query
and moves items to a successor through its own app's services.

The deactivation page lists everything a leaver holds; HR or a manager hands it over in
bulk, and deactivation cannot complete while an item is left without an active owner,
unless it is explicitly parked (:class:`~people.models.HandoverParking`). Items that need
no new owner (a review delegation, a weekly report subscription) have a ``release``: they
may be handed over, and are released when the person leaves. A daily check (the
programme's reminders) lists in the managers' digest anything still held by someone who
has left.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import Department, HandoverParking
from people.roles import MANAGER

# A holder filter turns the path to the holding's user (``"owner"``, ``"trainer__user"``;
# ``""`` for a query on users themselves) into the condition that selects the holders asked about.
HolderFilter = Callable[[str], Q]


@dataclass(frozen=True)
class Holding:
    """One thing one person holds."""

    provider: str
    object_id: int
    holder_id: int
    label: str
    url: str = ""
    department_id: int | None = None
    parked: bool = False

    @property
    def key(self) -> str:
        return f"{self.provider}-{self.object_id}"


@dataclass(frozen=True)
class HandoverProvider:
    """What one kind of responsibility looks like to the handover.

    - ``list_held(where)`` returns the holdings whose holder matches ``where`` (one query);
    - ``reassign(object_ids=..., successor=..., actor=...)`` gives them to ``successor``
      through the app's services and returns how many moved;
    - ``successor_roles``: a successor must hold one of these (empty: any active person);
    - ``release(object_ids=..., actor=...)``, when given, frees items that need no new owner;
      they do not hold up a deactivation and are released by it.
    """

    key: str
    title: str | Promise
    list_held: Callable[[HolderFilter], list[Holding]]
    reassign: Callable[..., int]
    successor_roles: frozenset[str] = frozenset()
    release: Callable[..., int] | None = None
    order: int = 100

    @property
    def needs_owner(self) -> bool:
        return self.release is None


_providers: dict[str, HandoverProvider] = {}


def register_handover_provider(provider: HandoverProvider) -> None:
    """Add ``provider`` (once, however often an app's ``ready`` runs); two apps may not
    use one key."""
    existing = _providers.get(provider.key)
    if existing is not None and existing.list_held is not provider.list_held:
        raise ValueError(f"handover provider {provider.key!r} is registered twice")
    _providers[provider.key] = provider


def handover_providers() -> list[HandoverProvider]:
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.key))


def handover_provider(key: str) -> HandoverProvider:
    return _providers[key]


def _prefix(path: str) -> str:
    # The empty path is the user model itself (a provider whose rows are users).
    return f"{path}__" if path else ""


def holder_is(*users) -> HolderFilter:
    """The holdings of these users."""
    ids = [user.pk for user in users]
    return lambda path: Q(**{f"{path or 'pk'}__in": ids})


def holder_inactive(today: datetime.date) -> HolderFilter:
    """The holdings of anyone who cannot act any more: a disabled account, or a leaving
    date on or before ``today`` (a leaving date can pass without anyone deactivating)."""
    return lambda path: (
        Q(**{f"{_prefix(path)}is_active": False}) | Q(**{f"{_prefix(path)}employee__left_on__lte": today})
    )


def holdings(where: HolderFilter, *, providers: Iterable[HandoverProvider] | None = None) -> list[Holding]:
    """Every holding matching ``where``, provider by provider (one query each, and one for
    the parked ones), parked items marked."""
    found = [
        holding for provider in (providers or handover_providers()) for holding in provider.list_held(where)
    ]
    if not found:
        return []
    parked = set(
        HandoverParking.objects.filter(holder_id__in={holding.holder_id for holding in found}).values_list(
            "provider", "object_id", "holder_id"
        )
    )
    return [
        replace(holding, parked=(holding.provider, holding.object_id, holding.holder_id) in parked)
        for holding in found
    ]


def outstanding(found: Iterable[Holding]) -> list[Holding]:
    """The holdings that still need an active owner: not parked, of a provider without release."""
    return [holding for holding in found if not holding.parked and _providers[holding.provider].needs_owner]


# --- this app's own: the departments a person heads ------------------------------------------


def departments_headed(where: HolderFilter) -> list[Holding]:
    rows = Department.objects.filter(where("head")).order_by("name").values_list("pk", "name", "head_id")
    url = reverse("people:employee_list")
    return [
        Holding(
            "department_head",
            pk,
            head_id,
            _("Head of %(department)s") % {"department": name},
            f"{url}?department={pk}",
            pk,
        )
        for pk, name, head_id in rows
    ]


def departments_reassign(*, object_ids: list[int], successor, actor) -> int:
    # Imported here: the services import this registry.
    from people.services import department_heads_reassign

    return department_heads_reassign(department_ids=object_ids, head=successor)


DEPARTMENT_HEADS = HandoverProvider(
    key="department_head",
    title=gettext_lazy("Departments headed"),
    list_held=departments_headed,
    reassign=departments_reassign,
    successor_roles=frozenset({MANAGER}),
    order=10,
)
