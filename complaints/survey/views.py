"""Pages of the satisfaction survey: the customer's answer page (public) and the managers' pages;
the unsubscribe page of every survey email (public).

The customer's page needs no login: the signed link is the key. It shows the
recorded answer and an optional comment box, and nothing about other complaints
or the staff. A tampered, truncated or expired link gets a friendly page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from common.dates import day_range
from complaints.forms import AnalysisForm
from complaints.survey import selectors as survey_selectors
from complaints.survey import services as survey
from complaints.survey.forms import SurveyAnswerForm, SurveyCommentForm, SurveySettingsForm
from complaints.survey.models import SatisfactionSurvey
from customers import selectors as customers
from customers import services as consent
from customers.models import OptOutSource
from people.roles import MANAGER, role_required


def _use_language(request: HttpRequest, found: SatisfactionSurvey | None) -> None:
    """The visitor's chosen language (the switch on the page), else the language of the email."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    known = {code for code, _name in settings.LANGUAGES}
    language = chosen if chosen in known else (found.language if found else request.LANGUAGE_CODE)
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _link_error(request: HttpRequest, reason: str) -> HttpResponse:
    _use_language(request, None)
    status = 410 if reason == "expired" else 400
    return render(request, "complaints/survey/link_error.html", {"reason": reason}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The link opens a page with the answer it stands for, ready to send: only the POST of
    that page records it (mail scanners and link previews fetch links, and must not answer).
    Once answered, the page shows the answer and takes an optional comment."""
    try:
        survey_id, answer = survey.survey_token_read(token)
    except survey.SurveyLinkError as error:
        return _link_error(request, error.reason)
    found = survey.survey_get(survey_id=survey_id)
    if found is None:
        return _link_error(request, "invalid")
    _use_language(request, found)
    if not found.answer:
        form = SurveyAnswerForm(request.POST or None, initial={"answer": answer})
        if request.method == "POST" and form.is_valid():
            survey.survey_answer_record(survey=found, answer=form.cleaned_data["answer"])
            if comment := form.cleaned_data["comment"]:
                survey.survey_comment_record(survey=found, comment=comment)
            return redirect(request.path)
        return render(
            request,
            "complaints/survey/confirm.html",
            {"survey": found, "received_on": timezone.localdate(found.complaint.received_at), "form": form},
        )
    form = SurveyCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey.survey_comment_record(survey=found, comment=form.cleaned_data["comment"])
        return redirect(request.path)
    return render(
        request,
        "complaints/survey/answer.html",
        {
            "survey": found,
            "received_on": timezone.localdate(found.complaint.received_at),
            # The other answer's link, after an answer was recorded: say it stays.
            "clicked_other": found.answer != answer,
            "form": form,
        },
    )


@role_required(MANAGER)
def survey_results(request: HttpRequest) -> HttpResponse:
    form = AnalysisForm(request.GET or None, initial=AnalysisForm.default_period())
    start, end, department = form.period()
    department_id = department.pk if department else None
    since, until = day_range(start, end)
    results = survey_selectors.survey_results(start=start, end=end, department_id=department_id)
    return render(
        request,
        "complaints/survey/results.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "figures": results.figures,
            "by_root_cause": results.by_root_cause,
            "by_department": results.by_department,
            "unsatisfied": survey_selectors.unsatisfied_answers(since=since, until=until)[:50],
            "settings": survey.survey_settings(),
        },
    )


@role_required(MANAGER)
def survey_settings(request: HttpRequest) -> HttpResponse:
    current = survey.survey_settings()
    form = SurveySettingsForm(request.POST or None, initial=SurveySettingsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        survey.survey_settings_save(
            actor=request.user,
            enabled=form.cleaned_data["enabled"],
            disabled_channels=form.disabled_channels(),
        )
        messages.success(request, _("Saved."))
        return redirect("survey:results")
    return render(request, "complaints/survey/settings.html", {"form": form})


# The body a mail program posts for a one-click unsubscribe (RFC 8058).
ONE_CLICK = "One-Click"


# Exempt from CSRF: mail programs post the one-click unsubscribe without a cookie (RFC 8058);
# the signed link is the key, and it can only stop (or restart) the emails of its own address.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link asks for a confirmation (mail scanners open links); the button — or the
    mail program's one-click POST — stops every survey email to the address; "subscribe again"
    takes it back."""
    try:
        email = consent.unsubscribe_token_read(token)
    except consent.UnsubscribeLinkError:
        return _link_error(request, "invalid")
    _use_language(request, None)
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == ONE_CLICK:
            consent.customer_email_opt_out(email=email, source=OptOutSource.ONE_CLICK)
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        if request.POST.get("action") == "subscribe":
            consent.customer_email_opt_in(email=email)
        else:
            consent.customer_email_opt_out(email=email, source=OptOutSource.LINK)
        return redirect(request.path)
    return render(
        request,
        "complaints/survey/unsubscribe.html",
        {"email": email, "opted_out": customers.email_opted_out(email)},
    )
