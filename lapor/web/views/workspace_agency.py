"""The agency admin's settings page: review before publication and the agency's canned answers.

Only an agency admin reaches it, and only for their own agency; every change goes through the
services in `lapor.complaints` (review_setting_save, canned_answer_save/delete).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lapor.complaints import handling, review
from lapor.complaints.models import CannedAnswer
from lapor.core.errors import DomainError

from ..forms.workspace import CannedAnswerForm, ReviewSettingForm
from .workspace import own_agency, staff_only


def _own_answer(user, pk) -> CannedAnswer:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(CannedAnswer, pk=pk, agency_id=user.agency_id)


@never_cache
@staff_only
def agency_settings(request):
    user = request.user
    agency = own_agency(user)
    status = 200
    editing = None
    if request.GET.get("ubah"):
        editing = _own_answer(user, request.GET["ubah"])
    setting_form = ReviewSettingForm(initial={"review_answers": agency.review_answers}, prefix="setting")
    canned_form = CannedAnswerForm(
        initial={"title": editing.title, "body": editing.body} if editing else None, prefix="canned"
    )

    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "review_setting":
            setting_form = ReviewSettingForm(request.POST, prefix="setting")
            if setting_form.is_valid():
                enabled = setting_form.cleaned_data["review_answers"]
                review.review_setting_save(actor=user, enabled=enabled)
                messages.success(
                    request,
                    _("Jawaban unit kini ditinjau sebelum terbit.") if enabled
                    else _("Unit kerja kini menerbitkan jawaban langsung."),
                )
                return redirect("web:staff_agency_settings")
            status = 400
        elif action == "canned_save":
            editing = _own_answer(user, request.POST["pk"]) if request.POST.get("pk") else None
            canned_form = CannedAnswerForm(request.POST, prefix="canned")
            if canned_form.is_valid():
                try:
                    handling.canned_answer_save(actor=user, answer=editing, **canned_form.cleaned_data)
                except DomainError as error:
                    canned_form.add_domain_error(error)
                    status = error.http_status
                else:
                    messages.success(request, _("Jawaban baku disimpan."))
                    return redirect("web:staff_agency_settings")
            else:
                status = 400
        elif action == "canned_delete":
            answer = _own_answer(user, request.POST.get("pk"))
            handling.canned_answer_delete(actor=user, answer=answer)
            messages.success(request, _("Jawaban baku “%(title)s” dihapus.") % {"title": answer.title})
            return redirect("web:staff_agency_settings")
        else:
            status = 400
            messages.error(request, _("Tindakan tidak dikenal."))

    context = {
        "agency": agency,
        "setting_form": setting_form,
        "canned_form": canned_form,
        "editing": editing,
        "answers": list(CannedAnswer.objects.filter(agency_id=agency.pk).order_by("title")),
    }
    return render(request, "web/workspace/agency_settings.html", context, status=status)
