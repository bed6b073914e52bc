"""Who may see and act on which reports. Views and the API reach reports only through here."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from lapor.accounts.actors import SYSTEM_ROLE, Actor
from lapor.accounts.models import STAFF_ROLES, Role, User
from lapor.core.errors import NotFound

from .models import BUCKET_OF_STATUS, Attachment, Bucket, Report, ReportAssignment, Status

PUBLIC_STATUSES = frozenset(
    {
        Status.DISPOSED,
        Status.FORWARDED,
        Status.RETURNED,
        Status.FOLLOWED_UP,
        Status.REPORTER_REPLIED,
        Status.APPEALED,
        Status.COMPLETED,
    }
)


def _active_assignment(unit_id: int | None):
    return Exists(ReportAssignment.objects.filter(report=OuterRef("pk"), unit_id=unit_id, is_active=True))


def _within(codes) -> Q:
    inside = Q(pk__in=[])
    for code in codes:
        inside |= Q(region_id=code) | Q(region__code__startswith=f"{code}.")
    return inside


def observer_scope_q(user: User) -> Q:
    """What an observer reads: reports of the agencies and regions they observe, and the
    inspectorate's copy of flagged reports located in an observed regional government's area,
    even before that government holds them (a red flag raised at filing)."""
    if user.observes_all:
        return Q()
    agencies = list(user.observed_agencies.values_list("pk", "region_id"))
    flagged_here = Q(flagged_at__isnull=False) & _within([region for _pk, region in agencies if region])
    return Q(current_agency_id__in=[pk for pk, _r in agencies]) | _within(user.observed_regions.values_list("code", flat=True)) | flagged_here


def reports_visible_to(who: Actor | User | None) -> QuerySet[Report]:
    """Every report the actor may read, as a queryset to filter further."""
    actor = Actor.of(who)
    reports = Report.objects.all()
    role = actor.role
    if role in (Role.VERIFIER, Role.SYSADMIN, SYSTEM_ROLE):
        return reports
    if role == Role.AGENCY_ADMIN:
        return reports.filter(current_agency_id=actor.agency_id)
    if role == Role.UNIT_OFFICER:
        return reports.filter(current_agency_id=actor.agency_id).filter(_active_assignment(actor.unit_id))
    if role == Role.OBSERVER:
        return reports.filter(observer_scope_q(actor.user))
    if role == Role.REPORTER:
        if actor.proven_report_id is not None:
            return reports.filter(pk=actor.proven_report_id)
        if actor.user_id is None:
            return reports.none()
        return reports.filter(reporter_id=actor.user_id)
    return reports.none()


def bucket_counts(reports: QuerySet[Report] | None = None) -> dict[str, int]:
    """How many reports sit in each of the citizen's three buckets (one grouped query)."""
    counts = {bucket: 0 for bucket in Bucket}
    source = Report.objects.all() if reports is None else reports
    for row in source.values("status").annotate(n=Count("pk")).order_by():
        counts[BUCKET_OF_STATUS[row["status"]]] += row["n"]
    return counts


NOT_PUBLIC_STATUSES = frozenset(Status) - PUBLIC_STATUSES


def public_reports() -> QuerySet[Report]:
    """Reports anyone may read: verified and not confidential.

    Written as an exclusion on purpose: SQLite then walks the newest-first index instead of
    sorting every public report (634 ms → 8 ms for the home page at 100,000 reports).
    """
    return Report.objects.filter(is_confidential=False).exclude(status__in=NOT_PUBLIC_STATUSES)


def report_get_for_actor(who: Actor | User | None, *, tracking_id: str) -> Report:
    try:
        return reports_visible_to(who).get(tracking_id=tracking_id)
    except Report.DoesNotExist:
        # The same answer whether it does not exist or is out of scope: no probing.
        raise NotFound(_("Laporan %(tracking)s tidak ditemukan.") % {"tracking": tracking_id}) from None


def is_in_scope(actor: Actor, report: Report) -> bool:
    """Whether the actor may act on this report (its role's permissions aside)."""
    role = actor.role
    if role in (Role.VERIFIER, SYSTEM_ROLE):
        return True
    if role == Role.AGENCY_ADMIN:
        return actor.agency_id is not None and report.current_agency_id == actor.agency_id
    if role == Role.UNIT_OFFICER:
        return (
            actor.agency_id is not None
            and report.current_agency_id == actor.agency_id
            and report.assignments.filter(unit_id=actor.unit_id, is_active=True).exists()
        )
    if role == Role.REPORTER:
        return actor.is_reporter_of(report)
    return False


def reporter_identity(report: Report, viewer: Actor | User | None) -> dict | None:
    """The reporter's identity as `viewer` may see it, or None when it must stay hidden.

    Anonymous reports reveal nobody to anyone but the reporter. Staff see the name and
    contact of other reports; the public sees nothing here (public pages show only a name
    through `public_reporter_name`).
    """
    actor = Actor.of(viewer)
    if actor.is_reporter_of(report):
        pass
    elif report.is_anonymous or actor.role not in (
        Role.VERIFIER,
        Role.AGENCY_ADMIN,
        Role.UNIT_OFFICER,
        Role.OBSERVER,
        Role.SYSADMIN,
    ):
        return None
    elif not reports_visible_to(actor).filter(pk=report.pk).exists():
        return None
    user = report.reporter
    return {
        "name": (user.display_name() if user else report.contact_name) or "",
        "email": (user.email if user else report.contact_email) or "",
        "phone": (user.phone if user else report.contact_phone) or "",
    }


def public_reporter_name(report: Report) -> str:
    if report.is_anonymous:
        return "Anonim"
    if report.reporter_id:
        return report.reporter.display_name()
    return report.contact_name or "Anonim"


def report_get_by_secret(*, tracking_id: str, secret: str) -> Report:
    """The report an accountless reporter proves with its tracking id and secret code.

    A wrong id and a wrong secret get the same refusal, so neither can be probed alone.
    """
    from .services import secret_matches  # services import this module

    report = Report.objects.filter(tracking_id=tracking_id).first()
    if report is None or not secret_matches(report, secret):
        raise NotFound(_("Nomor pelacakan atau kode rahasia salah."), field="secret")
    return report


def attachments_visible_to(who: Actor | User | None, report: Report) -> QuerySet[Attachment]:
    """The attachments of `report` that `who` may download (None: the public).

    The public: public attachments of a public report. The reporter: those plus their own
    uploads (staff's internal files stay hidden). Staff: every attachment of a report in scope.
    """
    actor = Actor.of(who)
    attachments = Attachment.objects.filter(report=report)
    if actor.is_reporter_of(report):
        own = Q(uploaded_by__isnull=True) | Q(uploaded_by_id=report.reporter_id)
        return attachments.filter(Q(is_public=True) | own)
    if actor.role in STAFF_ROLES and reports_visible_to(actor).filter(pk=report.pk).exists():
        return attachments
    if public_reports().filter(pk=report.pk).exists():
        return attachments.filter(is_public=True)
    return attachments.none()


def attachment_get_for_actors(actors, *, attachment_id: int) -> Attachment:
    """An attachment the public or one of `actors` may download; one NotFound for every refusal."""
    attachment = Attachment.objects.select_related("report").filter(pk=attachment_id).first()
    if attachment is not None:
        for who in [None, *actors]:
            if attachments_visible_to(who, attachment.report).filter(pk=attachment.pk).exists():
                return attachment
    raise NotFound(_("Lampiran tidak ditemukan."))
