"""Who may open the satisfaction-survey pages: the answer page is public (the signed link is the key)."""

from __future__ import annotations

from people.roles import MANAGER
from tests.url_access import PUBLIC, Access


def _answer_link() -> dict:
    from complaints.survey.services import survey_token
    from tests.factories import SatisfactionSurveyFactory

    return {"token": survey_token(survey_id=SatisfactionSurveyFactory().pk, answer="yes")}


def _unsubscribe_link() -> dict:
    from customers.services import unsubscribe_token

    return {"token": unsubscribe_token(email="someone@example.com")}


URL_ACCESS = {
    "survey:results": Access(frozenset({MANAGER})),
    "survey:settings": Access(frozenset({MANAGER})),
    "survey:answer": Access(PUBLIC, kwargs=_answer_link),
    "survey:unsubscribe": Access(PUBLIC, kwargs=_unsubscribe_link),
}
