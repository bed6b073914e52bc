"""The report form: what, where, when, to whom, with which files and which privacy."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import Agency
from lapor.accounts.services import normalize_phone
from lapor.complaints.attachments import validate_uploads
from lapor.complaints.models import Category, Kind
from lapor.complaints.services import MAX_TEXT_LENGTH, MIN_TEXT_LENGTH
from lapor.core.errors import InvalidInput
from lapor.regions.models import Region

from ..choices import REGION_FIELDS, agency_options, category_options, region_chain, region_options
from .base import MultipleFileField, MultipleFileInput, PortalForm

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf,.jpg,.jpeg,.png,.gif,.webp,.pdf"


def _coordinate(value: str, low: int, high: int, message) -> Decimal | None:
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationError(message) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(message)
    return number


class SubmitForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Judul"),
        required=False,
        max_length=200,
        help_text=_("Jika dikosongkan, judul dibuat dari awal isi laporan."),
    )
    text = forms.CharField(
        label=_("Isi laporan"),
        min_length=MIN_TEXT_LENGTH,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Ceritakan apa yang terjadi, di mana, dan sejak kapan. Minimal 20 karakter."),
        error_messages={
            "required": _("Wajib diisi: ceritakan masalah Anda."),
            "min_length": _("Terlalu pendek: tulis minimal 20 karakter."),
        },
    )
    category = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        help_text=_(
            "Contoh: jalan berlubang → Pekerjaan Umum dan Penataan Ruang; KTP atau KK → Kependudukan; "
            "bantuan sosial → Sosial dan Kesejahteraan. Ragu? Pilih “Tidak tahu”."
        ),
    )
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/Kota"), required=False)
    district = forms.ChoiceField(label=_("Kecamatan"), required=False)
    village = forms.ChoiceField(label=_("Kelurahan/Desa"), required=False)
    latitude = forms.CharField(
        label=_("Lintang"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        label=_("Bujur"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2025-01-31.")},
    )
    attachments = MultipleFileField(
        label=_("Lampiran"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Foto (JPEG, PNG, GIF, WebP) atau PDF; paling banyak 10 berkas, masing-masing sampai 10 MB."),
    )
    agency_q = forms.CharField(label=_("Cari instansi"), required=False, max_length=80)
    agency = forms.ChoiceField(
        label=_("Instansi tujuan"),
        required=False,
        help_text=_("Jika ragu, pilih “Saya tidak tahu”: petugas meneruskan laporan ke instansi yang berwenang."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim"),
        required=False,
        help_text=_(
            "Nama dan kontak Anda tidak akan dilihat oleh petugas maupun publik; isi laporan tetap dibaca petugas."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia"),
        required=False,
        help_text=_("Isi laporan hanya dilihat oleh Anda dan petugas yang menanganinya, tidak oleh publik."),
    )
    contact_name = forms.CharField(label=_("Nama"), required=False, max_length=120)
    contact_phone = forms.CharField(
        label=_("Nomor ponsel"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Surel"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Tulis alamat surel seperti nama@contoh.id.")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    domain_fields = {"region": "province", "suggested_agency": "agency"}

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        if account is not None:
            for name in ("contact_name", "contact_phone", "contact_email"):
                del self.fields[name]
        source = self.data if self.is_bound else self.initial
        self.chain = region_chain(source)
        if self.is_bound:
            # A level left over from a previously chosen parent is dropped, not an error.
            self.data = self.data.copy()
            for name in REGION_FIELDS[len(self.chain) :]:
                self.data[name] = ""
        for name, options in zip(REGION_FIELDS, region_options(self.chain)):
            self.fields[name].choices = [("", _("— pilih —"))] + options
        self.fields["category"].choices = [("", _("Tidak tahu"))] + category_options()
        self.fields["agency"].choices = [("", _("Saya tidak tahu"))] + agency_options(
            chain=self.chain, query=source.get("agency_q") or "", selected=source.get("agency") or ""
        )
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    # --- cleaning -----------------------------------------------------------------------------

    def clean_category(self) -> Category | None:
        code = self.cleaned_data.get("category")
        return Category.objects.filter(code=code, is_active=True).first() if code else None

    def clean_agency(self) -> Agency | None:
        code = self.cleaned_data.get("agency")
        return Agency.objects.filter(code=code, is_active=True).first() if code else None

    def clean_latitude(self):
        return _coordinate(self.cleaned_data.get("latitude"), -90, 90, _("Lintang harus angka antara -90 dan 90."))

    def clean_longitude(self):
        return _coordinate(
            self.cleaned_data.get("longitude"), -180, 180, _("Bujur harus angka antara -180 dan 180.")
        )

    def clean_incident_date(self):
        day = self.cleaned_data.get("incident_date")
        if day and day > timezone.localdate():
            raise ValidationError(_("Tanggal kejadian tidak boleh di masa depan."))
        return day

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        try:
            validate_uploads(files)
        except InvalidInput as error:
            raise ValidationError(str(error)) from None
        return files

    def clean_contact_phone(self):
        value = (self.cleaned_data.get("contact_phone") or "").strip()
        if not value:
            return ""
        phone = normalize_phone(value)
        if phone is None:
            raise ValidationError(_("Tulis nomor ponsel Indonesia, misalnya 0812 3456 7890."))
        return phone

    def clean(self):
        cleaned = super().clean()
        has_lat = cleaned.get("latitude") is not None
        has_lon = cleaned.get("longitude") is not None
        if has_lat != has_lon and "latitude" not in self.errors and "longitude" not in self.errors:
            self.add_error("longitude" if has_lat else "latitude", _("Isi lintang dan bujur, atau kosongkan keduanya."))
        return cleaned

    @cached_property
    def region(self) -> Region | None:
        """The most precise region chosen (village, else district, ...)."""
        if not self.chain:
            return None
        return Region.objects.filter(code=self.chain[-1]).first()

    def report_fields(self) -> dict:
        """Keyword arguments for `report_file` (attachments and reporter aside)."""
        data = self.cleaned_data
        fields = {
            "kind": data["kind"],
            "title": data["title"],
            "text": data["text"],
            "category": data["category"],
            "region": self.region,
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "incident_date": data["incident_date"],
            "suggested_agency": data["agency"],
            "is_anonymous": data["is_anonymous"],
            "is_confidential": data["is_confidential"],
        }
        if self.account is None:
            fields.update(
                contact_name=data["contact_name"], contact_phone=data["contact_phone"], contact_email=data["contact_email"]
            )
        return fields


def initial_from(data) -> dict:
    """Initial values that re-render a posted form without validating it (the refresh buttons)."""
    initial = {name: data.get(name, "") for name in SubmitForm.base_fields if name not in ("attachments", "confirmed")}
    for flag in ("is_anonymous", "is_confidential"):
        initial[flag] = data.get(flag) in ("on", "1", "true", "True")
    for name in REGION_FIELDS:
        initial[name] = ""
    for name, code in zip(REGION_FIELDS, region_chain(data)):
        initial[name] = code
    return initial
