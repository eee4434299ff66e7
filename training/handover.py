"""What a person holds in training, for the handover when they leave (see
:mod:`people.handover`): the planned sessions they are to train."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from people.handover import HandoverProvider, HolderFilter, Holding
from training import services
from training.models import Session, SessionStatus


def sessions_trained(where: HolderFilter) -> list[Holding]:
    rows = (
        Session.objects.filter(
            where("trainer__user"), status=SessionStatus.PLANNED, ends_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .values_list("pk", "trainer__user_id", "course__title", "starts_at")
    )
    return [
        Holding(
            "training_sessions",
            pk,
            user_id,
            f"{title}, {formats.date_format(timezone.localtime(starts_at), 'SHORT_DATETIME_FORMAT')}",
            reverse("training:session_detail", args=[pk]),
        )
        for pk, user_id, title, starts_at in rows
    ]


def sessions_reassign(*, object_ids: list[int], successor, actor) -> int:
    return services.sessions_trainer_reassign(session_ids=object_ids, trainer_user=successor)


PROVIDERS = [
    HandoverProvider(
        key="training_sessions",
        title=gettext_lazy("Planned sessions they train"),
        list_held=sessions_trained,
        reassign=sessions_reassign,
        order=50,
    )
]
