"""POST requests: a client files a report for a citizen, through the same filing service as the web.

The report is filed at once (channel `local_app`: Open311 clients are the local apps), so the
answer carries its `service_request_id` and never a token. It is filed without an account; the
citizen gets the tracking id and secret code through the e-mail or phone number given, like any
accountless reporter, and the key that filed it may read it and post the citizen's replies.

What GeoReport v2 has and a lapor report has not is written into the report's text, where the
verifier sees it and may edit what is published, as with any citizen's words: the free-text
address and the link to a photo (lapor never fetches it: it does not reach the network). The
link is also kept beside the report and given back as `media_url`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from lapor.complaints.filing import report_file
from lapor.complaints.idempotency import submit_once
from lapor.complaints.models import Channel, Report
from lapor.complaints.services import MIN_TEXT_LENGTH
from lapor.regions.models import Region

from . import catalogue
from .formats import Open311Error
from .models import ApiKey, FiledRequest
from .service_requests import MAX_DESCRIPTION, service_notice

MAX_ADDRESS = 255
MAX_MEDIA_URL = FiledRequest._meta.get_field("media_url").max_length


def _field(data, name: str) -> str:
    return (data.get(name) or "").strip()


def _location(data, errors: list[str]) -> dict:
    """One of lat & long, address_string or address_id (a Kemendagri region code)."""
    lat, long = _field(data, "lat"), _field(data, "long")
    address, address_id = _field(data, "address_string"), _field(data, "address_id")
    out: dict = {}
    if bool(lat) != bool(long):
        errors.append(_("lat dan long harus dikirim bersama."))
    elif lat:
        # The filing service checks the numbers and their range (a 400 naming the field).
        out["latitude"], out["longitude"] = lat, long
    if address_id:
        region = Region.objects.filter(code=address_id).first()
        if region is None:
            errors.append(_("address_id '%(code)s' bukan kode wilayah Kemendagri yang dikenal.") % {"code": address_id})
        out["region"] = region
    if len(address) > MAX_ADDRESS:
        errors.append(_("address_string paling banyak %(n)d karakter.") % {"n": MAX_ADDRESS})
    out["address"] = address
    if not (lat and long) and not address and not address_id:
        errors.append(_("Lokasi wajib diisi: lat dan long, address_string, atau address_id."))
    return out


def _media_url(data, errors: list[str]) -> str:
    url = _field(data, "media_url")
    if not url:
        return ""
    try:
        if len(url) > MAX_MEDIA_URL:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        message = _("media_url harus alamat http(s) yang sah, paling banyak %(n)d karakter.")
        errors.append(message % {"n": MAX_MEDIA_URL})
        return ""
    return url


def _text(description: str, address: str, media_url: str) -> str:
    parts = [description]
    if address:
        parts.append(_("Alamat (dari aplikasi): %(address)s") % {"address": address})
    if media_url:
        parts.append(_("Foto/media (tautan dari aplikasi): %(url)s") % {"url": media_url})
    return "\n\n".join(parts)


def submission(data) -> tuple[dict, str]:
    """The filing service's arguments and the media link, or one 400/404 listing what is wrong."""
    code = _field(data, "service_code")
    if not code:
        raise Open311Error(400, _("service_code wajib diisi."))
    category = catalogue.service_get(code)
    errors: list[str] = []
    place = _location(data, errors)
    media_url = _media_url(data, errors)
    description = _field(data, "description")
    if len(description) < MIN_TEXT_LENGTH:
        # Checked here as well: the address and link added to the text must not make up for it.
        errors.append(_("description wajib diisi: isi laporan, minimal %(n)d karakter.") % {"n": MIN_TEXT_LENGTH})
    elif len(description) > MAX_DESCRIPTION:
        errors.append(_("description paling banyak %(n)d karakter.") % {"n": MAX_DESCRIPTION})
    try:
        extra = catalogue.submission_fields(data)
    except Open311Error as error:
        errors.extend(e["description"] for e in error.errors)
        extra = {}
    if errors:
        raise Open311Error(400, *errors)
    name = " ".join(part for part in (_field(data, "first_name"), _field(data, "last_name")) if part)
    fields = dict(
        text=_text(description, place.pop("address"), media_url),
        category=category,
        channel=Channel.LOCAL_APP,
        contact_name=name[:120],
        contact_email=_field(data, "email"),
        contact_phone=_field(data, "phone"),
        **place,
        **extra,
    )
    return fields, media_url


def _answer(report: Report, account_id: str) -> dict:
    return {
        "service_requests": [{
            "service_request_id": report.tracking_id,
            "service_notice": service_notice(report),
            "account_id": account_id or None,
        }]
    }


def request_create(*, key: ApiKey, data, idempotency_key: str | None = None) -> dict:
    """File the report; with an `Idempotency-Key` a retry gets the first answer and files nothing.

    Raises Open311Error (400/404) for what the spec checks and DomainError for the filing
    service's own refusals (a short text, an invalid phone number, ...).
    """
    fields, media_url = submission(data)
    account_id = _field(data, "account_id")[:100]

    def submit() -> tuple[Report, dict]:
        with transaction.atomic():
            report = report_file(reporter=None, **fields).report
            FiledRequest.objects.create(key=key, report=report, media_url=media_url)
        return report, _answer(report, account_id)

    if not idempotency_key:
        return submit()[1]
    payload = {name: data.getlist(name) for name in sorted(data) if name != "api_key"}
    return submit_once(client=f"open311:{key.pk}", key=idempotency_key, payload=payload, submit=submit).response
