"""Model versions: train and store, load (checked), list, compare, activate.

Every trained router is a new version of its name; nothing is overwritten, so a bad retrain is
undone by activating the previous version. Only one version is active per target (category,
agency, unit) and scope (national, or one agency): that is the one suggestions use.
"""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass

import joblib
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.core.errors import Conflict, InvalidInput, NotFound

from .classifier import RoutingClassifier, classified_per_second
from .models import RoutingModel, Target

_LOADED: dict[int, tuple[str, RoutingClassifier]] = {}
_LOCK = threading.Lock()
SPEED_SAMPLE = 2000


@dataclass(frozen=True)
class Dataset:
    texts: list[str]
    labels: list[str]
    source_name: str = ""
    # Labels left out for having too few examples, with their counts (reported to the user).
    dropped: dict[str, int] | None = None
    # Rows written alike (the seed corpus's templates): calibrated on held-out groups.
    groups: list[str] | None = None


def train(
    data: Dataset,
    *,
    name: str,
    target: str = Target.AGENCY,
    agency=None,
    source: str = RoutingModel.Source.CSV,
    activate: bool | None = None,
    trained_by=None,
    **params,
) -> RoutingModel:
    """Fit a classifier on `data`, store it as the next version of `name`, and return its row.

    `activate=None` activates the new version only when its target and scope have no active
    model yet, so a first model works at once and later ones wait for a person to compare them.
    """
    if target not in Target.values:
        raise InvalidInput(_("Sasaran model tidak dikenal: %(t)s.") % {"t": target}, field="target")
    return store(fit(data, **params), data, name=name, target=target, agency=agency, source=source,
                 activate=activate, trained_by=trained_by)


def fit(data: Dataset, **params) -> RoutingClassifier:
    """The classifier alone, no database: several may be fitted at once in threads (the SVM
    solver releases the GIL), then stored one by one."""
    if len(set(data.labels)) < 2:
        raise InvalidInput(_("Data latih harus memuat paling sedikit dua label berbeda."), field="label")
    return RoutingClassifier(**params).fit(data.texts, data.labels, groups=data.groups)


def store(
    classifier: RoutingClassifier, data: Dataset, *, name: str, target: str, agency=None,
    source: str = RoutingModel.Source.CSV, activate: bool | None = None, trained_by=None,
) -> RoutingModel:
    """Save a fitted classifier as the next version of `name` (see `train`)."""
    sample = data.texts[:SPEED_SAMPLE]
    estimate = dict(classifier.oof_metrics)
    estimate["per_s"] = round(classified_per_second(classifier, sample), 1)
    estimate["method"] = "out-of-fold (%d folds)" % classifier.calibration_folds
    payload = io.BytesIO()
    joblib.dump(classifier, payload, compress=3)
    content = payload.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        last = RoutingModel.objects.select_for_update().filter(name=name).order_by("-version").first()
        version = (last.version + 1) if last else 1
        row = RoutingModel(
            name=name,
            version=version,
            target=target,
            agency=agency,
            source=source,
            source_name=data.source_name[:200],
            training_size=len(data.labels),
            labels_count=len(classifier.classes_),
            evaluation={"training": estimate, "dropped_labels": data.dropped or {}},
            parameters=classifier.describe(),
            sha256=digest,
            trained_by=trained_by,
        )
        row.file.save(f"{name}-v{version}-{digest[:12]}.joblib", ContentFile(content), save=False)
        row.save()
        if activate or (activate is None and not _active_in_scope(target, agency).exists()):
            activate_version(row)
    with _LOCK:
        _LOADED[row.pk] = (digest, classifier)
    return row


def _active_in_scope(target: str, agency):
    rows = RoutingModel.objects.filter(target=target, is_active=True)
    return rows.filter(agency=agency) if agency is not None else rows.filter(agency__isnull=True)


def activate_version(row: RoutingModel) -> RoutingModel:
    """Make `row` the one model its target and scope use; the previous one stays, inactive."""
    with transaction.atomic():
        _active_in_scope(row.target, row.agency).exclude(pk=row.pk).update(is_active=False)
        RoutingModel.objects.filter(pk=row.pk).update(is_active=True)
    row.is_active = True
    return row


def active_model(target: str, agency=None) -> RoutingModel | None:
    return _active_in_scope(target, agency).first()


def find(name: str, version: int | None = None) -> RoutingModel:
    """A version of `name`: the given one, else the newest (what was just trained is what one
    evaluates; which version the product uses is `is_active`, switched on purpose)."""
    rows = RoutingModel.objects.filter(name=name)
    row = rows.filter(version=version).first() if version is not None else rows.order_by("-version").first()
    if row is None:
        raise NotFound(_("Model '%(name)s' tidak ditemukan.") % {"name": name + (f" v{version}" if version else "")})
    return row


def load(row: RoutingModel) -> RoutingClassifier:
    """The classifier of `row`, loaded once per process, after checking the file is the one stored."""
    with _LOCK:
        cached = _LOADED.get(row.pk)
    if cached is not None and cached[0] == row.sha256:
        return cached[1]
    try:
        with default_storage.open(row.file.name, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        raise Conflict(_("Berkas model %(model)s tidak ditemukan.") % {"model": row}) from None
    if hashlib.sha256(content).hexdigest() != row.sha256:
        raise Conflict(_("Berkas model %(model)s berubah sejak disimpan; tidak dimuat.") % {"model": row})
    classifier = joblib.load(io.BytesIO(content))
    with _LOCK:
        _LOADED[row.pk] = (row.sha256, classifier)
    return classifier


def record_evaluation(row: RoutingModel, figures: dict, *, data_name: str) -> None:
    """Keep an evaluation run with the version, for comparing versions later."""
    with transaction.atomic():
        locked = RoutingModel.objects.select_for_update().get(pk=row.pk)
        evaluation = dict(locked.evaluation or {})
        runs = list(evaluation.get("runs") or [])
        runs.append({**figures, "data": data_name[:200], "at": timezone.now().isoformat(timespec="seconds")})
        evaluation["runs"] = runs[-20:]
        locked.evaluation = evaluation
        locked.save(update_fields=["evaluation"])
    row.evaluation = locked.evaluation


def versions(name: str | None = None, target: str | None = None):
    rows = RoutingModel.objects.select_related("agency").order_by("name", "-version")
    if name:
        rows = rows.filter(name=name)
    if target:
        rows = rows.filter(target=target)
    return rows
