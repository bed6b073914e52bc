"""Tracking a report, and the reporter's private page with its actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lapor.accounts.models import Role
from lapor.complaints import services
from lapor.complaints.attachments import report_attach
from lapor.complaints.lifecycle import Action, allowed_actions
from lapor.complaints.selectors import public_reports, report_get_by_secret, report_get_for_actor
from lapor.complaints.services import normalize_tracking_id
from lapor.core.errors import DomainError, NotFound, TooManyRequests

from ..access import is_citizen, private_report, remember_proof
from ..details import report_details
from ..forms import ACTION_FORMS, TrackForm
from ..limits import limit


def track(request):
    """By tracking id: the public page (or why there is none); with the secret: the private page."""
    notice = ""
    status = 200
    if request.method != "POST":
        form = TrackForm(initial={"tracking_id": request.GET.get("nomor", "")})
        return render(request, "web/track/track.html", {"form": form, "notice": notice})
    form = TrackForm(request.POST)
    if form.is_valid():
        tracking_id, secret = form.cleaned_data["tracking_id"], form.cleaned_data["secret"]
        try:
            limit(request, "track")
            if secret:
                report = report_get_by_secret(tracking_id=tracking_id, secret=secret)
                remember_proof(request, report)
                return redirect("web:report_private", tracking_id=report.tracking_id)
            if is_citizen(request.user):
                try:
                    report = report_get_for_actor(request.user, tracking_id=tracking_id)
                    return redirect("web:report_private", tracking_id=report.tracking_id)
                except NotFound:
                    pass
            if public_reports().filter(tracking_id=tracking_id).exists():
                return redirect("web:report_public", tracking_id=tracking_id)
            notice = _(
                "Laporan %(tracking)s tidak dapat dilihat publik: laporan itu rahasia, belum diverifikasi, "
                "atau nomornya tidak dikenal. Pelapor dapat membukanya dengan kode rahasia."
            ) % {"tracking": tracking_id}
        except TooManyRequests as error:
            form.add_error(None, str(error))
            status = 429
        except NotFound as error:
            form.add_domain_error(error)
            status = 400
    else:
        status = 400
    return render(request, "web/track/track.html", {"form": form, "notice": notice}, status=status)


def _offered(report) -> set[str]:
    """The reporter's forms that fit the report now (the services still decide)."""
    actions = set(allowed_actions(report.status, Role.REPORTER))
    offered = set()
    if Action.REPLY in actions:
        offered.add("reply")
    if Action.RESUME in actions:
        offered.add("resume")
    if Action.RATE in actions and report.rating is None:
        offered.add("rate")
    poor = report.rating is not None and report.rating <= settings.LAPOR["APPEAL_MAX_RATING"]
    if Action.APPEAL in actions and poor and report.appealed_at is None:
        offered.add("appeal")
    if Action.ATTACH in actions:
        offered.add("attach")
    return offered


def _act(name: str, actor, report, data: dict):
    if name == "reply":
        return services.report_reply(actor=actor, report=report.pk, message=data["message"])
    if name == "resume":
        return services.report_resume(actor=actor, report=report.pk, message=data["message"])
    if name == "rate":
        return services.report_rate(actor=actor, report=report.pk, rating=data["rating"], comment=data["comment"])
    if name == "appeal":
        return services.report_appeal(actor=actor, report=report.pk, reason=data["reason"])
    if name == "attach":
        return report_attach(actor=actor, report=report.pk, upload=data["file"])
    raise NotFound(_("Tindakan tidak dikenal."))


DONE = {
    "reply": gettext_lazy("Tanggapan Anda terkirim. Laporan kembali ditangani petugas."),
    "resume": gettext_lazy("Kelengkapan laporan terkirim. Laporan dilanjutkan."),
    "rate": gettext_lazy("Terima kasih atas penilaian Anda."),
    "appeal": gettext_lazy("Banding Anda diajukan dan akan diperiksa kembali."),
    "attach": gettext_lazy("Lampiran ditambahkan."),
}


@never_cache
def report_private(request, tracking_id: str):
    """The reporter's view: full status, deadline, timeline, answers and the reply/rate forms."""
    tracking_id = normalize_tracking_id(tracking_id)
    try:
        report, actor = private_report(request, tracking_id)
    except NotFound:
        messages.info(request, _("Masukkan kode rahasia untuk membuka halaman pribadi laporan ini."))
        return redirect(f"{reverse('web:track')}?{urlencode({'nomor': tracking_id})}")

    acted, status = None, 200
    if request.method == "POST":
        name = request.POST.get("action", "")
        form_class = ACTION_FORMS.get(name)
        if form_class is not None:
            acted = form_class(request.POST, request.FILES)
            if acted.is_valid():
                try:
                    _act(name, actor, report, acted.cleaned_data)
                except DomainError as error:
                    acted.add_domain_error(error)
                else:
                    messages.success(request, str(DONE[name]))
                    return redirect("web:report_private", tracking_id=report.tracking_id)
            status = 400
    offered = _offered(report)
    forms = {name: ACTION_FORMS[name]() for name in offered}
    if acted is not None:
        forms[acted.action] = acted
    context = {
        "report": report,
        "forms": forms,
        "acted": acted,
        "acted_shown": acted is not None and acted.action in offered,
        "has_actions": bool(offered - {"attach"}),
        "is_public": public_reports().filter(pk=report.pk).exists(),
        "max_appeal_rating": settings.LAPOR["APPEAL_MAX_RATING"],
        **report_details(report, actor),
    }
    return render(request, "web/track/private.html", context, status=status)
