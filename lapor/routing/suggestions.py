"""Suggestions for one report: category, agency and (once disposed) unit, top 3 each.

Computed when a verifier or an agency admin opens the report (or at filing, when automatic
disposition is on) and kept in `RoutingSuggestion` until the report's text, its place, its
agency or the active model changes. lapor suggests; officers decide: nothing here changes a
report except `auto_dispose`, which goes through the disposition service like a verifier would.
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency, Unit
from lapor.complaints.models import Category, Report, Status
from lapor.core.errors import DomainError

from . import local, versions
from .models import CategoryRouting, RoutingModel, RoutingSuggestion, Target

logger = logging.getLogger(__name__)
TOP = 3
MIN_SHOWN = 0.005
REGIONAL_KINDS = (Agency.Kind.PROVINCE, Agency.Kind.REGENCY, Agency.Kind.CITY)


def report_text(report: Report) -> str:
    title, text = (report.title or "").strip(), (report.text or "").strip()
    return f"{title}. {text}" if title and not text.startswith(title) else text


def _model_for(report: Report, target: str, viewer_agency: Agency | None = None) -> RoutingModel | None:
    if target == Target.AGENCY and viewer_agency is not None:
        # An agency may keep its own agency router (trained with --agency): its admin sees that one.
        own = versions.active_model(Target.AGENCY, viewer_agency)
        if own is not None:
            return own
    if target != Target.UNIT:
        return versions.active_model(target)
    agency = report.current_agency
    if agency is None:
        return None
    own = versions.active_model(Target.UNIT, agency)
    if own is not None or agency.kind not in REGIONAL_KINDS:
        return own
    return versions.active_model(Target.UNIT)  # regional governments share their unit codes


def _digest(report: Report, target: str) -> str:
    # The place matters to agency suggestions only (it resolves @kabkota and @provinsi).
    context = (report.region_id or "") if target == Target.AGENCY else ""
    return hashlib.sha256(f"{context}\n{report_text(report)}".encode()).hexdigest()


def suggestions_for(report: Report, target: str, *, refresh: bool = False, viewer_agency=None) -> list[dict]:
    """[{label, code, name, confidence, words}, ...] best first; [] without an active model."""
    model = _model_for(report, target, viewer_agency)
    if model is None:
        return []
    digest = _digest(report, target)
    agency_id = report.current_agency_id if target == Target.UNIT else None
    cached = RoutingSuggestion.objects.filter(report=report, target=target).first()
    if (
        not refresh and cached is not None and cached.model_id == model.pk
        and cached.text_digest == digest and cached.agency_id == agency_id
    ):
        return cached.items
    try:
        items = _compute(report, target, model)
    except DomainError as error:  # a missing or altered model file: no suggestion, not a broken page
        logger.warning("routing suggestion for %s skipped: %s", report.tracking_id, error.message)
        return []
    RoutingSuggestion.objects.update_or_create(
        report=report, target=target,
        defaults={"model": model, "text_digest": digest, "agency_id": agency_id, "items": items},
    )
    return items


def _compute(report: Report, target: str, model: RoutingModel) -> list[dict]:
    classifier = versions.load(model)
    text = report_text(report)
    if target == Target.UNIT:
        # A router trained from an export knows units by name, one trained here by code.
        units = {}
        for unit in Unit.objects.filter(agency=report.current_agency, is_active=True):
            units[unit.name] = units[unit.code] = unit
        raw = classifier.suggest(text, k=TOP, allowed=units)
        return [_item(s, units[s.label].code, units[s.label].name) for s in raw]
    if target == Target.CATEGORY:
        raw = classifier.suggest(text, k=TOP)
        categories = {c.code: c for c in Category.objects.filter(code__in=[s.label for s in raw])}
        return [
            _item(s, s.label if s.label in categories else "", categories[s.label].name if s.label in categories else s.label)
            for s in raw
        ]
    return _agencies(report, classifier.suggest(text, k=TOP + 2))


def _item(suggestion, code: str, name: str) -> dict:
    return {
        "label": suggestion.label,
        "code": code,
        "name": name,
        "confidence": round(suggestion.confidence, 4),
        "words": list(suggestion.words),
    }


def _agencies(report: Report, raw) -> list[dict]:
    """Agency labels made concrete: placeholders through the report's place, codes or names looked up."""
    governments = local.governments_of(report.region_id)
    labels = [s.label for s in raw if s.label not in local.PLACEHOLDERS]
    known = {a.code: a for a in Agency.objects.filter(code__in=labels)}
    known.update({a.name: a for a in Agency.objects.filter(name__in=[lb for lb in labels if lb not in known])})
    merged: dict[str, dict] = {}
    for s in raw:
        agency = governments.get(s.label) if s.label in local.PLACEHOLDERS else known.get(s.label)
        if agency is not None:
            key, item = agency.code, _item(s, agency.code, agency.name)
        elif s.label in local.PLACEHOLDERS:
            name = _("Pemerintah kabupaten/kota lokasi laporan") if s.label == local.LOCAL else _(
                "Pemerintah provinsi lokasi laporan"
            )
            key, item = s.label, _item(s, "", name + " " + _("(lokasi belum diketahui)"))
        else:
            key, item = s.label, _item(s, "", s.label)
        if key in merged:  # two labels, one agency (DKI Jakarta's province is also its "local" government)
            merged[key]["confidence"] = round(merged[key]["confidence"] + item["confidence"], 4)
        else:
            merged[key] = item
    return sorted(merged.values(), key=lambda i: -i["confidence"])[:TOP]


def for_viewer(report: Report, user) -> dict[str, list[dict]]:
    """What a verifier or agency admin is shown: {target: items}, only the targets that help them."""
    role = getattr(user, "role", "")
    if role == "verifier":
        targets = [Target.CATEGORY, Target.AGENCY] + ([Target.UNIT] if report.current_agency_id else [])
    elif role == "agency_admin":
        targets = [Target.UNIT, Target.AGENCY]
    else:
        return {}
    out = {}
    viewer_agency = user.agency if role == "agency_admin" else None
    for target in targets:
        items = suggestions_for(report, target, viewer_agency=viewer_agency)
        # Alternatives under half a per cent are noise to an officer; the first is always shown.
        shown = [item for i, item in enumerate(items) if i == 0 or item["confidence"] >= MIN_SHOWN]
        if shown:
            out[str(target)] = [{**item, "percent": round(item["confidence"] * 100)} for item in shown]
    return out


def suggested_agency_options(report: Report) -> list[tuple[str, str]]:
    """(code, "name (87 %)") of the suggested agencies that are real agencies, for a select box."""
    return [
        (item["code"], f"{item['name']} ({round(item['confidence'] * 100)}%)")
        for i, item in enumerate(suggestions_for(report, Target.AGENCY))
        if item["code"] and (i == 0 or item["confidence"] >= MIN_SHOWN)
    ]


# --- automatic disposition ---------------------------------------------------------------------


def threshold_for(category: Category | None) -> Decimal | None:
    """The automatic-disposition threshold of a category or its nearest ancestor that sets one."""
    seen = set()
    while category is not None and category.pk not in seen:
        seen.add(category.pk)
        setting = CategoryRouting.objects.filter(category=category).first()
        if setting is not None and setting.auto_dispose_threshold is not None:
            return setting.auto_dispose_threshold
        category = category.parent
    return None


def auto_dispose(report: Report | int) -> Report | None:
    """Dispose a new report to the suggested agency when its category allows it and the model is sure.

    Off by default: only categories with a threshold (Django admin, *Pengaturan perutean
    kategori*) take part. The category is the reporter's, else the suggested one. Goes through
    `report_dispose` as the system, and its event says it was automatic, with the confidence.
    """
    from lapor.complaints.services import report_dispose

    if not CategoryRouting.objects.filter(auto_dispose_threshold__isnull=False).exists():
        return None
    report = Report.objects.select_related("category", "region").get(pk=getattr(report, "pk", report))
    if report.status != Status.RECEIVED:
        return None
    category = report.category
    if category is None:
        suggested = suggestions_for(report, Target.CATEGORY)
        category = Category.objects.filter(code=suggested[0]["code"]).first() if suggested else None
    threshold = threshold_for(category)
    if threshold is None:
        return None
    items = suggestions_for(report, Target.AGENCY)
    if not items or not items[0]["code"] or Decimal(str(items[0]["confidence"])) < threshold:
        return None
    agency = Agency.objects.filter(code=items[0]["code"], is_active=True).first()
    if agency is None:
        return None
    model = _model_for(report, Target.AGENCY)
    note = _("Didisposisikan otomatis: instansi yang disarankan model %(model)s dengan keyakinan %(p)s%% "
             "(ambang kategori %(t)s%%).") % {
        "model": model, "p": round(items[0]["confidence"] * 100), "t": round(threshold * 100),
    }
    with transaction.atomic():
        return report_dispose(
            actor=Actor.system(), report=report.pk, agency=agency, note=note,
            automatic={"model": str(model), "confidence": items[0]["confidence"], "threshold": float(threshold)},
        )


def after_filing(report_id: int) -> None:
    """Run after a report is committed: automatic disposition where enabled. Never raises."""
    try:
        auto_dispose(report_id)
    except Exception:  # the report is filed either way; a verifier disposes it by hand
        logger.exception("automatic disposition of report %s failed", report_id)
