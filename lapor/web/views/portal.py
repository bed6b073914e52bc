"""Filing a report: the form, similar reports before filing, and the confirmation page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lapor.complaints.filing import report_file
from lapor.complaints.models import Category, Channel, ReportEvent
from lapor.core.errors import DomainError, TooManyRequests
from lapor.regions.models import Region
from lapor.routing.similar import similar_reports

from ..access import SUBMITTED_KEY, is_citizen, remember_proof
from ..choices import region_chain
from ..forms import SubmitForm, initial_from
from ..limits import limit

SIMILAR_LIMIT = 5


def _similar(text: str, category, region) -> list[dict]:
    """Similar public reports with their latest public answer (two queries)."""
    found = similar_reports(text=text, category=category, region=region, limit=SIMILAR_LIMIT)
    if not found:
        return []
    answers: dict[int, ReportEvent] = {}
    for event in ReportEvent.objects.filter(
        report_id__in=[r.pk for r, _score in found], type="report.followed_up", is_public=True
    ).order_by("created_at", "id"):
        answers[event.report_id] = event  # the latest wins
    return [{"report": r, "answer": answers.get(r.pk)} for r, _score in found]


def _mask(contact: str) -> str:
    """Enough of an address or number to recognise it, not enough to read it off a screen."""
    if "@" in contact:
        name, _at, domain = contact.partition("@")
        return f"{name[:2]}…@{domain}"
    return f"{contact[:4]}…{contact[-3:]}" if len(contact) > 7 else contact


def submit(request):
    account = request.user if request.user.is_authenticated else None
    if account is not None and not is_citizen(account):
        return render(request, "web/portal/staff_cannot_submit.html", status=403)
    context = {"similar": [], "refreshed": False, "files_dropped": False}
    status = 200
    if request.method != "POST":
        form = SubmitForm(account=account)
        return render(request, "web/portal/submit.html", {"form": form, **context})

    if refresh := request.POST.get("refresh"):
        # Re-render with the next level's options, keeping what was typed; nothing is checked
        # or stored (files cannot survive a round trip and must be chosen again).
        form = SubmitForm(initial=initial_from(request.POST), account=account)
        context.update(refreshed=refresh, files_dropped=bool(request.FILES))
        return render(request, "web/portal/submit.html", {"form": form, **context})

    form = SubmitForm(request.POST, request.FILES, account=account)
    if form.is_valid():
        data = form.cleaned_data
        similar = [] if data["confirmed"] else _similar(data["text"], data["category"], form.region)
        if similar:
            confirm = request.POST.copy()
            confirm["confirmed"] = "1"
            form = SubmitForm(confirm, account=account)
            context.update(similar=similar, files_dropped=bool(request.FILES))
            return render(request, "web/portal/submit.html", {"form": form, **context})
        try:
            limit(request, "submit")
            submitted = report_file(
                reporter=account, attachments=data["attachments"], channel=Channel.WEB, **form.report_fields()
            )
        except TooManyRequests as error:
            form.add_error(None, str(error))
            status = 429
        except DomainError as error:
            form.add_domain_error(error)
            status = 400
        else:
            report = submitted.report
            if account is None:
                remember_proof(request, report)
            contacts = [c for c in (report.contact_email, report.contact_phone) if c]
            if account is not None:
                contacts = [c for c in (account.email, account.phone) if c]
            request.session[SUBMITTED_KEY] = {
                "tracking_id": report.tracking_id,
                "secret": submitted.secret,
                "sent_to": [_mask(c) for c in contacts],
            }
            return redirect("web:submitted")
    else:
        status = 400
    return render(request, "web/portal/submit.html", {"form": form, **context}, status=status)


@never_cache
def submitted(request):
    """The tracking id and, once, the secret; a reload finds nothing to show."""
    shown = request.session.pop(SUBMITTED_KEY, None)
    if shown is None:
        messages.info(request, _("Nomor pelacakan dan kode rahasia hanya ditampilkan sekali, sesudah mengirim."))
        return redirect("web:track")
    return render(
        request, "web/portal/submitted.html", {**shown, "verify_days": settings.LAPOR["VERIFY_WORKING_DAYS"]}
    )


@require_GET
def similar(request):
    """Similar reports as an HTML fragment, fetched by the form's script while the citizen types."""
    text = (request.GET.get("text") or "").strip()[:2000]
    results = []
    try:
        limit(request, "similar")
    except TooManyRequests:
        text = ""  # an enhancement only: say nothing rather than an error while typing
    if len(text) >= 20:
        code = request.GET.get("category") or ""
        category = Category.objects.filter(code=code, is_active=True).first() if code else None
        chain = region_chain(request.GET)
        region = Region.objects.filter(code=chain[-1]).first() if chain else None
        results = _similar(text, category, region)
    return render(request, "web/portal/similar_list.html", {"similar": results, "live": True})
