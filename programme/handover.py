"""What a person holds in the programme, for the handover when they leave (see
:mod:`people.handover`): the programme lead role, the targets they own, and the
effectiveness checks waiting for their verdict."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.handover import HandoverProvider, HolderFilter, Holding
from people.roles import MANAGER
from programme import services
from programme.figures import BY_KEY
from programme.models import CheckStatus, EffectivenessCheck, ProgrammeLead, Target


def programme_lead(where: HolderFilter) -> list[Holding]:
    url = reverse("programme:overview")
    return [
        Holding(
            "programme_lead", pk, user_id, _("Leads the programme (since %(date)s)") % {"date": started}, url
        )
        for pk, user_id, started in ProgrammeLead.objects.filter(where("user"), is_current=True).values_list(
            "pk", "user_id", "started_on"
        )
    ]


def targets_owned(where: HolderFilter) -> list[Holding]:
    rows = (
        Target.objects.filter(where("owner"), year__gte=timezone.localdate().year)
        .order_by("year", "figure")
        .values_list("pk", "owner_id", "year", "figure")
    )
    return [
        Holding(
            "programme_targets",
            pk,
            owner_id,
            _("Target %(year)s: %(figure)s") % {"year": year, "figure": _(BY_KEY[figure].label)},
            reverse("programme:target_edit", args=[pk]),
        )
        for pk, owner_id, year, figure in rows
    ]


def checks_awaiting_verdict(where: HolderFilter) -> list[Holding]:
    rows = (
        EffectivenessCheck.objects.filter(where("action__owner"), status=CheckStatus.MEASURED)
        .order_by("due_on")
        .values_list("pk", "action__owner_id", "action_id", "action__description")
    )
    return [
        Holding(
            "programme_checks",
            pk,
            owner_id,
            _("Did action #%(number)s work? “%(description)s”")
            % {"number": action_id, "description": text[:80]},
            reverse("programme:check_detail", args=[pk]),
        )
        for pk, owner_id, action_id, text in rows
    ]


def targets_reassign(*, object_ids: list[int], successor, actor) -> int:
    return services.targets_reassign(target_ids=object_ids, owner=successor)


PROVIDERS = [
    HandoverProvider(
        key="programme_lead",
        title=gettext_lazy("Programme lead"),
        list_held=programme_lead,
        reassign=services.programme_lead_reassign,
        successor_roles=frozenset({MANAGER}),
        order=5,
    ),
    HandoverProvider(
        key="programme_targets",
        title=gettext_lazy("Programme targets owned"),
        list_held=targets_owned,
        reassign=targets_reassign,
        successor_roles=frozenset({MANAGER}),
        order=80,
    ),
    HandoverProvider(
        key="programme_checks",
        title=gettext_lazy("Effectiveness checks waiting for their verdict"),
        list_held=checks_awaiting_verdict,
        reassign=services.effectiveness_confirmations_reassign,
        order=90,
    ),
]
