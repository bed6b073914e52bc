"""Tracking a report and the reporter's actions on the private page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lapor.complaints.attachments import validate_upload
from lapor.complaints.services import normalize_tracking_id
from lapor.core.errors import InvalidInput

from .base import PortalForm
from .submit import ACCEPT


class TrackForm(PortalForm):
    tracking_id = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=20,
        help_text=_("Contoh: LAP-7K2M-9QXD. Nomor ini ada di halaman konfirmasi dan pesan yang kami kirim."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Nomor pelacakan wajib diisi.")},
    )
    secret = forms.CharField(
        label=_("Kode rahasia"),
        required=False,
        max_length=40,
        strip=True,
        help_text=_("Isi untuk membuka halaman pribadi laporan Anda: status lengkap, tanggapan, dan penilaian."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_tracking_id(self) -> str:
        return normalize_tracking_id(self.cleaned_data["tracking_id"])


class ActionForm(PortalForm):
    """One reporter action; the prefix keeps ids unique when several forms share a page."""

    action = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)


class ReplyForm(ActionForm):
    action = "reply"
    message = forms.CharField(
        label=_("Tanggapan Anda atas tindak lanjut"),
        min_length=5,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Laporan akan kembali ditangani petugas."),
        error_messages={"required": _("Tulis tanggapan Anda."), "min_length": _("Tanggapan minimal 5 karakter.")},
    )


class ResumeForm(ActionForm):
    action = "resume"
    message = forms.CharField(
        label=_("Kelengkapan yang diminta petugas"),
        min_length=5,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tulis kelengkapan laporan."), "min_length": _("Kelengkapan minimal 5 karakter.")},
    )


RATING_CHOICES = [
    ("1", _("1 – Sangat tidak puas")),
    ("2", _("2 – Tidak puas")),
    ("3", _("3 – Cukup")),
    ("4", _("4 – Puas")),
    ("5", _("5 – Sangat puas")),
]


class RateForm(ActionForm):
    action = "rate"
    rating = forms.ChoiceField(
        label=_("Seberapa puas Anda dengan tanggapan ini?"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih nilai 1 sampai 5.")},
    )
    comment = forms.CharField(
        label=_("Komentar"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_rating(self) -> int:
        return int(self.cleaned_data["rating"])


class AppealForm(ActionForm):
    action = "appeal"
    reason = forms.CharField(
        label=_("Alasan banding"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pejabat yang lebih tinggi di instansi akan memeriksa kembali laporan Anda."),
        error_messages={"required": _("Tulis alasan banding."), "min_length": _("Alasan banding minimal 10 karakter.")},
    )


class AttachForm(ActionForm):
    action = "attach"
    file = forms.FileField(
        label=_("Berkas"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("Foto (JPEG, PNG, GIF, WebP) atau PDF, sampai 10 MB."),
        error_messages={"required": _("Pilih berkas yang akan dilampirkan.")},
    )
    domain_fields = {"attachments": "file"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            validate_upload(upload)
        except InvalidInput as error:
            raise ValidationError(str(error)) from None
        return upload


ACTION_FORMS = {form.action: form for form in (ReplyForm, ResumeForm, RateForm, AppealForm, AttachForm)}


def max_attachment_mb() -> int:
    return settings.LAPOR["MAX_ATTACHMENT_BYTES"] // (1024 * 1024)
