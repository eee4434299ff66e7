"""What a person holds in the complaint log, for the handover when they leave (see
:mod:`people.handover`): the open complaints they handle and their open corrective actions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from complaints import services
from complaints.models import OPEN_ACTION_STATUSES, OPEN_STATUSES, Complaint, CorrectiveAction
from people.handover import HandoverProvider, HolderFilter, Holding
from people.roles import MANAGER, STAFF


def complaints_handled(where: HolderFilter) -> list[Holding]:
    rows = (
        Complaint.objects.filter(where("handler"), status__in=OPEN_STATUSES)
        .order_by("received_at", "pk")
        .values_list("pk", "handler_id", "summary", "department_id")
    )
    return [
        Holding(
            "complaints_handled",
            pk,
            handler_id,
            f"#{pk} {summary}",
            reverse("complaints:complaint_detail", args=[pk]),
            department_id,
        )
        for pk, handler_id, summary, department_id in rows
    ]


def actions_owned(where: HolderFilter) -> list[Holding]:
    rows = (
        CorrectiveAction.objects.filter(where("owner"), status__in=OPEN_ACTION_STATUSES)
        .order_by("due_on", "pk")
        .values_list("pk", "owner_id", "description")
    )
    return [
        Holding(
            "corrective_actions",
            pk,
            owner_id,
            f"#{pk} {description[:80]}",
            reverse("complaints:action_detail", args=[pk]),
        )
        for pk, owner_id, description in rows
    ]


def complaints_reassign(*, object_ids: list[int], successor, actor) -> int:
    return services.complaints_reassign(complaint_ids=object_ids, handler=successor, actor=actor)


def actions_reassign(*, object_ids: list[int], successor, actor) -> int:
    return services.corrective_actions_reassign(action_ids=object_ids, owner=successor)


PROVIDERS = [
    HandoverProvider(
        key="complaints_handled",
        title=gettext_lazy("Open complaints they handle"),
        list_held=complaints_handled,
        reassign=complaints_reassign,
        successor_roles=frozenset({MANAGER, STAFF}),
        order=30,
    ),
    HandoverProvider(
        key="corrective_actions",
        title=gettext_lazy("Open corrective actions they own"),
        list_held=actions_owned,
        reassign=actions_reassign,
        successor_roles=frozenset({MANAGER, STAFF}),
        order=40,
    ),
]
