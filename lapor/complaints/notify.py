"""Who is told what when a report moves: rows in the outbox, in the same transaction.

Officers get in-app notices for new work (and e-mail or SMS if they asked for them); reporters
(and reporters of merged duplicates) are reached through the contact they gave, in their own
language. The texts are the templates in `lapor.notifications.templates`.
"""

from __future__ import annotations

from lapor.accounts.models import Role, User
from lapor.notifications.services import build_for_contact, build_for_user, outbox_bulk_enqueue

from .models import Report


def notify_users(users, report: Report | None, *, kind: str, params: dict) -> None:
    messages = []
    for user in users:
        messages += build_for_user(user, kind=kind, params=params, report=report)
    outbox_bulk_enqueue(messages)


def notify_agency_admins(report: Report, agency, *, kind: str, params: dict | None = None) -> None:
    admins = User.objects.filter(role=Role.AGENCY_ADMIN, agency=agency, is_active=True)
    notify_users(admins, report, kind=kind, params={"tracking": report.tracking_id, **(params or {})})


def notify_unit_officers(report: Report, units, *, kind: str, params: dict | None = None) -> None:
    officers = User.objects.filter(role=Role.UNIT_OFFICER, unit__in=list(units), is_active=True)
    notify_users(officers, report, kind=kind, params={"tracking": report.tracking_id, **(params or {})})


def staff_for(targets) -> dict[tuple, list[User]]:
    """The active officers each target names — ("agency", id): its admins, ("unit", id): its
    officers, ("verifiers", None): the national verifiers — in one query per kind."""
    users = User.objects.filter(is_active=True).order_by("pk")
    out: dict[tuple, list[User]] = {target: [] for target in targets}
    by_kind: dict[str, set] = {}
    for kind, pk in out:
        by_kind.setdefault(kind, set()).add(pk)
    if "agency" in by_kind:
        for user in users.filter(role=Role.AGENCY_ADMIN, agency_id__in=by_kind["agency"]):
            out[("agency", user.agency_id)].append(user)
    if "unit" in by_kind:
        for user in users.filter(role=Role.UNIT_OFFICER, unit_id__in=by_kind["unit"]):
            out[("unit", user.unit_id)].append(user)
    if "verifiers" in by_kind:
        out[("verifiers", None)] = list(users.filter(role=Role.VERIFIER))
    return out


def reporter_messages(report: Report, *, kind: str, params: dict | None = None, duplicates=None) -> list:
    """Unsaved messages to the reporter of `report` and of every duplicate merged into it."""
    if duplicates is None:
        duplicates = list(report.duplicates.select_related("reporter"))
    values = {"tracking": report.tracking_id, **(params or {})}
    messages = []
    for r in [report, *duplicates]:
        merged_from = () if r.pk == report.pk else (r.tracking_id,)
        if r.reporter_id is not None:
            messages += build_for_user(r.reporter, kind=kind, params=values, report=r, merged_from=merged_from)
        else:
            messages += build_for_contact(
                email=r.contact_email, phone=r.contact_phone, language=r.contact_language or "id",
                kind=kind, params=values, report=r, merged_from=merged_from,
            )
    return messages


def notify_reporters(report: Report, *, kind: str, params: dict | None = None) -> None:
    outbox_bulk_enqueue(reporter_messages(report, kind=kind, params=params))
