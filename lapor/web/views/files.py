"""Attachments, served through Django's storage only to those who may see them."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from lapor.complaints.selectors import attachment_get_for_actors
from lapor.core.errors import NotFound

from ..access import viewer_actors

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


@require_GET
def attachment(request, pk: int):
    """The file with the type found in its content, under a neutral name.

    The original name may carry personal data (an anonymous reporter's name), so downloads are
    called `lampiran-<id>.<ext>`. Images are shown inline; anything else is downloaded.
    """
    try:
        found = attachment_get_for_actors(viewer_actors(request), attachment_id=pk)
    except NotFound:
        raise Http404 from None
    content_type = found.content_type if found.content_type in EXTENSIONS else "application/octet-stream"
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = content_type.startswith("image/")
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not inline,
        filename=f"lampiran-{found.pk}.{EXTENSIONS.get(content_type, 'bin')}",
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0, no-store" if not found.is_public else "private, max-age=300"
    return response
