"""What a person holds in the standards library, for the handover when they leave (see
:mod:`people.handover`): the standards they own, and the reviews delegated to them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from people.handover import HandoverProvider, HolderFilter, Holding
from people.roles import MANAGER
from standards import services
from standards.models import Standard, StandardStatus


def _standards(where: HolderFilter, path: str, provider: str) -> list[Holding]:
    rows = (
        Standard.objects.filter(where(path))
        .exclude(status=StandardStatus.RETIRED)
        .order_by("code")
        .values_list("pk", f"{path}_id", "code", "title")
    )
    return [
        Holding(provider, pk, holder_id, f"{code} {title}", reverse("standards:standard_detail", args=[pk]))
        for pk, holder_id, code, title in rows
    ]


def standards_owned(where: HolderFilter) -> list[Holding]:
    return _standards(where, "owner", "standards_owned")


def reviews_delegated(where: HolderFilter) -> list[Holding]:
    return _standards(where, "review_delegate", "standards_review_delegations")


def owners_reassign(*, object_ids: list[int], successor, actor) -> int:
    return services.standards_owner_reassign(standard_ids=object_ids, owner=successor, actor=actor)


def delegations_reassign(*, object_ids: list[int], successor, actor) -> int:
    return services.standards_review_delegate_reassign(
        standard_ids=object_ids, delegate=successor, actor=actor
    )


def delegations_release(*, object_ids: list[int], actor) -> int:
    """A delegation needs no successor: without it the standard's owner reviews."""
    return services.standards_review_delegate_reassign(standard_ids=object_ids, delegate=None, actor=actor)


PROVIDERS = [
    HandoverProvider(
        key="standards_owned",
        title=gettext_lazy("Standards owned"),
        list_held=standards_owned,
        reassign=owners_reassign,
        successor_roles=frozenset({MANAGER}),
        order=20,
    ),
    HandoverProvider(
        key="standards_review_delegations",
        title=gettext_lazy("Standard reviews delegated to them"),
        list_held=reviews_delegated,
        reassign=delegations_reassign,
        successor_roles=frozenset({MANAGER}),
        release=delegations_release,
        order=25,
    ),
]
