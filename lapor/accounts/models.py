"""People and organisations: users with one role each, agencies and their work units."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lapor.core.models import TimeStampedModel


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Agency(TimeStampedModel):
    """A public-service provider connected to the system (instansi)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Kementerian")
        INSTITUTION = "institution", _("Lembaga")
        PROVINCE = "province", _("Pemerintah Provinsi")
        REGENCY = "regency", _("Pemerintah Kabupaten")
        CITY = "city", _("Pemerintah Kota")
        SOE = "soe", _("BUMN")
        UNIVERSITY = "university", _("Perguruan Tinggi")
        MISSION = "mission", _("Perwakilan RI di Luar Negeri")
        OVERSIGHT = "oversight", _("Lembaga Pengawas")

    class Connectivity(models.TextChoices):
        GROUP_I = "I", _("Kelompok I: SK terbit dan akun admin aktif")
        GROUP_II = "II", _("Kelompok II: SK terbit, akun admin belum aktif")
        GROUP_III = "III", _("Kelompok III: belum ada SK maupun akun aktif")

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, db_index=True)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    # A province coordinates the regencies and cities inside it.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="agencies"
    )
    time_zone = models.CharField(max_length=20, choices=TimeZone.choices, default=TimeZone.WIB)
    # Connectivity facts (the seeds' groups I/II/III are derived from these).
    decree_number = models.CharField(_("nomor SK"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    admin_account_active = models.BooleanField(_("akun admin aktif"), default=False)
    # When on, a unit's answer waits for the agency admin's approval before the reporter sees it.
    review_answers = models.BooleanField(_("tinjau jawaban unit sebelum terbit"), default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name

    @property
    def has_decree(self) -> bool:
        return bool(self.decree_number)

    @property
    def connectivity_group(self) -> str:
        """I: decree and active admin; II: decree only (or an account without decree); III: neither."""
        if self.has_decree and self.admin_account_active:
            return self.Connectivity.GROUP_I
        if self.has_decree or self.admin_account_active:
            return self.Connectivity.GROUP_II
        return self.Connectivity.GROUP_III


class Unit(TimeStampedModel):
    """A work unit of an agency (dinas, OPD, directorate) that writes follow-ups."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    unit_type = models.CharField(max_length=40, db_index=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency_id", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency")]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REPORTER = "reporter", _("Pelapor")
    VERIFIER = "verifier", _("Admin Nasional (verifikator)")
    AGENCY_ADMIN = "agency_admin", _("Admin Instansi")
    UNIT_OFFICER = "unit_officer", _("Pejabat Penghubung (unit)")
    OBSERVER = "observer", _("Pengawas")
    SYSADMIN = "sysadmin", _("Admin Sistem")


STAFF_ROLES = frozenset({Role.VERIFIER, Role.AGENCY_ADMIN, Role.UNIT_OFFICER, Role.OBSERVER, Role.SYSADMIN})


class User(AbstractUser):
    """One account, one role; the role's scope is the agency, unit or observed set below."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REPORTER, db_index=True)
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True, db_index=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    # Observers (Ombudsman, KSP, inspectorate, leaders) read what is in their scope.
    observes_all = models.BooleanField(_("mengawasi seluruh instansi"), default=False)
    observed_agencies = models.ManyToManyField(Agency, blank=True, related_name="observers")
    observed_regions = models.ManyToManyField("regions.Region", blank=True, related_name="observers")
    # Notification preferences: the language and the channels this person wants.
    language = models.CharField(_("bahasa"), max_length=5, default="id", choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    notify_email = models.BooleanField(_("kirim lewat surel"), default=True)
    notify_sms = models.BooleanField(_("kirim lewat SMS"), default=True)
    notify_whatsapp = models.BooleanField(_("kirim lewat WhatsApp"), default=False)
    # Optional, self-declared, only for disaggregated statistics.
    gender = models.CharField(max_length=10, blank=True)
    age_group = models.CharField(max_length=10, blank=True)
    disability = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="agency_admin") | Q(agency__isnull=False),
                name="agency_admin_has_agency",
            ),
            models.CheckConstraint(
                condition=~Q(role="unit_officer") | (Q(unit__isnull=False) & Q(agency__isnull=False)),
                name="unit_officer_has_unit",
            ),
        ]

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class VerificationCode(models.Model):
    """A one-time code sent to prove an e-mail address or phone number."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Pendaftaran")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_codes")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.REGISTER)
    code_hash = models.CharField(max_length=64)
    sent_to = models.CharField(max_length=254)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class ApiToken(models.Model):
    """A bearer token for the API; only its digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
