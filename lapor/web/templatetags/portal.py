"""Small presentation helpers for the portal's templates."""

from django import template
from django.utils.translation import gettext as _

from lapor.accounts.models import TimeZone
from lapor.complaints.models import Bucket

from ..choices import localized as localized_name

register = template.Library()


@register.filter
def bucket_label(report) -> str:
    """The citizen's bucket (Belum / Proses / Selesai) of a report."""
    return Bucket(report.bucket).label


@register.filter
def localized(obj) -> str:
    return localized_name(obj) if obj is not None else ""


@register.filter
def field_anchor(field) -> str:
    """The id an error summary links to: the field, or the first option of a group."""
    if field.field.widget.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.filter
def zone_of(agency) -> str:
    """The IANA zone in which a report's times are shown (its agency's, else WIB)."""
    return agency.time_zone if agency is not None else TimeZone.WIB.value


@register.filter
def zone_label(agency) -> str:
    return TimeZone(zone_of(agency)).label


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return _("%(n)d bita") % {"n": size}


@register.filter
def file_kind(content_type: str) -> str:
    return {"application/pdf": "PDF"}.get(content_type, content_type.split("/")[-1].upper())


@register.filter
def region_path(region) -> str:
    """"Sesetan, Denpasar Selatan, Kota Denpasar, Bali" (parents must be selected along)."""
    names = []
    while region is not None and len(names) < 4:
        names.append(region.name)
        region = region.parent if region.parent_id else None
    return ", ".join(names)


@register.filter
def percent(value) -> str:
    """0.873 → "87%": a score as people read it."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""
