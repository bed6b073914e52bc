"""Reports, their categories, their history (events) and attachments.

A report's status changes only through `lapor.complaints.services`; the models hold data and
the invariants the database can check.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.core.models import TimeStampedModel


class Category(models.Model):
    """A node of the category tree; data, managed by admins (topics come and go)."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Which kinds of agency and unit usually handle it (hints for disposition).
    agency_kinds = models.JSONField(default=list, blank=True)
    unit_types = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.name


class ArchiveReason(models.Model):
    """Why a report was archived or rejected (spam, duplicate, ...): an admin-managed list."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alasan arsip")
        verbose_name_plural = _("alasan arsip")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    # Filed, not yet checked by a national verifier.
    RECEIVED = "received", _("Diterima (belum terverifikasi)")
    # Waiting for the reporter to complete it (tunda); the clock pauses.
    ON_HOLD = "on_hold", _("Ditunda (menunggu kelengkapan)")
    # Verified and disposed to an agency; its admin must pass it on or answer.
    DISPOSED = "disposed", _("Terverifikasi dan terdisposisi")
    # Passed by the agency admin to one or more units.
    FORWARDED = "forwarded", _("Diteruskan ke unit")
    # Returned as not the agency's authority (bukan wewenang): awaits re-disposition.
    RETURNED = "returned", _("Dikembalikan (bukan wewenang)")
    # A follow-up (tindak lanjut) was posted; the reporter may reply or rate.
    FOLLOWED_UP = "followed_up", _("Ditindaklanjuti")
    # The reporter replied to a follow-up: back to the handlers.
    REPORTER_REPLIED = "reporter_replied", _("Ditanggapi oleh pelapor")
    # The reporter appealed after a poor rating: a higher officer must decide.
    APPEALED = "appealed", _("Banding")
    # Done: closed by an admin or by the system.
    COMPLETED = "completed", _("Selesai")
    # Archived or rejected with a reason (spam, duplicate, ...).
    ARCHIVED = "archived", _("Diarsipkan")


class Bucket(models.TextChoices):
    """The three states a citizen sees."""

    WAITING = "belum", _("Belum")
    IN_PROCESS = "proses", _("Proses")
    DONE = "selesai", _("Selesai")


BUCKET_OF_STATUS = {
    Status.RECEIVED: Bucket.WAITING,
    Status.ON_HOLD: Bucket.WAITING,
    Status.DISPOSED: Bucket.IN_PROCESS,
    Status.FORWARDED: Bucket.IN_PROCESS,
    Status.RETURNED: Bucket.IN_PROCESS,
    Status.FOLLOWED_UP: Bucket.IN_PROCESS,
    Status.REPORTER_REPLIED: Bucket.IN_PROCESS,
    Status.APPEALED: Bucket.IN_PROCESS,
    Status.COMPLETED: Bucket.DONE,
    Status.ARCHIVED: Bucket.DONE,
}


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION = "information", _("Permintaan informasi")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    MOBILE = "mobile", _("Aplikasi seluler")
    SMS = "sms", _("SMS 1708")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Surel")
    SOCIAL = "social", _("Media sosial")
    CALL_CENTER = "call_center", _("Pusat panggilan")
    WALK_IN = "walk_in", _("Loket pengaduan")
    LETTER = "letter", _("Surat")
    LOCAL_APP = "local_app", _("Aplikasi daerah")


class CompletionTier(models.IntegerChoices):
    """Completion limits many agencies' SOPs use, in working days (light to needing an audit)."""

    LIGHT = 2, _("Ringan: 2 hari kerja")
    NORMATIVE = 5, _("Normatif: 5 hari kerja")
    NO_AUDIT = 14, _("Tanpa audit: 14 hari kerja")
    AUDIT = 60, _("Memerlukan audit: 60 hari kerja")


class Closure(models.TextChoices):
    NONE = "", _("—")
    BY_ADMIN = "admin", _("Ditutup oleh admin")
    BY_SYSTEM = "system", _("Ditutup oleh sistem")


class Priority(models.IntegerChoices):
    """How soon a report needs eyes: red flags (violence, danger, extortion...) raise it."""

    NORMAL = 0, _("Biasa")
    HIGH = 1, _("Prioritas")


class Report(TimeStampedModel):
    # The public handle: short, readable, random (not guessable, not sequential).
    tracking_id = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    title = models.CharField(_("judul"), max_length=200)
    original_title = models.CharField(max_length=200, blank=True)
    # The citizen's words are kept as written; verifiers edit `text`.
    original_text = models.TextField(_("isi laporan asli"))
    text = models.TextField(_("isi laporan"))
    # Indexed with the date in `report_category_created` (the one index serves both).
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.WEB)

    # Who filed it. Identity (account or contact) is never shown to staff when anonymous.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    contact_email = models.EmailField(blank=True)
    # Hash of the secret that lets an accountless reporter open the private view.
    secret_hash = models.CharField(max_length=128, blank=True)
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    is_confidential = models.BooleanField(_("rahasia"), default=False)

    # Indexed first in `report_status_due` and `report_agency_status`; no index of its own.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    held_from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    current_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    # The lead unit, which closes; contributing units are in ReportAssignment.
    current_unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="lead_reports"
    )
    # The agency the citizen thought responsible ("I don't know" leaves it empty): a hint only.
    suggested_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer_count = models.PositiveSmallIntegerField(default=0)
    archive_reason = models.ForeignKey(ArchiveReason, null=True, blank=True, on_delete=models.PROTECT)
    # A duplicate merged into the case that answers it.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # Passed to the inspectorate as a suspected violation.
    flagged_at = models.DateTimeField(null=True, blank=True, db_index=True)
    flag_reason = models.TextField(blank=True)
    # Raised by red flags (`lapor.routing.flags`); queues show priority reports first.
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    closure = models.CharField(max_length=8, choices=Closure.choices, blank=True, default="")

    # Deadline of the current stage and of the whole case (set by the services).
    stage_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The stage deadline the handlers were last reminded of (a reminder goes out once per deadline).
    reminded_due_at = models.DateTimeField(null=True, blank=True)
    completion_due_at = models.DateTimeField(null=True, blank=True)
    # Completion in working days chosen for this report (empty: the national/SOP limit).
    completion_tier = models.PositiveSmallIntegerField(choices=CompletionTier.choices, null=True, blank=True)
    # A hold pauses the clock: when it began and the stage deadline it interrupted.
    held_at = models.DateTimeField(null=True, blank=True)
    held_stage_due_at = models.DateTimeField(null=True, blank=True)
    # How far the lateness of the current stage has been escalated (0: not; 1: agency admin;
    # 2: provincial coordinator or national verifier). Reset when the stage deadline changes.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # The language messages to an accountless reporter are written in.
    contact_language = models.CharField(max_length=5, default="id", blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)

    # Optional, self-declared inclusion data for disaggregated statistics.
    reporter_gender = models.CharField(max_length=10, blank=True)
    reporter_age_group = models.CharField(max_length=10, blank=True)
    reporter_disability = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["current_agency", "status"], name="report_agency_status"),
            models.Index(fields=["status", "stage_due_at"], name="report_status_due"),
            models.Index(fields=["category", "created_at"], name="report_category_created"),
            # The public feed and the home page: newest non-confidential reports first.
            models.Index(fields=["is_confidential", "-created_at"], name="report_public_newest"),
            # The sweep's archive step: only held reports, so the index stays small.
            models.Index(fields=["held_at"], name="report_on_hold_since", condition=Q(status="on_hold")),
            models.Index(fields=["channel"], name="report_channel"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="report_rating_1_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="archived") | Q(archive_reason__isnull=False),
                name="report_archived_has_reason",
            ),
        ]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")

    def __str__(self) -> str:
        return f"{self.tracking_id} {self.title}"

    @property
    def bucket(self) -> str:
        return BUCKET_OF_STATUS[Status(self.status)]

    def is_late(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.stage_due_at and self.stage_due_at < now and self.bucket != Bucket.DONE)


class ReportAssignment(models.Model):
    """A unit asked to follow a report up; exactly one lead unit per open forwarding."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="assignments")
    is_lead = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "unit"], name="assignment_unique_unit"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(is_lead=True, is_active=True), name="assignment_one_lead"
            ),
        ]


EVENT_LABELS = {
    "report.submitted": _("Laporan diterima"),
    "report.edited": _("Laporan disunting petugas"),
    "report.disposed": _("Diverifikasi dan didisposisikan"),
    "report.held": _("Ditunda: menunggu kelengkapan dari pelapor"),
    "report.resumed": _("Dilanjutkan"),
    "report.archived": _("Diarsipkan"),
    "report.forwarded": _("Diteruskan ke unit kerja"),
    "report.returned": _("Dikembalikan: bukan wewenang instansi"),
    "report.followed_up": _("Tindak lanjut"),
    "report.reporter_replied": _("Tanggapan pelapor"),
    "report.closed": _("Ditutup oleh admin"),
    "report.closed_by_system": _("Ditutup oleh sistem"),
    "report.rated": _("Penilaian pelapor"),
    "report.appealed": _("Banding diajukan"),
    "report.attachment_added": _("Lampiran ditambahkan"),
    "report.note_added": _("Catatan internal"),
    "report.interim_answer": _("Jawaban sementara"),
    "report.transferred": _("Dialihkan ke instansi lain"),
    "report.flagged": _("Diteruskan ke inspektorat"),
    "report.merged": _("Digabungkan dengan laporan lain"),
    "report.duplicate_merged": _("Laporan ganda digabungkan ke sini"),
    "report.answer_proposed": _("Jawaban unit diajukan untuk ditinjau"),
    "report.answer_returned": _("Jawaban unit dikembalikan untuk diperbaiki"),
    "report.escalated": _("Keterlambatan dieskalasi"),
    "report.archived_by_system": _("Diarsipkan oleh sistem: tidak dilengkapi pelapor"),
    "report.imported": _("Diimpor dari sistem lain"),
    "report.red_flagged": _("Tanda bahaya terdeteksi otomatis"),
}


class ReportEvent(models.Model):
    """Append-only history of a report; the public ones are the citizen's timeline."""

    # Indexed with the date in `event_report_created`.
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", db_index=False)
    # Dotted type: "report.submitted", "report.disposed", "report.followed_up", ...
    type = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    # The agency and unit holding the report after the event (per-agency statistics).
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["report", "created_at"], name="event_report_created"),
            models.Index(fields=["type", "created_at"], name="event_type_created"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.type, self.type))

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("ReportEvent is append-only")
        super().save(*args, **kwargs)


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the original may carry personal data and is kept in `original_name`.
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(ReportEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class IdempotencyKey(models.Model):
    """The first answer to a submission retried with the same `Idempotency-Key` header.

    Kept for a day (the sweep deletes older rows): the answer may hold the reporter's secret.
    """

    client = models.CharField(max_length=80)
    key = models.CharField(max_length=120)
    request_digest = models.CharField(max_length=64)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_unique_key")]


class CannedAnswer(models.Model):
    """A reusable answer an agency keeps for frequent questions (its admins manage them)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="canned_answers")
    title = models.CharField(max_length=120)
    body = models.TextField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["agency", "title"], name="canned_answer_unique_title")]

    def __str__(self) -> str:
        return self.title


class AnswerDraft(models.Model):
    """A unit's answer waiting for the agency admin's review (agencies with `review_answers`)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu tinjauan")
        PUBLISHED = "published", _("Diterbitkan")
        RETURNED = "returned", _("Dikembalikan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answer_drafts")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(state="pending"), name="answer_draft_one_pending"
            )
        ]


class FlagKind(models.TextChoices):
    """Red flags a report's words may raise (lapor/routing/data/flag_lexicon.json names them too)."""

    EXTORTION = "extortion", _("Pungutan liar atau pemerasan")
    BRIBERY = "bribery", _("Suap atau gratifikasi")
    CORRUPTION = "corruption", _("Korupsi atau penyalahgunaan dana")
    VIOLENCE = "violence", _("Kekerasan, pelecehan atau ancaman")
    DANGER = "danger", _("Bahaya bagi keselamatan atau nyawa")


class ReportFlag(models.Model):
    """A red flag raised on a report by its words: the lexicon's and the classifier's scores.

    Written once at filing by `lapor.routing.flags.flag_report`; the report's priority and its
    copy to the inspectorate follow from it.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="red_flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    score = models.FloatField()
    lexicon_score = models.FloatField(default=0.0)
    model_score = models.FloatField(default=0.0)
    # The phrases that matched, with their place in the text: [{"phrase", "start", "end"}].
    terms = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="report_flag_unique_kind")]
        verbose_name = _("tanda bahaya laporan")
        verbose_name_plural = _("tanda bahaya laporan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.score:.2f})"


class FlagTerm(models.Model):
    """An admin's entry in the red-flag lexicon: a new phrase, another weight, or one switched off.

    Takes precedence over the phrase of the same kind in lapor/routing/data/flag_lexicon.json.
    """

    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    phrase = models.CharField(_("frasa"), max_length=120)
    # 1 raises the flag on its own; less needs the classifier to agree.
    weight = models.FloatField(_("bobot"), default=1.0)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "phrase"], name="flag_term_unique_phrase"),
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=1), name="flag_term_weight_0_1"),
        ]
        verbose_name = _("istilah tanda bahaya")
        verbose_name_plural = _("istilah tanda bahaya")

    def __str__(self) -> str:
        return f"{self.phrase} ({self.get_kind_display()})"
