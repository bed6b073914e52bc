"""Learning from the officers: every disposition, transfer and forward is a label.

- category: the category of each report a verifier has disposed (verifying is part of disposing,
  and verifiers correct the category by editing the report);
- agency: where the report finally went (its current agency after dispositions and transfers;
  a report returned as not the agency's authority teaches nothing until it is disposed again),
  as `@kabkota`/`@provinsi` when that is the government of the report's own place;
- unit: the lead unit an agency admin forwarded it to. Regional governments share unit codes
  (dinas-pupr, dinas-dukcapil, ...), so one regional unit router serves all of them; an agency
  with enough forwarded reports also gets its own.

The project's seed corpus is added unless asked not to, so a young database does not forget
what the corpus taught.
"""

from __future__ import annotations

import csv
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

from django.db.models import Count
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency, Role, Unit
from lapor.complaints.models import Report
from lapor.core.errors import InvalidInput, PermissionDenied

from . import datasets, local, versions
from .models import RoutingModel, Target
from .versions import Dataset

SEED_FILE = "seed_corpus.csv"
# An agency's own unit router needs this many forwarded reports across at least two units.
MIN_AGENCY_UNIT_REPORTS = 30
REGIONAL_KINDS = (Agency.Kind.PROVINCE, Agency.Kind.REGENCY, Agency.Kind.CITY)
NAMES = {Target.CATEGORY: "category", Target.AGENCY: "agency", Target.UNIT: "unit-daerah"}


def seed_rows() -> list[dict]:
    with resources.files("lapor.routing").joinpath("data", SEED_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_dataset(target: str) -> Dataset:
    """The seed corpus for one target (units: the rows of regional governments' units)."""
    rows = seed_rows()
    if target == Target.UNIT:
        rows = [r for r in rows if r["unit"] and r["agency"] in local.PLACEHOLDERS]
    column = {Target.CATEGORY: "category", Target.AGENCY: "agency", Target.UNIT: "unit"}[target]
    texts = [f"{r['title']}. {r['text']}" if r["title"] else r["text"] for r in rows]
    return Dataset(texts=texts, labels=[r[column] for r in rows], source_name=SEED_FILE, groups=[r["template"] for r in rows])


def _text(report: dict) -> str:
    title, text = report["title"].strip(), report["text"].strip()
    return f"{title}. {text}" if title and not text.startswith(title) else text


def decisions(target: str, *, agency: Agency | None = None) -> Dataset:
    """Texts and labels from the reports officers have decided on."""
    decided = Report.objects.filter(disposed_at__isnull=False)
    if target == Target.CATEGORY:
        rows = decided.filter(category__isnull=False).values("title", "text", "category__code")
        return Dataset([_text(r) for r in rows], [r["category__code"] for r in rows], source_name="database")
    if target == Target.UNIT:
        rows = decided.filter(current_unit__isnull=False)
        rows = rows.filter(current_agency=agency) if agency is not None else rows.filter(current_agency__kind__in=REGIONAL_KINDS)
        rows = rows.values("title", "text", "current_unit__code")
        return Dataset([_text(r) for r in rows], [r["current_unit__code"] for r in rows], source_name="database")
    rows = list(decided.filter(current_agency__isnull=False).values("title", "text", "region_id", "current_agency_id"))
    agencies = Agency.objects.in_bulk({r["current_agency_id"] for r in rows})
    by_place: dict[str, dict] = {}
    labels = []
    for r in rows:
        place = ".".join((r["region_id"] or "").split(".")[:2])
        if place not in by_place:
            by_place[place] = local.governments_of(place)
        labels.append(local.label_for(agencies[r["current_agency_id"]], place, by_place[place]))
    return Dataset([_text(r) for r in rows], labels, source_name="database")


def _merge(*parts: Dataset) -> Dataset:
    texts, labels, groups = [], [], []
    for part in parts:
        texts += part.texts
        labels += part.labels
        # Officers' rows are each their own group; the seed's keep their templates.
        groups += part.groups or [f"{part.source_name}:{i}" for i in range(len(part.labels))]
    return Dataset(texts, labels, source_name=" + ".join(p.source_name for p in parts if p.labels), groups=groups)


def retrain(*, targets=tuple(Target.values), with_seed: bool = True, activate: bool = False) -> list[RoutingModel]:
    """New versions of the national routers, and of agencies' own unit routers, from the database."""
    trained = []
    for target in targets:
        parts = [decisions(target)] + ([seed_dataset(target)] if with_seed else [])
        data = _merge(*parts)
        if len(set(data.labels)) >= 2:
            trained.append(
                versions.train(data, name=NAMES[target], target=target, source=RoutingModel.Source.DATABASE,
                               activate=activate or None)
            )
        if target == Target.UNIT:
            trained += _agency_unit_routers(activate=activate)
    return trained


def _agency_unit_routers(*, activate: bool) -> list[RoutingModel]:
    counts = (
        Report.objects.filter(current_unit__isnull=False)
        .values("current_agency_id")
        .annotate(n=Count("pk"), units=Count("current_unit_id", distinct=True))
        .filter(n__gte=MIN_AGENCY_UNIT_REPORTS, units__gte=2)
    )
    out = []
    for row in counts:
        agency = Agency.objects.get(pk=row["current_agency_id"])
        data = decisions(Target.UNIT, agency=agency)
        out.append(
            versions.train(data, name=f"unit-{agency.code}"[:80], target=Target.UNIT, agency=agency,
                           source=RoutingModel.Source.DATABASE, activate=activate or None)
        )
    return out


def train_seed_routers() -> list[RoutingModel]:
    """The starting routers of a fresh install, from the seed corpus; skipped where one is active.

    Fitted two at a time (threads: the SVM solver runs without the GIL), stored one by one.
    """
    targets = [t for t in Target.values if versions.active_model(t) is None]
    data = {target: seed_dataset(target) for target in targets}
    with ThreadPoolExecutor(max_workers=2) as pool:
        fitted = dict(zip(targets, pool.map(lambda t: versions.fit(data[t]), targets)))
    return [
        versions.store(fitted[t], data[t], name=NAMES[t], target=t, source=RoutingModel.Source.SEED, activate=True)
        for t in targets
    ]


def train_agency_unit_router(*, actor, upload) -> RoutingModel:
    """An agency admin trains their agency's unit router from an export of its past reports.

    `upload` is the officers' CSV export (or any CSV with text,label where the label is a unit's
    name or code). Rows naming no unit of the agency are left out. The new version becomes
    active when the agency has no active unit router yet; otherwise the admin compares and
    activates it.
    """
    actor = Actor.of(actor)
    if actor.role != Role.AGENCY_ADMIN or actor.agency_id is None:
        raise PermissionDenied(_("Hanya admin instansi yang melatih model unit kerja instansinya."))
    agency = Agency.objects.get(pk=actor.agency_id)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ekspor.csv"
        with path.open("wb") as handle:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                handle.write(chunk)
        data = datasets.read_csv(path, target=Target.UNIT)
    code_of = {}
    for unit in Unit.objects.filter(agency=agency, is_active=True):
        code_of[unit.code] = code_of[unit.name] = unit.code
    rows = [(text, code_of[label]) for text, label in zip(data.texts, data.labels) if label in code_of]
    if len({label for _text, label in rows}) < 2:
        raise InvalidInput(
            _("Berkas ini tidak memuat laporan untuk dua unit kerja %(agency)s atau lebih (kolom unit kerja).")
            % {"agency": agency.name},
            field="file",
        )
    mine = Dataset([t for t, _label in rows], [label for _t, label in rows], source_name=upload.name[:200])
    return versions.train(
        mine, name=f"unit-{agency.code}"[:80], target=Target.UNIT, agency=agency,
        source=RoutingModel.Source.CSV, trained_by=actor.user,
    )
