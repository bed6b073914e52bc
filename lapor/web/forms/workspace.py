"""Forms of the officer workspace: list filters, saved filters, bulk disposition, report actions.

Forms only collect and shape input; every rule (role, scope, state, limits) stays in the
services, whose refusals come back through `PortalForm.add_domain_error`.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import Agency, Role, Unit
from lapor.complaints.attachments import validate_uploads
from lapor.complaints.models import ArchiveReason, Category, Channel, CompletionTier, Report, ReportAssignment, Status
from lapor.complaints.services import MAX_TEXT_LENGTH, MIN_TEXT_LENGTH
from lapor.core.errors import InvalidInput
from lapor.regions.models import Region

from ..choices import category_options, localized, region_chain, region_options
from .base import MultipleFileField, MultipleFileInput, PortalForm
from .submit import ACCEPT, DATE_FORMATS

OPEN_STATUSES = [s for s in Status.values if s not in (Status.COMPLETED, Status.ARCHIVED)]


class Tab:
    """The list's tabs; the role's own queue is the default."""

    QUEUE = "antrean"
    OVERDUE = "terlambat"
    TODAY = "hari-ini"
    ALL = "semua"
    FLAGGED = "inspektorat"


# Who sees the inspectorate's queue of flagged reports as a tab.
FLAGGED_TAB_ROLES = (Role.OBSERVER, Role.VERIFIER, Role.AGENCY_ADMIN)


# Which statuses make up each role's own queue (scope is applied by the selector).
QUEUE_STATUSES = {
    Role.VERIFIER: [Status.RECEIVED, Status.RETURNED],
    Role.AGENCY_ADMIN: [Status.DISPOSED, Status.REPORTER_REPLIED, Status.APPEALED],
    Role.UNIT_OFFICER: [Status.FORWARDED, Status.REPORTER_REPLIED],
}


def queue_label(role: str) -> str:
    return {
        Role.VERIFIER: _("Antrean verifikasi"),
        Role.AGENCY_ADMIN: _("Kotak masuk"),
        Role.UNIT_OFFICER: _("Kotak masuk unit"),
    }.get(role, "")


def default_tab(role: str) -> str:
    return Tab.QUEUE if role in QUEUE_STATUSES else Tab.ALL


def tabs_for(role: str) -> list[tuple[str, str]]:
    tabs = [(Tab.QUEUE, queue_label(role))] if role in QUEUE_STATUSES else []
    tabs = tabs + [
        (Tab.OVERDUE, _("Terlambat")),
        (Tab.TODAY, _("Jatuh tempo hari ini")),
        (Tab.ALL, _("Semua dalam lingkup")),
    ]
    if role in FLAGGED_TAB_ROLES:
        tabs.append((Tab.FLAGGED, _("Diteruskan ke inspektorat")))
    return tabs


def today_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end of today in the server's zone (TIME_ZONE, WIB by default)."""
    now = timezone.localtime(now or timezone.now())
    start = timezone.make_aware(datetime.combine(now.date(), time.min), now.tzinfo)
    return start, start + timedelta(days=1)


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2025-01-31.")},
    )


class WorkspaceFilterForm(PortalForm):
    """The list's GET filters; all optional, invalid ones are ignored with a message."""

    show_optional = False
    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Cari judul atau nomor pelacakan"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/Kota"), required=False)
    channel = forms.ChoiceField(label=_("Kanal"), required=False)
    agency = forms.CharField(
        label=_("Instansi (kode)"), required=False, max_length=80,
        help_text=_("Kode instansi, misalnya kota-denpasar."),
    )
    unit = forms.ChoiceField(label=_("Unit kerja"), required=False)
    overdue = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)
    due_today = forms.BooleanField(label=_("Hanya yang jatuh tempo hari ini"), required=False)
    date_from = _date_field(_("Diterima dari tanggal"))
    date_to = _date_field(_("Diterima sampai tanggal"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        source = self.data if self.is_bound else self.initial
        self.chain = region_chain(source)[:2]
        if self.is_bound:
            self.data = self.data.copy()
            if len(self.chain) < 2:
                self.data["regency"] = ""
        provinces, regencies = region_options(self.chain, levels=2)
        everything = ("", _("Semua"))
        self.fields["province"].choices = [everything] + provinces
        self.fields["regency"].choices = [everything] + regencies
        self.fields["category"].choices = [everything] + category_options(top_level_only=True)
        self.fields["status"].choices = [everything] + list(Status.choices)
        self.fields["channel"].choices = [everything] + list(Channel.choices)
        # Agency filter for those who see several agencies; unit filter for an agency admin.
        if user.role not in (Role.VERIFIER, Role.OBSERVER, Role.SYSADMIN):
            del self.fields["agency"]
        if user.role == Role.AGENCY_ADMIN:
            units = Unit.objects.filter(agency_id=user.agency_id).order_by("name").values_list("pk", "name")
            self.fields["unit"].choices = [everything] + [(str(pk), name) for pk, name in units]
        else:
            del self.fields["unit"]

    @property
    def tab_value(self) -> str:
        tab = (self.data.get("tab") if self.is_bound else "") or default_tab(self.user.role)
        valid = {value for value, _label in tabs_for(self.user.role)}
        return tab if tab in valid else default_tab(self.user.role)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
        return cleaned

    def apply(self, reports, *, now: datetime | None = None):
        """Narrow a scoped queryset by the tab and the valid filters, and order it."""
        now = now or timezone.now()
        data = self.cleaned_data if self.is_valid() else {}
        start, end = today_bounds(now)
        tab = self.tab_value
        if tab == Tab.QUEUE:
            reports = reports.filter(status__in=QUEUE_STATUSES[self.user.role])
        if tab == Tab.FLAGGED:  # the inspectorate's queue (handling.flagged_reports), filters on top
            reports = reports.filter(flagged_at__isnull=False)
        if tab == Tab.OVERDUE or data.get("overdue"):
            reports = reports.filter(status__in=OPEN_STATUSES, stage_due_at__lt=now)
        if tab == Tab.TODAY or data.get("due_today"):
            reports = reports.filter(status__in=OPEN_STATUSES, stage_due_at__gte=start, stage_due_at__lt=end)
        if text := (data.get("q") or "").strip():
            reports = reports.filter(Q(title__icontains=text) | Q(tracking_id__iexact=text))
        if status := data.get("status"):
            reports = reports.filter(status=status)
        if code := data.get("category"):
            reports = reports.filter(
                Q(category__code=code) | Q(category__parent__code=code) | Q(category__parent__parent__code=code)
            )
        if self.chain and "province" in data:
            code = self.chain[-1]
            reports = reports.filter(Q(region_id=code) | Q(region__code__startswith=f"{code}."))
        if channel := data.get("channel"):
            reports = reports.filter(channel=channel)
        if code := data.get("agency"):
            reports = reports.filter(current_agency__code=code.strip())
        if unit := data.get("unit"):
            reports = reports.filter(
                Exists(ReportAssignment.objects.filter(report=OuterRef("pk"), unit_id=unit, is_active=True))
            )
        if day := data.get("date_from"):
            reports = reports.filter(created_at__gte=timezone.make_aware(datetime.combine(day, time.min)))
        if day := data.get("date_to"):
            reports = reports.filter(created_at__lt=timezone.make_aware(datetime.combine(day, time.min)) + timedelta(days=1))
        if tab == Tab.FLAGGED:
            return reports.order_by("flagged_at", "pk")
        # Work queues: priority reports (red flags) first, then the oldest deadline; the rest:
        # the newest report first.
        if tab == Tab.QUEUE:
            return reports.order_by("-priority", "stage_due_at", "pk")
        if tab in (Tab.OVERDUE, Tab.TODAY):
            return reports.order_by("stage_due_at", "pk")
        return reports.order_by("-created_at", "-pk")

    def query_string(self) -> str:
        """The current filters (without the page number), for links, exports and saving."""
        params = QueryDict(mutable=True)
        if self.is_bound:
            for name in self.fields:
                value = (self.data.get(name) or "").strip()
                if value:
                    params[name] = value
        return params.urlencode()


class SaveFilterForm(PortalForm):
    name = forms.CharField(
        label=_("Nama saringan"), max_length=80,
        error_messages={"required": _("Beri nama saringan ini.")},
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


def active_agency(code: str) -> Agency | None:
    return Agency.objects.filter(code=(code or "").strip(), is_active=True).first()


class AgencyCodeField(forms.ChoiceField):
    """A select of suggested agencies that also accepts any active agency's code (from a search)."""

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or Agency.objects.filter(code=value, is_active=True).exists()


class BulkDisposeForm(PortalForm):
    agency = AgencyCodeField(
        label=_("Disposisikan laporan terpilih ke instansi"),
        error_messages={"required": _("Pilih instansi tujuan."), "invalid_choice": _("Pilih instansi yang aktif.")},
    )
    reports = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, agency_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— pilih instansi —")), *agency_choices]

    def clean_reports(self):
        values = self.cleaned_data["reports"] or []
        values = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))[:200]
        if not values:
            raise forms.ValidationError(_("Pilih minimal satu laporan."))
        return values

    def clean_agency(self):
        agency = active_agency(self.cleaned_data["agency"])
        if agency is None:
            raise forms.ValidationError(_("Pilih instansi yang aktif."))
        return agency


# --- one form an action on the report page ------------------------------------------------------


class StaffActionForm(PortalForm):
    """One officer action; the prefix keeps ids unique when several forms share the page."""

    action = ""

    def __init__(self, *args, report: Report, **kwargs):
        kwargs.setdefault("prefix", self.action)
        self.report = report
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class EditForm(StaffActionForm):
    action = "edit"
    title = forms.CharField(label=_("Judul"), max_length=200)
    text = forms.CharField(
        label=_("Isi laporan (disunting)"),
        min_length=MIN_TEXT_LENGTH,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Isi asli pelapor tetap tersimpan dan ditampilkan di samping."),
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    region = forms.CharField(
        label=_("Kode wilayah"), required=False, max_length=13,
        help_text=_("Kode Kemendagri, misalnya 51.71.01.1001 (kelurahan) atau 51.71 (kota)."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan identitas pelapor"), required=False,
        help_text=_("Hanya dapat dinyalakan; pelapor sendiri yang dapat mematikannya."),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: sembunyikan laporan dari publik"), required=False,
        help_text=_("Hanya dapat dinyalakan; pelapor sendiri yang dapat mematikannya."),
    )
    note = forms.CharField(label=_("Catatan internal"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, report: Report, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": report.title,
                "text": report.text,
                "category": report.category.code if report.category_id else "",
                "region": report.region_id or "",
                "is_anonymous": report.is_anonymous,
                "is_confidential": report.is_confidential,
            },
        )
        super().__init__(*args, report=report, **kwargs)
        self.fields["category"].choices = [("", _("— tidak diubah —")), *category_options()]
        for flag in ("is_anonymous", "is_confidential"):
            if getattr(report, flag):
                self.fields[flag].disabled = True

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("Wilayah tidak dikenal."))
        return region

    def clean_category(self):
        code = self.cleaned_data["category"]
        return Category.objects.filter(code=code).first() if code else None

    def service_kwargs(self) -> dict:
        data, r = self.cleaned_data, self.report
        kwargs = {"note": data["note"]}
        if data["title"] != r.title:
            kwargs["title"] = data["title"]
        if data["text"].strip() != r.text.strip():
            kwargs["text"] = data["text"]
        if data["category"] is not None and data["category"].pk != r.category_id:
            kwargs["category"] = data["category"]
        if data["region"] is not None and data["region"].pk != r.region_id:
            kwargs["region"] = data["region"]
        for flag in ("is_anonymous", "is_confidential"):
            if data[flag] and not getattr(r, flag):
                kwargs[flag] = True
        return kwargs


class DisposeForm(StaffActionForm):
    action = "dispose"
    agency = AgencyCodeField(
        label=_("Instansi tujuan"),
        error_messages={"required": _("Pilih instansi tujuan."), "invalid_choice": _("Pilih instansi yang aktif.")},
    )
    note = forms.CharField(label=_("Catatan untuk instansi"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    completion_tier = forms.TypedChoiceField(
        label=_("Tingkat penyelesaian"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Batas nasional/SOP instansi"))] + [(t.value, t.label) for t in CompletionTier],
        help_text=_("Ringan 2, normatif 5, tanpa audit 14, memerlukan audit 60 hari kerja."),
    )

    def __init__(self, *args, agency_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— pilih instansi —")), *agency_choices]

    def clean_agency(self):
        agency = active_agency(self.cleaned_data["agency"])
        if agency is None:
            raise forms.ValidationError(_("Pilih instansi yang aktif."))
        return agency


class HoldForm(StaffActionForm):
    action = "hold"
    question = forms.CharField(
        label=_("Pertanyaan kepada pelapor"), min_length=5, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Laporan ditunda dan tenggat berhenti sampai pelapor melengkapinya."),
        error_messages={"required": _("Tulis apa yang perlu dilengkapi pelapor.")},
    )


class ResumeForm(StaffActionForm):
    action = "resume"
    message = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveForm(StaffActionForm):
    action = "archive"
    reason = forms.ModelChoiceField(
        label=_("Alasan"), queryset=ArchiveReason.objects.none(), empty_label=_("— pilih alasan —"),
        error_messages={"required": _("Pilih alasan pengarsipan.")},
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = ArchiveReason.objects.filter(is_active=True).order_by("name")
        self.fields["reason"].label_from_instance = localized


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ForwardForm(StaffActionForm):
    action = "forward"
    units = UnitChoices(
        label=_("Unit kerja"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih minimal satu unit kerja.")},
    )
    lead = forms.ModelChoiceField(
        label=_("Unit utama (menjawab dan menutup)"), queryset=Unit.objects.none(), required=False,
        empty_label=_("— unit pertama yang dipilih —"),
    )
    note = forms.CharField(label=_("Catatan untuk unit"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(agency_id=self.report.current_agency_id, is_active=True).order_by("name")
        self.fields["units"].queryset = units
        self.fields["lead"].queryset = units
        self.fields["lead"].label_from_instance = lambda unit: unit.name


class ReturnForm(StaffActionForm):
    action = "return"
    reason = forms.CharField(
        label=_("Alasan bukan wewenang"), min_length=10, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Laporan kembali ke Admin Nasional untuk didisposisikan ulang."),
        error_messages={"required": _("Tulis alasan bukan wewenang."),
                        "min_length": _("Alasan minimal 10 karakter.")},
    )


class FollowUpForm(StaffActionForm):
    action = "follow_up"
    answer = forms.CharField(
        label=_("Tindak lanjut (jawaban untuk pelapor)"), min_length=10, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Jawaban ini tampil kepada pelapor dan, bila laporan tidak rahasia, kepada publik."),
        error_messages={"required": _("Tulis tindak lanjut."),
                        "min_length": _("Tindak lanjut minimal 10 karakter.")},
    )
    files = MultipleFileField(
        label=_("Lampiran"), required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Foto (JPEG, PNG, GIF, WebP) atau PDF, sampai 10 MB per berkas."),
    )
    domain_fields = {"attachments": "files"}

    def clean_files(self):
        files = self.cleaned_data["files"]
        try:
            validate_uploads(files)
        except InvalidInput as error:
            raise forms.ValidationError(str(error)) from None
        return files


class CloseForm(StaffActionForm):
    action = "close"
    note = forms.CharField(
        label=_("Catatan penutupan"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib untuk memutuskan banding (minimal 10 karakter)."),
    )


class NoteForm(StaffActionForm):
    action = "note"
    note = forms.CharField(
        label=_("Catatan internal"), min_length=3, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hanya terlihat oleh petugas; pelapor dan publik tidak melihatnya."),
        error_messages={"required": _("Tulis catatan."), "min_length": _("Catatan minimal 3 karakter.")},
    )


class InterimForm(StaffActionForm):
    action = "interim"
    answer = forms.CharField(
        label=_("Jawaban sementara (untuk pelapor)"), min_length=10, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tulis jawaban sementara."),
                        "min_length": _("Jawaban sementara minimal 10 karakter.")},
    )
    expected_date = forms.DateField(
        label=_("Perkiraan tanggal selesai"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tenggat penyelesaian berpindah ke tanggal ini."),
        error_messages={"required": _("Isi perkiraan tanggal selesai."),
                        "invalid": _("Tulis tanggal seperti 2025-01-31.")},
    )
    reason = forms.CharField(
        label=_("Alasan perpanjangan"), min_length=10, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tulis alasan perpanjangan."),
                        "min_length": _("Alasan minimal 10 karakter.")},
    )


class TransferForm(StaffActionForm):
    action = "transfer"
    agency = AgencyCodeField(
        label=_("Instansi yang berwenang"),
        error_messages={"required": _("Pilih instansi tujuan."), "invalid_choice": _("Pilih instansi yang aktif.")},
    )
    reason = forms.CharField(
        label=_("Alasan pengalihan"), min_length=10, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tulis alasan pengalihan."), "min_length": _("Alasan minimal 10 karakter.")},
    )

    def __init__(self, *args, agency_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— pilih instansi —")), *agency_choices]

    def clean_agency(self):
        agency = active_agency(self.cleaned_data["agency"])
        if agency is None:
            raise forms.ValidationError(_("Pilih instansi yang aktif."))
        return agency


class FlagForm(StaffActionForm):
    action = "flag"
    reason = forms.CharField(
        label=_("Dugaan pelanggaran"), min_length=10, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya pungutan liar, suap, atau bahaya bagi warga. Hanya petugas yang melihatnya."),
        error_messages={"required": _("Tulis alasan diteruskan ke inspektorat."),
                        "min_length": _("Alasan minimal 10 karakter.")},
    )


class MergeForm(StaffActionForm):
    action = "merge"
    into = forms.CharField(
        label=_("Nomor pelacakan laporan utama"), max_length=40,
        help_text=_("Laporan ini diarsipkan sebagai duplikat; pelapornya mengikuti laporan utama."),
        error_messages={"required": _("Isi nomor pelacakan laporan utama.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_into(self):
        from lapor.complaints.selectors import reports_visible_to
        from lapor.complaints.services import normalize_tracking_id

        tracking_id = normalize_tracking_id(self.cleaned_data["into"])
        main = reports_visible_to(self.user).filter(tracking_id=tracking_id).first()
        if main is None:
            raise forms.ValidationError(_("Laporan tujuan penggabungan tidak ditemukan."))
        return main


class ProposeForm(StaffActionForm):
    action = "propose"
    answer = forms.CharField(
        label=_("Usulan tindak lanjut (ditinjau admin instansi)"), min_length=10, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Instansi Anda meninjau jawaban unit sebelum terbit."),
        error_messages={"required": _("Tulis tindak lanjut."),
                        "min_length": _("Tindak lanjut minimal 10 karakter.")},
    )


class PublishForm(StaffActionForm):
    action = "publish"
    text = forms.CharField(
        label=_("Jawaban yang diterbitkan"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Boleh disunting sebelum terbit; kosong berarti usulan unit apa adanya."),
    )
    domain_fields = {"answer": "text"}


class ReviewReturnForm(StaffActionForm):
    action = "review"
    note = forms.CharField(
        label=_("Catatan perbaikan untuk unit"), min_length=5, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tulis apa yang perlu diperbaiki."),
                        "min_length": _("Catatan minimal 5 karakter.")},
    )


# Forms whose answer can start from one of the agency's canned answers.
CANNED_FORMS = ("follow_up", "interim", "propose")


def add_canned_field(form, answers) -> None:
    """A select of canned answers (filled into `answer` by the script or the "use" button)."""
    if not answers:
        return
    form.fields["canned"] = forms.ChoiceField(
        label=_("Jawaban baku"), required=False,
        choices=[("", _("— pilih jawaban baku —")), *[(str(a.pk), a.title) for a in answers]],
        widget=forms.Select(attrs={
            "data-canned-for": f"id_{form.prefix}-answer",
            "data-confirm": _("Ganti isi jawaban dengan jawaban baku ini?"),
        }),
    )


STAFF_ACTION_FORMS: dict[str, type[StaffActionForm]] = {
    form.action: form
    for form in (EditForm, DisposeForm, HoldForm, ResumeForm, ArchiveForm, ForwardForm, ReturnForm,
                 FollowUpForm, CloseForm, NoteForm, InterimForm, TransferForm, FlagForm, MergeForm,
                 ProposeForm, PublishForm, ReviewReturnForm)
}


class ReviewSettingForm(PortalForm):
    review_answers = forms.BooleanField(
        label=_("Tinjau jawaban unit sebelum terbit"), required=False,
        help_text=_("Bila dinyalakan, unit kerja mengajukan jawaban dan admin instansi menerbitkannya."),
    )


class CannedAnswerForm(PortalForm):
    title = forms.CharField(label=_("Judul"), max_length=120,
                            error_messages={"required": _("Beri judul jawaban baku.")})
    body = forms.CharField(
        label=_("Isi jawaban"), min_length=10, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tulis isi jawaban."), "min_length": _("Isi jawaban minimal 10 karakter.")},
    )
