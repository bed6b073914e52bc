"""What the officer workspace's views share: the staff-only gate, agency options, row labels.

The list is in `workspace_list`, the report page and its actions in `workspace_report`.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from lapor.accounts.actors import SYSTEM_ROLE
from lapor.accounts.models import STAFF_ROLES, Agency, Role
from lapor.complaints.models import Report, Status
from lapor.sla.status import deadline_label, deadline_state


def staff_only(view):
    """Logged-in staff only: the public is sent to the log-in page, reporters get a 404."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role not in STAFF_ROLES:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def own_agency(user) -> Agency:
    """The agency of an agency admin; anyone else gets a 404 (the page does not exist for them)."""
    if user.role != Role.AGENCY_ADMIN or user.agency_id is None:
        raise Http404
    return Agency.objects.get(pk=user.agency_id)


def due_state(report: Report, now: datetime, horizon: datetime | None = None) -> tuple[str, str]:
    """(css class, words) of the stage deadline: on time, due soon or late, never colour alone."""
    state = deadline_state(report, now, horizon=horizon)
    return state, deadline_label(state)


def role_label(role: str) -> str:
    if role == SYSTEM_ROLE:
        return _("Sistem")
    if role in Role.values:
        return str(Role(role).label)
    return role or "—"


def all_agency_options() -> list:
    """Every active agency for the bulk disposition select, national ones first (one query)."""
    rows = Agency.objects.filter(is_active=True).order_by("name").values_list("code", "name", "region_id")
    national = [(code, name) for code, name, region in rows if region is None]
    regional = [(code, name) for code, name, region in rows if region is not None]
    return [
        (_("Kementerian, lembaga, dan instansi nasional"), national),
        (_("Pemerintah daerah"), regional),
    ]


def dispose_agency_options(report: Report, *, query: str = "", selected: str = "", suggested=()) -> list:
    """Suggested agencies for a report: the routing model's top suggestions (`suggested`: code,
    label), the governments whose region contains the report's region (city/regency and
    province), national agencies of the kinds its category names, and the results of a search.
    A chosen agency outside them is kept.
    """
    fields = ("code", "name")
    groups = []
    if suggested:
        groups.append((_("Saran sistem (perutean otomatis)"), list(suggested)))
    if report.region_id:
        parts = report.region_id.split(".")
        codes = [".".join(parts[: i + 1]) for i in range(min(2, len(parts)))]
        regional = list(
            Agency.objects.filter(is_active=True, region_id__in=codes).order_by("-region_id").values_list(*fields)
        )
        if regional:
            groups.append((_("Pemerintah daerah lokasi laporan"), regional))
    kinds = list(report.category.agency_kinds) if report.category_id else []
    national_kinds = [k for k in kinds if k not in (Agency.Kind.PROVINCE, Agency.Kind.REGENCY, Agency.Kind.CITY)]
    if national_kinds:
        national = list(
            Agency.objects.filter(is_active=True, region__isnull=True, kind__in=national_kinds)
            .order_by("name")
            .values_list(*fields)
        )
        if national:
            groups.append((_("Instansi nasional sesuai kategori"), national))
    query = (query or "").strip()[:60]
    if query:
        found = list(
            Agency.objects.filter(is_active=True)
            .filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query))
            .order_by("name")
            .values_list(*fields)[:50]
        )
        groups.append((_("Hasil pencarian “%(q)s”") % {"q": query}, found))
    offered = {code for _label, options in groups for code, _name in options}
    if selected and selected not in offered:
        kept = list(Agency.objects.filter(is_active=True, code=selected).values_list(*fields))
        if kept:
            groups.insert(0, (_("Pilihan Anda"), kept))
    return groups
