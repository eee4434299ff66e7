"""The managers' pages of canned replies: the list (by root cause), a new one, editing one, and
deleting or deactivating one after a confirmation. Staff use canned replies on the
complaint's page (``complaints.views.complaint_detail``) but do not change them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.query_params import choice_param
from complaints.conversation import selectors, services
from complaints.conversation.forms import CannedReplyForm
from complaints.conversation.models import CannedReply
from complaints.conversation.placeholders import PLACEHOLDERS
from complaints.models import RootCause
from people.roles import MANAGER, role_required


def _get_canned_reply(pk: int) -> CannedReply:
    canned_reply = selectors.canned_reply_detail(pk=pk)
    if canned_reply is None:
        raise Http404
    return canned_reply


def _form_page(request: HttpRequest, form: CannedReplyForm, canned_reply: CannedReply | None) -> HttpResponse:
    return render(
        request,
        "complaints/canned_reply_form.html",
        {"form": form, "canned_reply": canned_reply, "placeholders": PLACEHOLDERS},
    )


@role_required(MANAGER)
def canned_reply_list(request: HttpRequest) -> HttpResponse:
    cause = choice_param(request, "cause", [selectors.GENERAL, *RootCause.values])
    return render(
        request,
        "complaints/canned_reply_list.html",
        {
            "canned_replies": selectors.canned_reply_list(root_cause=cause),
            "cause": cause,
            "causes": RootCause.choices,
            "general": selectors.GENERAL,
        },
    )


@role_required(MANAGER)
def canned_reply_create(request: HttpRequest) -> HttpResponse:
    initial = {"root_cause": choice_param(request, "cause", RootCause.values)}
    form = CannedReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            canned_reply = services.canned_reply_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Canned reply “%(title)s” added.") % {"title": canned_reply.title})
            return redirect("complaints:canned_reply_list")
    return _form_page(request, form, None)


@role_required(MANAGER)
def canned_reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    canned_reply = _get_canned_reply(pk)
    form = CannedReplyForm(request.POST or None, initial=CannedReplyForm.initial_for(canned_reply))
    if request.method == "POST" and form.is_valid():
        try:
            services.canned_reply_update(canned_reply=canned_reply, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Canned reply “%(title)s” saved.") % {"title": canned_reply.title})
            return redirect("complaints:canned_reply_list")
    return _form_page(request, form, canned_reply)


@role_required(MANAGER)
def canned_reply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET); a POST deletes the reply, or only deactivates it ("deactivate")."""
    canned_reply = _get_canned_reply(pk)
    if request.method == "POST":
        if "deactivate" in request.POST:
            services.canned_reply_deactivate(canned_reply=canned_reply, actor=request.user)
            message = _("Canned reply “%(title)s” is no longer offered.")
        else:
            services.canned_reply_delete(canned_reply=canned_reply)
            message = _("Canned reply “%(title)s” deleted.")
        messages.success(request, message % {"title": canned_reply.title})
        return redirect("complaints:canned_reply_list")
    return render(request, "complaints/canned_reply_delete.html", {"canned_reply": canned_reply})
