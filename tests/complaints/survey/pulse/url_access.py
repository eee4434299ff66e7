"""Who may open the pulse-survey pages: the answer page is public (the signed link is the key)."""

from __future__ import annotations

from people.roles import MANAGER
from tests.url_access import PUBLIC, Access

MANAGERS = frozenset({MANAGER})


def _answer_link() -> dict:
    from complaints.survey.pulse.services import pulse_token
    from tests.factories import PulseInvitationFactory

    return {"token": pulse_token(invitation_id=PulseInvitationFactory().pk)}


URL_ACCESS = {
    "survey:pulse:overview": Access(MANAGERS),
    "survey:pulse:switch": Access(MANAGERS, method="post"),
    "survey:pulse:preview": Access(MANAGERS),
    "survey:pulse:preview_email": Access(MANAGERS),
    "survey:pulse:export": Access(MANAGERS),
    "survey:pulse:answer": Access(PUBLIC, kwargs=_answer_link),
}
