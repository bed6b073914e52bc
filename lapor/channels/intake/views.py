"""The officer's pages: enter a report on someone's behalf, and import an export file.

Thin doors onto `services.report_intake` and `importing`; both pages are for national verifiers
and agency admins only (others get a 404, like the other workspace pages they cannot use).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lapor.accounts.models import Role
from lapor.core.errors import DomainError, InvalidInput
from lapor.web.views.portal import _mask
from lapor.web.views.workspace import staff_only

from . import importing
from .forms import ImportForm, IntakeForm, intake_initial
from .models import ImportUpload
from .services import can_enter_reports, received_moment, report_intake

DONE_KEY = "lapor_intake_done"
# A checked file waits this long for its confirmation, then goes (it holds personal data).
PENDING_LIFETIME = timedelta(days=1)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SHOWN_ERRORS = 500


def _officer(request):
    if not can_enter_reports(request.user):
        raise Http404
    return request.user


@never_cache
@staff_only
def intake(request):
    officer = _officer(request)
    context = {"refreshed": False}
    if request.method != "POST":
        return render(request, "intake/form.html", {"form": IntakeForm(officer=officer), **context})
    if refresh := request.POST.get("refresh"):
        form = IntakeForm(initial=intake_initial(request.POST), officer=officer)
        context.update(refreshed=refresh, files_dropped=bool(request.FILES))
        return render(request, "intake/form.html", {"form": form, **context})
    form = IntakeForm(request.POST, request.FILES, officer=officer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submitted = report_intake(
                officer=officer,
                received_at=received_moment(officer, data["received_date"], data["received_time"]),
                scan=data["scan"],
                **form.report_fields(),
            )
        except DomainError as error:
            if error.field == "attachments":
                error.field = "scan"
            form.add_domain_error(error)
        else:
            report = submitted.report
            request.session[DONE_KEY] = {
                "tracking_id": report.tracking_id,
                "secret": submitted.secret,
                "channel": str(report.get_channel_display()),
                "sent_to": [_mask(c) for c in (report.contact_email, report.contact_phone) if c],
            }
            return redirect("intake:done")
    return render(request, "intake/form.html", {"form": form, **context}, status=400)


@never_cache
@staff_only
def intake_done(request):
    """The tracking id and, once, the secret, for the officer to pass on; a reload shows nothing."""
    _officer(request)
    shown = request.session.pop(DONE_KEY, None)
    if shown is None:
        return redirect("intake:form")
    return render(request, "intake/done.html", shown)


def _scope(user):
    """The agency an import is limited to: an agency admin's own; none for a verifier."""
    return user.agency if user.role == Role.AGENCY_ADMIN else None


def _check(raw: bytes, user):
    checked, _none = importing.import_file(raw, dry_run=True, agency=_scope(user), max_rows=importing.MAX_REQUEST_ROWS)
    return checked


def _forget_pending(user) -> None:
    """Drop uploads never confirmed: this user's earlier ones, and anyone's older than a day."""
    stale = ImportUpload.objects.filter(imported_at=None).filter(
        Q(uploaded_by=user) | Q(created_at__lt=timezone.now() - PENDING_LIFETIME)
    )
    for upload in stale:
        upload.file.delete(save=False)
        upload.delete()


@never_cache
@staff_only
def import_reports(request):
    """Upload → dry run with every row error → confirm (the file is checked again, then deleted)."""
    user = _officer(request)
    form = ImportForm()
    context: dict = {"scope": _scope(user), "shown_errors": SHOWN_ERRORS}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "confirm":
        upload = get_object_or_404(ImportUpload, pk=request.POST.get("upload"), uploaded_by=user, imported_at=None)
        return _confirm(request, upload, user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                if file.size > MAX_UPLOAD_BYTES:
                    raise InvalidInput(_("Berkas terlalu besar (maksimal 20 MB)."), field="file")
                raw = file.read()
                checked = _check(raw, user)
            except DomainError as error:
                form.add_domain_error(error)
                status = 400
            else:
                upload = None
                _forget_pending(user)
                if checked.plans:
                    file.seek(0)
                    upload = ImportUpload(uploaded_by=user, agency=_scope(user), file_name=file.name[:200])
                    upload.file.save(file.name, file, save=False)
                    upload.save()
                context.update(checked=checked, upload=upload, file_name=file.name)
        else:
            status = 400
    return render(request, "intake/import.html", {"form": form, **context}, status=status)


def _confirm(request, upload: ImportUpload, user):
    try:
        with upload.file.open("rb") as handle:
            raw = handle.read()
        checked = _check(raw, user)
        result = importing.run_import(checked, user=user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("intake:import")
    finally:
        # The file holds personal data: it goes as soon as it was used.
        upload.file.delete(save=False)
    with transaction.atomic():
        upload.imported_at = timezone.now()
        upload.result = {**result.as_dict(), "rows": checked.rows}
        upload.save(update_fields=["imported_at", "result", "file"])
    return render(
        request, "intake/import.html",
        {"form": ImportForm(), "scope": _scope(user), "result": result, "checked": checked,
         "shown_errors": SHOWN_ERRORS, "file_name": upload.file_name},
    )
