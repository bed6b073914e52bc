"""The officer's intake form (the citizen's report form plus channel, received date and scan)
and the import upload form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import Role
from lapor.complaints.attachments import validate_upload
from lapor.core.errors import InvalidInput
from lapor.web.forms.base import PortalForm
from lapor.web.forms.submit import DATE_FORMATS, SubmitForm, initial_from

from .services import INTAKE_CHANNELS, SCAN_TYPES

SCAN_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
CHANNEL_CHOICES = [(c.value, c.label) for c in INTAKE_CHANNELS]


class IntakeForm(SubmitForm):
    """What the reporter said, where it came in and when; the reporter's contact is optional."""

    channel = forms.ChoiceField(
        label=_("Diterima melalui"),
        choices=CHANNEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih kanal: pusat panggilan, loket pengaduan, atau surat."),
            "invalid_choice": _("Pilih kanal: pusat panggilan, loket pengaduan, atau surat."),
        },
    )
    received_date = forms.DateField(
        label=_("Tanggal diterima"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tanggal surat atau telepon diterima: tenggat verifikasi dihitung dari tanggal ini."),
        error_messages={"invalid": _("Tulis tanggal seperti 2025-01-31."), "required": _("Wajib diisi.")},
    )
    received_time = forms.TimeField(
        label=_("Jam diterima"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Jika dikosongkan: saat ini untuk hari ini, pukul 09.00 untuk hari sebelumnya."),
        error_messages={"invalid": _("Tulis jam seperti 13:45.")},
    )
    scan = forms.FileField(
        label=_("Pindaian surat"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=_("PDF, JPEG, atau PNG. Hanya petugas dan pelapor yang dapat melihatnya."),
    )

    domain_fields = {"region": "province", "suggested_agency": "agency", "received_at": "received_date"}

    def __init__(self, *args, officer=None, **kwargs):
        super().__init__(*args, account=None, **kwargs)
        for name in ("attachments", "confirmed"):
            del self.fields[name]
        self.officer = officer
        if officer is not None and officer.role == Role.AGENCY_ADMIN:
            # An agency's own desk: the report is for that agency.
            del self.fields["agency"], self.fields["agency_q"]
        self.fields["contact_name"].label = _("Nama pelapor")
        self.fields["is_anonymous"].help_text = _(
            "Nama dan kontak pelapor tidak akan dilihat petugas lain maupun publik."
        )
        if not self.is_bound and "received_date" not in self.initial:
            self.initial["received_date"] = timezone.localdate()

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if not scan:
            return None
        try:
            content_type = validate_upload(scan)
        except InvalidInput as error:
            raise ValidationError(str(error)) from None
        if content_type not in SCAN_TYPES:
            raise ValidationError(_("Pindaian surat harus berupa PDF, JPEG, atau PNG."))
        return scan

    def report_fields(self) -> dict:
        data = self.cleaned_data
        names = (
            "kind", "title", "text", "category", "latitude", "longitude", "incident_date", "is_anonymous",
            "is_confidential", "contact_name", "contact_phone", "contact_email",
        )
        fields = {name: data[name] for name in names}
        fields.update(region=self.region, suggested_agency=data.get("agency"), channel=data["channel"])
        return fields


def intake_initial(data) -> dict:
    """The refresh buttons' initial values (nothing checked or stored)."""
    initial = initial_from(data)
    initial.update({name: data.get(name, "") for name in ("channel", "received_date", "received_time")})
    return initial


class ImportForm(PortalForm):
    file = forms.FileField(
        label=_("Berkas ekspor (CSV atau XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        help_text=_("Kolom ekspor resmi LAPOR!, dengan baris judul kolom. Pemeriksaan tidak menyimpan apa pun."),
        error_messages={"required": _("Pilih berkas yang akan diperiksa.")},
    )
