"""Attachments: photos and documents added to a report, stored through Django's storage API.

The type is decided by the file's first bytes, never by its name or the browser's word, and the
stored name is random; the original name is kept for display only.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from django.utils.translation import gettext as _

from lapor.core.errors import InvalidInput

from .lifecycle import Action
from .models import Attachment, Report
from .transitions import transition

# (magic bytes at offset 0, content type); WebP is RIFF....WEBP, checked separately.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
]


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n} bita"


def validate_upload(upload: UploadedFile | None) -> str:
    """The content type of an acceptable upload, or a clear refusal naming the file."""
    limit = settings.LAPOR["MAX_ATTACHMENT_BYTES"]
    if upload is None or not upload.size:
        raise InvalidInput(_("Berkas kosong atau tidak terkirim."), code="empty_file", field="attachments")
    name = (upload.name or "").rsplit("/", 1)[-1]
    if upload.size > limit:
        raise InvalidInput(
            _("Berkas %(name)s terlalu besar: ukuran maksimal yang diterima %(limit)s.") % {"name": name, "limit": _size(limit)},
            code="file_too_large",
            field="attachments",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise InvalidInput(
            _("Jenis berkas %(name)s tidak didukung: unggah foto (JPEG, PNG, GIF, WebP) atau PDF.") % {"name": name},
            code="unsupported_file_type",
            field="attachments",
        )
    return content_type


def validate_uploads(uploads) -> None:
    uploads = list(uploads or [])
    limit = settings.LAPOR["MAX_ATTACHMENTS_PER_REPORT"]
    if len(uploads) > limit:
        raise InvalidInput(_("Satu laporan paling banyak %(n)d lampiran.") % {"n": limit}, field="attachments")
    for upload in uploads:
        validate_upload(upload)


def report_attach(
    *, actor, report: Report | int, upload: UploadedFile, is_public: bool = True, now: datetime | None = None
) -> Attachment:
    """Add a file to a report (reporter or handling staff); refuses unknown types and large files."""
    limits = settings.LAPOR
    with transition(report, actor, Action.ATTACH, now=now) as change:
        r = change.report
        content_type = validate_upload(upload)
        if r.attachments.count() >= limits["MAX_ATTACHMENTS_PER_REPORT"]:
            raise InvalidInput(
                _("Satu laporan paling banyak %(n)d lampiran.") % {"n": limits["MAX_ATTACHMENTS_PER_REPORT"]},
                field="attachments",
            )
        original_name = (upload.name or "lampiran").rsplit("/", 1)[-1][:200]
        attachment = Attachment(
            report=r,
            original_name=original_name,
            content_type=content_type,
            size=upload.size,
            uploaded_by=change.actor.user,
            # Shown on the report's timeline; a confidential report's timeline is its reporter's only.
            is_public=is_public,
        )
        if change.actor.is_reporter_of(r) and r.is_anonymous:
            attachment.uploaded_by = None
        attachment.file.save(original_name, upload, save=False)
        attachment.save()
        change.public = attachment.is_public
        change.message = original_name
        change.changes["attachment"] = [None, {"id": attachment.pk, "label": original_name}]
    return attachment
