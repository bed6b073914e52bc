"""One report in the officer workspace: every field, the full timeline, and the action forms.

A form is offered when `lifecycle.allowed_actions` lets the role act from the report's status;
the services still decide. A refusal re-renders the page with the message, with the domain
error's status (400/403/409), and nothing changed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lapor.accounts.models import STAFF_ROLES, Role
from lapor.complaints import handling, review, services
from lapor.complaints.attachments import report_attach
from lapor.complaints.lifecycle import Action, allowed_actions
from lapor.complaints.models import AnswerDraft, ReportAssignment, ReportEvent
from lapor.complaints.selectors import (
    attachments_visible_to,
    report_get_for_actor,
    reporter_identity,
    reports_visible_to,
)
from lapor.complaints.services import normalize_tracking_id
from lapor.core.errors import DomainError, NotFound, PermissionDenied
from lapor.routing.duplicates import find_duplicates
from lapor.routing.suggestions import for_viewer as routing_for_viewer
from lapor.routing.suggestions import suggested_agency_options

from ..forms.workspace import CANNED_FORMS, STAFF_ACTION_FORMS, DisposeForm, MergeForm, TransferForm, add_canned_field
from .workspace import dispose_agency_options, due_state, role_label, staff_only

DETAIL_RELATED = (
    "category",
    "region__parent__parent__parent",
    "current_agency",
    "current_unit",
    "reporter",
    "archive_reason",
    "suggested_agency",
    "merged_into",
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
    "note": gettext_lazy("Catatan internal disimpan."),
    "interim": gettext_lazy("Jawaban sementara dikirim; tenggat penyelesaian diperbarui."),
    "transfer": gettext_lazy("Laporan dialihkan ke instansi lain."),
    "flag": gettext_lazy("Laporan diteruskan ke inspektorat."),
    "merge": gettext_lazy("Laporan digabungkan ke laporan utama."),
    "propose": gettext_lazy("Jawaban diajukan untuk ditinjau admin instansi."),
    "publish": gettext_lazy("Jawaban unit diterbitkan."),
    "review": gettext_lazy("Jawaban dikembalikan ke unit."),
}


# Who sees the red flags read in a report's words. Not the unit officers: an extortion flag may
# be about their own unit, and the inspectorate's copy is for others to act on.
RED_FLAG_ROLES = frozenset({Role.VERIFIER, Role.AGENCY_ADMIN, Role.OBSERVER, Role.SYSADMIN})
DUPLICATE_ROLES = frozenset({Role.VERIFIER, Role.AGENCY_ADMIN, Role.SYSADMIN})


def _possible_duplicates(user, report) -> list:
    """Reports of the same regency and weeks that read like this one, with their score; only
    those the user may see. None for a report already merged or archived."""
    if user.role not in DUPLICATE_ROLES or report.merged_into_id is not None or report.status == "archived":
        return []
    found = find_duplicates(report)
    visible = set(reports_visible_to(user).filter(pk__in=[r.pk for r, _s in found]).values_list("pk", flat=True))
    return [(r, score) for r, score in found if r.pk in visible]


def _act(name: str, user, report, form) -> None:
    data = form.service_kwargs()
    r = report.pk
    if name == "edit":
        services.report_edit(actor=user, report=r, **data)
    elif name == "dispose":
        services.report_dispose(
            actor=user, report=r, agency=data["agency"], note=data["note"], completion_tier=data.get("completion_tier")
        )
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
    elif name == "note":
        handling.report_note(actor=user, report=r, note=data["note"])
    elif name == "interim":
        handling.report_interim_answer(
            actor=user, report=r, answer=data["answer"], expected_date=data["expected_date"], reason=data["reason"]
        )
    elif name == "transfer":
        handling.report_transfer(actor=user, report=r, agency=data["agency"], reason=data["reason"])
    elif name == "flag":
        handling.report_flag(actor=user, report=r, reason=data["reason"])
    elif name == "merge":
        handling.report_merge(actor=user, report=r, into=data["into"])
    elif name == "propose":
        review.answer_propose(actor=user, report=r, text=data["answer"])
    elif name == "publish":
        # Publishing a reviewed draft is the reviewer's (agency admin's) act, not the unit's.
        if Action.REVIEW not in allowed_actions(report.status, user.role):
            raise PermissionDenied(_("Hanya admin instansi yang menerbitkan jawaban yang ditinjau."))
        review.answer_publish(actor=user, report=r, text=data["text"])
    elif name == "review":
        review.answer_return(actor=user, report=r, note=data["note"])
    else:  # pragma: no cover - STAFF_ACTION_FORMS and this list name the same actions
        raise NotFound(_("Tindakan tidak dikenal."))


def _make_form(name: str, report, request, data=None, files=None, canned=(), initial=None):
    form_class = STAFF_ACTION_FORMS[name]
    kwargs = {"report": report}
    if form_class in (DisposeForm, TransferForm):
        selected = (data or {}).get(f"{name}-agency", "") if data is not None else ""
        kwargs["agency_choices"] = dispose_agency_options(
            report, query=request.GET.get("cari_instansi", ""), selected=selected,
            suggested=suggested_agency_options(report),
        )
    if form_class is MergeForm:
        kwargs["user"] = request.user
    if initial is not None:
        kwargs["initial"] = initial
    form = form_class(data, files, **kwargs) if data is not None else form_class(**kwargs)
    if name in CANNED_FORMS:
        add_canned_field(form, canned)
    return form


def _refill_with_canned(name: str, report, request, canned):
    """The "use canned answer" button without JS: the same form, its answer filled in."""
    form_class = STAFF_ACTION_FORMS[name]
    prefix = form_class.action
    initial = {
        field: request.POST.get(f"{prefix}-{field}", "")
        for field in form_class.base_fields
        if field != "files"
    }
    chosen = request.POST.get(f"{prefix}-canned", "")
    answer = next((a for a in canned if str(a.pk) == chosen), None)
    if answer is None:
        messages.error(request, _("Pilih jawaban baku terlebih dahulu."))
    else:
        initial["answer"] = answer.body
        initial["canned"] = chosen
    return _make_form(name, report, request, canned=canned, initial=initial)


@never_cache
@staff_only
def report_detail(request, tracking_id: str):
    tracking_id = normalize_tracking_id(tracking_id)
    try:
        report = report_get_for_actor(request.user, tracking_id=tracking_id)
    except NotFound:
        raise Http404 from None

    acted, status, refilled = None, 200, None
    canned = handling.canned_answers_for(request.user) if request.user.role in (Role.AGENCY_ADMIN, Role.UNIT_OFFICER) else []
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in STAFF_ACTION_FORMS:
            status = 400
            messages.error(request, _("Tindakan tidak dikenal."))
        elif name in CANNED_FORMS and "use_canned" in request.POST:
            refilled = _refill_with_canned(name, report, request, canned)
        else:
            acted = _make_form(name, report, request, request.POST, request.FILES, canned=canned)
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
    role = request.user.role
    offered = [str(a) for a in allowed_actions(report.status, role) if str(a) in STAFF_ACTION_FORMS]
    review_on = bool(report.current_agency_id and report.current_agency.review_answers)
    # Review before publication: the unit proposes instead of publishing.
    if role == Role.UNIT_OFFICER and review_on:
        offered = [a for a in offered if a != "follow_up"]
    else:
        offered = [a for a in offered if a != "propose"]
    if report.flagged_at is not None:  # passed to the inspectorate once; the page says so
        offered = [a for a in offered if a != "flag"]
    last_draft = AnswerDraft.objects.filter(report=report).select_related("unit", "author").order_by("-created_at", "-pk").first()
    pending = last_draft if last_draft is not None and last_draft.state == AnswerDraft.State.PENDING else None
    if pending is None:
        offered = [a for a in offered if a != "review"]
    else:
        offered = [a for a in offered if a != "propose"]
        if "review" in offered:
            offered.insert(offered.index("review"), "publish")
    forms = {name: _make_form(name, report, request, canned=canned) for name in offered}
    if pending is not None and "publish" in forms:
        forms["publish"].initial["text"] = pending.text
    if refilled is not None:
        forms[refilled.action] = refilled
    if acted is not None:
        forms[acted.action] = acted
    possible_duplicates = _possible_duplicates(request.user, report)
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
        "duplicates": list(report.duplicates.order_by("created_at", "pk").only("tracking_id", "title", "created_at", "merged_into")),
        "last_draft": last_draft,
        "pending_draft": pending,
        "review_on": review_on,
        "possible_duplicates": possible_duplicates,
        "red_flags": list(report.red_flags.all()) if role in RED_FLAG_ROLES else [],
        "routing": routing_for_viewer(report, request.user),
        "transfer_limit": settings.LAPOR["MAX_TRANSFERS"],
        "canned_bodies": {str(a.pk): a.body for a in canned} if any(n in forms for n in CANNED_FORMS) else {},
    }
    return render(request, "web/workspace/report.html", context, status=status)
