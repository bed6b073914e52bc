"""One report in the officer workspace: every field, the full timeline, and the action forms.

A form is offered when `lifecycle.allowed_actions` lets the role act from the report's status;
the services still decide. A refusal re-renders the page with the message, with the domain
error's status (400/403/409), and nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lapor.accounts.models import STAFF_ROLES
from lapor.complaints import services
from lapor.complaints.attachments import report_attach
from lapor.complaints.lifecycle import allowed_actions
from lapor.complaints.models import ReportAssignment, ReportEvent
from lapor.complaints.selectors import (
    attachments_visible_to,
    report_get_for_actor,
    reporter_identity,
    reports_visible_to,
)
from lapor.complaints.services import normalize_tracking_id
from lapor.core.errors import DomainError, NotFound

from ..forms.workspace import STAFF_ACTION_FORMS, DisposeForm
from .workspace import dispose_agency_options, due_state, role_label, staff_only

DETAIL_RELATED = (
    "category",
    "region__parent__parent__parent",
    "current_agency",
    "current_unit",
    "reporter",
    "archive_reason",
    "suggested_agency",
)

DONE = {
    "edit": gettext_lazy("Perubahan laporan disimpan."),
    "dispose": gettext_lazy("Laporan didisposisikan."),
    "hold": gettext_lazy("Laporan ditunda; pertanyaan dikirim kepada pelapor."),
    "resume": gettext_lazy("Laporan dilanjutkan."),
    "archive": gettext_lazy("Laporan diarsipkan."),
    "forward": gettext_lazy("Laporan diteruskan ke unit kerja."),
    "return": gettext_lazy("Laporan dikembalikan sebagai bukan wewenang."),
    "follow_up": gettext_lazy("Tindak lanjut diterbitkan."),
    "close": gettext_lazy("Laporan ditutup."),
}


def _act(name: str, user, report, form) -> None:
    data = form.service_kwargs()
    r = report.pk
    if name == "edit":
        services.report_edit(actor=user, report=r, **data)
    elif name == "dispose":
        services.report_dispose(actor=user, report=r, agency=data["agency"], note=data["note"])
    elif name == "hold":
        services.report_hold(actor=user, report=r, question=data["question"])
    elif name == "resume":
        services.report_resume(actor=user, report=r, message=data["message"])
    elif name == "archive":
        services.report_archive(actor=user, report=r, reason=data["reason"], note=data["note"])
    elif name == "forward":
        services.report_forward(actor=user, report=r, units=list(data["units"]), lead=data["lead"], note=data["note"])
    elif name == "return":
        services.report_return(actor=user, report=r, reason=data["reason"])
    elif name == "follow_up":
        # The answer first, then its files, all or nothing: a refused file undoes the answer.
        with transaction.atomic():
            services.report_follow_up(actor=user, report=r, answer=data["answer"])
            for upload in data["files"]:
                report_attach(actor=user, report=r, upload=upload, is_public=True)
    elif name == "close":
        services.report_close(actor=user, report=r, note=data["note"])
    else:  # pragma: no cover - STAFF_ACTION_FORMS and this list name the same actions
        raise NotFound(_("Tindakan tidak dikenal."))


def _make_form(name: str, report, request, data=None, files=None):
    form_class = STAFF_ACTION_FORMS[name]
    kwargs = {"report": report}
    if form_class is DisposeForm:
        selected = (data or {}).get("dispose-agency", "") if data is not None else ""
        kwargs["agency_choices"] = dispose_agency_options(
            report, query=request.GET.get("cari_instansi", ""), selected=selected
        )
    if data is not None:
        return form_class(data, files, **kwargs)
    return form_class(**kwargs)


@never_cache
@staff_only
def report_detail(request, tracking_id: str):
    tracking_id = normalize_tracking_id(tracking_id)
    try:
        report = report_get_for_actor(request.user, tracking_id=tracking_id)
    except NotFound:
        raise Http404 from None

    acted, status = None, 200
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in STAFF_ACTION_FORMS:
            status = 400
            messages.error(request, _("Tindakan tidak dikenal."))
        else:
            acted = _make_form(name, report, request, request.POST, request.FILES)
            if acted.is_valid():
                try:
                    _act(name, request.user, report, acted)
                except DomainError as error:
                    acted.add_domain_error(error)
                    status = error.http_status
                else:
                    messages.success(request, str(DONE[name]))
                    if reports_visible_to(request.user).filter(pk=report.pk).exists():
                        return redirect("web:staff_report", tracking_id=report.tracking_id)
                    return redirect("web:staff_reports")
            else:
                status = 400

    report = (
        reports_visible_to(request.user).select_related(*DETAIL_RELATED).get(pk=report.pk)
    )
    offered = [str(a) for a in allowed_actions(report.status, request.user.role) if str(a) in STAFF_ACTION_FORMS]
    forms = {name: _make_form(name, report, request) for name in offered}
    if acted is not None:
        forms[acted.action] = acted
    events = list(ReportEvent.objects.filter(report=report).select_related("actor").order_by("created_at", "id"))
    now = timezone.now()
    context = {
        "report": report,
        "identity": reporter_identity(report, request.user),
        "attachments": list(attachments_visible_to(request.user, report).order_by("created_at", "id")),
        "assignments": list(
            ReportAssignment.objects.filter(report=report).select_related("unit").order_by("-is_active", "-is_lead", "unit__name")
        ),
        "timeline": [
            (e, role_label(e.actor_role), e.actor.display_name() if e.actor_id and e.actor_role in STAFF_ROLES else "")
            for e in events
        ],
        "due": due_state(report, now),
        "text_edited": report.text.strip() != report.original_text.strip(),
        "title_edited": bool(report.original_title) and report.title != report.original_title,
        "forms": forms,
        "offered": offered,
        "acted": acted,
        "acted_shown": acted is not None and acted.action in offered,
        "agency_query": request.GET.get("cari_instansi", ""),
        "read_only": not offered,
    }
    return render(request, "web/workspace/report.html", context, status=status)
