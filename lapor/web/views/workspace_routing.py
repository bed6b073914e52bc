"""The agency admin's routing page: train the agency's unit router from an export, compare, switch.

Every change goes through `lapor.routing` (train_agency_unit_router, activate_version); the page
only lists the agency's own versions.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lapor.core.errors import DomainError
from lapor.routing import learning, versions
from lapor.routing.models import RoutingModel, Target

from ..forms.base import PortalForm
from .workspace import own_agency, staff_only

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ExportUploadForm(PortalForm):
    domain_fields = {"data": "file", "label": "file"}

    file = forms.FileField(
        label=gettext_lazy("Berkas ekspor laporan (CSV atau XLSX)"),
        help_text=gettext_lazy(
            "Ekspor CSV atau XLSX dari daftar laporan instansi ini (kolom judul, isi laporan dan unit kerja), "
            "atau CSV dengan kolom text dan label berisi nama atau kode unit kerja."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 50 MB)."))
        return upload


@never_cache
@staff_only
def agency_routing(request):
    user = request.user
    agency = own_agency(user)
    form, status = ExportUploadForm(), 200
    if request.method == "POST" and request.POST.get("action") == "train":
        form = ExportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                row = learning.train_agency_unit_router(actor=user, upload=form.cleaned_data["file"])
            except DomainError as error:
                form.add_domain_error(error)
                status = error.http_status
            else:
                messages.success(request, _("Model %(model)s dilatih dari %(n)d laporan.") % {
                    "model": row, "n": row.training_size,
                })
                return redirect("web:staff_agency_routing")
        else:
            status = 400
    elif request.method == "POST" and request.POST.get("action") == "activate":
        row = get_object_or_404(RoutingModel, pk=request.POST.get("pk") or 0, agency=agency, target=Target.UNIT)
        versions.activate_version(row)
        messages.success(request, _("%(model)s sekarang dipakai untuk saran unit kerja.") % {"model": row})
        return redirect("web:staff_agency_routing")
    rows = list(RoutingModel.objects.filter(agency=agency, target=Target.UNIT).order_by("-created_at", "-pk"))
    shared = versions.active_model(Target.UNIT) if agency.kind in learning.REGIONAL_KINDS else None
    return render(
        request, "web/workspace/agency_routing.html",
        {"agency": agency, "form": form, "versions": rows, "shared": shared},
        status=status,
    )
