"""Bulk import of reports from the official LAPOR! admin export (CSV or XLSX).

`check_file` reads and validates every row without writing anything and lists every error
(row, column, message). `run_import` files the valid rows through `report_file` (received date,
channel, reporter as written) and applies the exported state through `report_import_state`
(see `history` for what is and is not imported). Rows go in batches of `BATCH_SIZE`, one
transaction a batch and a savepoint a row: a row a service refuses is rolled back alone and
listed, the others stay. The row's tracking id is the external key (`ImportedReport`): a
row already imported, or naming a report of this lapor, is skipped, so importing the same file
twice creates nothing the second time. A lapor tracking id (LAP-XXXX-XXXX) not yet in use is
kept, so the number the reporter holds keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.models import Agency, User
from lapor.complaints.filing import report_file
from lapor.complaints.models import Status
from lapor.complaints.services import MAX_TEXT_LENGTH, MIN_TEXT_LENGTH
from lapor.core.errors import DomainError, InvalidInput

from . import columns as col
from .history import imported_status, report_import_state
from .lookups import REGION_KEYS, Lookups, RegionError
from .models import ImportedReport
from .reading import read_table

BATCH_SIZE = 200
# Larger files go through `lapor import-reports`: a web request should not run for minutes.
MAX_REQUEST_ROWS = 5000
# A service's field name -> the column that holds it (for errors raised while filing).
FIELD_COLUMNS = {
    "text": "original_text", "title": "title", "category": "category", "region": "village",
    "channel": "channel", "agency": "agency", "suggested_agency": "agency", "archive_reason": "reason",
    "tracking_id": "tracking_id", "incident_date": "received_at",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RowPlan:
    """A valid row, ready for the services."""

    row: int
    external_id: str
    tracking_id: str
    received_at: datetime
    fields: dict
    source_status: str
    agency: Agency | None
    archive_reason: object
    rating: int | None
    edited_text: str

    @property
    def status(self) -> str:
        return imported_status(self.source_status, self.agency is not None)


@dataclass
class Checked:
    rows: int = 0
    plans: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # (row, external id) of rows already in lapor: skipped.
    existing: list[tuple[int, str]] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class Imported:
    created: list[str] = field(default_factory=list)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": len(self.created), "skipped": self.skipped,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }


def check_file(raw: bytes, *, agency: Agency | None = None, now: datetime | None = None) -> Checked:
    """Read and validate every row; writes nothing. A file without the export's columns is refused."""
    header, rows = read_table(raw)
    positions, missing, unknown = col.match_header(header)
    if missing:
        raise InvalidInput(
            _("Kolom berikut tidak ada di berkas: %(columns)s. Gunakan kolom ekspor resmi LAPOR!.")
            % {"columns": ", ".join(missing)},
            field="file",
        )
    checked = Checked(rows=len(rows), unknown_columns=unknown)
    lookups = Lookups(agency=agency)
    labels = col.header_labels()
    seen: dict[str, int] = {}
    now = now or timezone.now()
    table = [
        (number, {key: (cells[i] if i < len(cells) else None) for i, key in positions.items()})
        for number, cells in rows
    ]
    lookups.preload_regions([[values.get(key) for key in REGION_KEYS] for _number, values in table])
    for number, values in table:
        errors: list[RowError] = []
        plan = _plan(number, values, lookups, errors, labels, now)
        if plan is not None:
            first = seen.setdefault(plan.external_id, number)
            if first != number:
                message = _("Nomor pelacakan %(id)s sudah ada di baris %(row)d berkas ini.")
                errors.append(RowError(number, labels["tracking_id"], message % {"id": plan.external_id, "row": first}))
        if errors:
            checked.errors.extend(errors)
        else:
            checked.plans.append(plan)
    existing = lookups.existing_keys([plan.external_id for plan in checked.plans])
    checked.existing = [(p.row, p.external_id) for p in checked.plans if p.external_id in existing]
    checked.plans = [p for p in checked.plans if p.external_id not in existing]
    return checked


def _plan(number: int, values: dict, lookups: Lookups, errors: list, labels: dict, now) -> RowPlan | None:
    """The row's plan, or None with its errors added (every cell is checked, not just the first)."""

    def read(key: str, parse):
        try:
            return parse(values.get(key))
        except col.CellError as error:
            errors.append(RowError(number, labels[key], str(error)))
            return None

    external_id = read("tracking_id", col.external_key)
    received_at = read("received_at", lambda v: col.received_at(v, now=now))
    is_anonymous = read("is_anonymous", col.yes_no)
    is_confidential = read("is_confidential", col.yes_no)
    channel = read("channel", col.channel)
    source_status = read("status", col.status)
    rating = read("rating", col.rating)
    category = read("category", lookups.category)
    agency = read("agency", lookups.agency)
    region = None
    try:
        region = lookups.region([values.get(key) for key in REGION_KEYS])
    except RegionError as error:
        errors.append(RowError(number, labels[error.key], str(error)))
    original = col.text(values.get("original_text"))
    edited = col.text(values.get("text"))
    text = original or edited
    if len(text) < MIN_TEXT_LENGTH:
        column = labels["original_text" if original or not edited else "text"]
        message = _("Isi laporan wajib diisi, minimal %(n)d karakter.") % {"n": MIN_TEXT_LENGTH}
        errors.append(RowError(number, column, message))
    elif len(text) > MAX_TEXT_LENGTH or len(edited) > MAX_TEXT_LENGTH:
        message = _("Isi laporan terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_TEXT_LENGTH}
        errors.append(RowError(number, labels["original_text"], message))
    archive_reason = None
    if source_status == Status.ARCHIVED:
        archive_reason = read("reason", lookups.archive_reason)
    if agency is None and source_status is not None and imported_status(source_status, False) == Status.DISPOSED:
        if not any(e.column == labels["agency"] for e in errors):
            message = _("Instansi wajib diisi untuk laporan berstatus %(status)s.") % {
                "status": Status(source_status).label
            }
            errors.append(RowError(number, labels["agency"], message))
    if errors:
        return None
    tracking_id = external_id if col.TRACKING_PATTERN.match(external_id) else ""
    return RowPlan(
        row=number,
        external_id=external_id,
        tracking_id=tracking_id,
        received_at=received_at,
        fields=dict(
            text=text,
            title=col.text(values.get("title"))[:200],
            category=category,
            region=region,
            channel=channel,
            is_anonymous=is_anonymous,
            is_confidential=is_confidential,
            contact_name=col.reporter_name(values.get("reporter"), is_anonymous),
            suggested_agency=agency,
        ),
        source_status=source_status,
        agency=agency,
        archive_reason=archive_reason,
        rating=rating,
        edited_text=edited if edited and edited != text else "",
    )


def run_import(checked: Checked, *, user: User | None = None, batch_size: int = BATCH_SIZE) -> Imported:
    """File every planned row; rows refused by a service are listed, the others are kept."""
    result = Imported(skipped=len(checked.existing))
    labels = col.header_labels()
    plans = checked.plans
    for start in range(0, len(plans), batch_size):
        with transaction.atomic():
            for plan in plans[start : start + batch_size]:
                try:
                    with transaction.atomic():
                        if ImportedReport.objects.filter(external_id=plan.external_id).exists():
                            result.skipped += 1
                            continue
                        report = _file(plan, user)
                        ImportedReport.objects.create(
                            external_id=plan.external_id, report=report, source_status=plan.source_status,
                            imported_by=user,
                        )
                except DomainError as error:
                    column = labels[FIELD_COLUMNS.get(error.field or "", "tracking_id")]
                    result.errors.append(RowError(plan.row, column, str(error)))
                except IntegrityError:
                    result.skipped += 1  # imported meanwhile by another run
                else:
                    result.created.append(report.tracking_id)
    return result


def _file(plan: RowPlan, user: User | None):
    """One row: filed at its received date, then its exported state in one system event."""
    report = report_file(reporter=None, now=plan.received_at, tracking_id=plan.tracking_id, **plan.fields).report
    if plan.source_status != Status.RECEIVED or plan.edited_text:
        report = report_import_state(
            report=report, source_status=plan.source_status, agency=plan.agency,
            archive_reason=plan.archive_reason, rating=plan.rating, text=plan.edited_text, imported_by=user,
        )
    return report


def import_file(
    raw: bytes, *, dry_run: bool, agency: Agency | None = None, user: User | None = None, max_rows: int | None = None
):
    """Check a file and, unless `dry_run`, import it: (Checked, Imported or None)."""
    checked = check_file(raw, agency=agency)
    if max_rows is not None and checked.rows > max_rows:
        raise InvalidInput(
            _("Berkas berisi %(rows)d baris; lewat halaman ini paling banyak %(n)d. Gunakan perintah "
              "`lapor import-reports`.") % {"rows": checked.rows, "n": max_rows},
            field="file",
        )
    return checked, (None if dry_run else run_import(checked, user=user))
