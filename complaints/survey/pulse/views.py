"""Pages of the pulse survey: the customer's answer page (public) and the managers' pages.

The customer's page needs no login: the signed link is the key. Opening it never
records anything (mail scanners open links); the answer is a POST from the page, and
the customer may change it until the link expires. Managers see the next draw before
it goes, preview the survey in each language, switch it on or off and export the
answers.
"""

from __future__ import annotations

import datetime

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import formatting
from common.exports import attachment, csv_lines
from common.programme import programme_setting
from complaints.survey import services as survey
from complaints.survey.pulse import exports
from complaints.survey.pulse import selectors as pulse_selectors
from complaints.survey.pulse import services as pulse
from complaints.survey.pulse.forms import PreviewForm, PulseAnswerForm, PulseSwitchForm
from complaints.survey.pulse.models import PulseInvitation
from complaints.survey.views import _link_error, _use_language
from people.roles import MANAGER, role_required

# The response rates per segment on the overview look this far back.
RESPONSE_DAYS = 365


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pulse_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questions, with the recorded answer if there is one; a POST records or changes it."""
    try:
        invitation = pulse.invitation_for_link(token)
    except survey.SurveyLinkError as error:
        return _link_error(request, error.reason)
    _use_language(request, invitation)
    window_days = pulse_selectors.pulse_plan().window_days
    if request.method == "POST":
        form = PulseAnswerForm(request.POST, window_days=window_days)
        if form.is_valid():
            try:
                pulse.pulse_answer_save(invitation_id=invitation.pk, answer=form.answer())
            except survey.SurveyLinkError as error:
                return _link_error(request, error.reason)
            return redirect(f"{request.path}?saved=1")
    else:
        form = PulseAnswerForm(
            initial=PulseAnswerForm.initial_for(invitation, satisfaction=request.GET.get("satisfaction")),
            window_days=window_days,
        )
    return render(
        request,
        "complaints/survey/pulse/answer.html",
        {"invitation": invitation, "form": form, "saved": request.GET.get("saved") == "1"},
    )


@require_GET
@role_required(MANAGER)
def pulse_overview(request: HttpRequest) -> HttpResponse:
    """Is the survey on, what the next draw would do, the last weeks, who answers."""
    since = timezone.now() - datetime.timedelta(days=RESPONSE_DAYS)
    plan = pulse_selectors.pulse_plan()
    preview, counted_at = pulse_selectors.draw_preview_cached()
    return render(
        request,
        "complaints/survey/pulse/overview.html",
        {
            "enabled": pulse.pulse_enabled(),
            "schedule": pulse_selectors.draw_schedule(),
            "plan": plan,
            "rate_percent": f"{plan.rate * 100:g}",
            # The share of unhappy customers assumed to complain until it is measured (a setting).
            "assumed_band": [
                formatting.percent(share) for share in programme_setting("METRICS_COMPLAINT_RATE_BAND")
            ],
            "preview": preview,
            "counted_at": counted_at,
            "waves": pulse_selectors.recent_waves(),
            "response": pulse_selectors.response_by_segment(since=since),
            "response_days": RESPONSE_DAYS,
            "languages": settings.LANGUAGES,
        },
    )


@require_POST
@role_required(MANAGER)
def pulse_switch(request: HttpRequest) -> HttpResponse:
    form = PulseSwitchForm(request.POST)
    enabled = form.is_valid() and form.cleaned_data["enabled"]
    pulse.pulse_switch(actor=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("The pulse survey is on: the next weekly draw sends it."))
    else:
        messages.success(request, _("The pulse survey is off: no new customers are asked."))
    return redirect("survey:pulse:overview")


def _preview_language(request: HttpRequest) -> str:
    form = PreviewForm(request.GET)
    return (form.is_valid() and form.cleaned_data["language"]) or request.LANGUAGE_CODE


def _sample_invitation() -> PulseInvitation:
    """An unsaved invitation as a customer would get it today (nothing is stored)."""
    now = timezone.now()
    plan = pulse_selectors.pulse_plan()
    return PulseInvitation(
        pk=0,
        created_at=now,
        asked_about_since=now - datetime.timedelta(days=plan.window_days),
        expires_at=now + datetime.timedelta(days=plan.link_days),
    )


def _sample_email(invitation: PulseInvitation) -> tuple[str, str, str]:
    context = pulse.pulse_email_context(
        customer_name=_("Anna Petrova"),
        answer_url="#",
        unsubscribe="#",
        expires_at=invitation.expires_at,
    )
    return pulse.pulse_email_parts(context)


@require_GET
@role_required(MANAGER)
def pulse_preview(request: HttpRequest) -> HttpResponse:
    """The answer page and the email as a customer sees them, in the chosen language; the form
    posts nowhere."""
    language = _preview_language(request)
    invitation = _sample_invitation()
    with translation.override(language):
        subject, text, _html = _sample_email(invitation)
        return render(
            request,
            "complaints/survey/pulse/answer.html",
            {
                "invitation": invitation,
                "form": PulseAnswerForm(window_days=pulse_selectors.pulse_plan().window_days),
                "preview": {"language": language, "subject": subject, "text": text},
                "languages": settings.LANGUAGES,
            },
        )


@require_GET
@role_required(MANAGER)
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})
def pulse_preview_email(request: HttpRequest) -> HttpResponse:
    """The HTML email itself, with its own stylesheet as mail programs need it (our template,
    no customer input: the inline style is allowed on this response only)."""
    with translation.override(_preview_language(request)):
        _subject, _text, html = _sample_email(_sample_invitation())
    return HttpResponse(html)


@require_GET
@role_required(MANAGER)
def pulse_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every answer as CSV, oldest first (text cells safe to open in a spreadsheet)."""
    response = StreamingHttpResponse(csv_lines(exports.answer_rows()), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = attachment(f"pulse-answers-{stamp}.csv")
    return response
