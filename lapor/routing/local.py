"""Local governments as labels that travel: "the regency or city where this happened".

A complaint about a KTP or a pothole goes to the government of the place, whichever of 514
regencies and cities that is. Learning 514 separate labels from text would need reports from
every one of them; instead the routers learn `@kabkota` (the regency/city government of the
report's location) and `@provinsi` (its province), and the report's region turns the label into
the agency. DKI Jakarta's administrative cities have no government of their own: the province.
"""

from __future__ import annotations

from lapor.accounts.models import Agency

LOCAL = "@kabkota"
PROVINCE = "@provinsi"
PLACEHOLDERS = (LOCAL, PROVINCE)
LOCAL_KINDS = (Agency.Kind.REGENCY, Agency.Kind.CITY)


def governments_of(region_code: str | None) -> dict[str, Agency]:
    """{LOCAL: regency/city government, PROVINCE: province government} of a region (those that exist)."""
    if not region_code:
        return {}
    parts = region_code.split(".")
    codes = [parts[0]] + ([".".join(parts[:2])] if len(parts) > 1 else [])
    found = {a.region_id: a for a in Agency.objects.filter(region_id__in=codes, is_active=True)}
    province = found.get(parts[0])
    local = found.get(codes[-1]) if len(codes) > 1 else None
    out = {}
    if province is not None:
        out[PROVINCE] = province
    if local is not None and local.kind in LOCAL_KINDS:
        out[LOCAL] = local
    elif province is not None and len(codes) > 1:
        out[LOCAL] = province  # no autonomous regency/city there (DKI Jakarta)
    return out


def label_for(agency: Agency, region_code: str | None, governments: dict[str, Agency] | None = None) -> str:
    """The label a decision teaches: a placeholder when the agency is the place's own government."""
    governments = governments if governments is not None else governments_of(region_code)
    if governments.get(LOCAL) is not None and governments[LOCAL].pk == agency.pk:
        return LOCAL
    if governments.get(PROVINCE) is not None and governments[PROVINCE].pk == agency.pk:
        return PROVINCE
    return agency.code
