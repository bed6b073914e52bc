"""Filters of the public feed: text, category, region, agency, status bucket and dates."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from lapor.complaints.models import BUCKET_OF_STATUS, Bucket
from lapor.complaints.selectors import PUBLIC_STATUSES

from ..choices import category_options, feed_agency_options, region_chain, region_options
from .base import PortalForm
from .submit import DATE_FORMATS


def public_buckets() -> list[tuple[str, str]]:
    """The buckets a public report can be in (a report waiting for verification is not public)."""
    present = {BUCKET_OF_STATUS[status] for status in PUBLIC_STATUSES}
    return [(bucket.value, bucket.label) for bucket in Bucket if bucket in present]


class FeedFilterForm(PortalForm):
    show_optional = False
    q = forms.CharField(label=_("Cari kata"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/Kota"), required=False)
    agency = forms.ChoiceField(label=_("Instansi"), required=False)
    bucket = forms.ChoiceField(label=_("Status"), required=False)
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2025-01-31.")},
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2025-01-31.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        self.chain = region_chain(source)[:2]
        if self.is_bound:
            self.data = self.data.copy()
            if len(self.chain) < 2:
                self.data["regency"] = ""
        provinces, regencies = region_options(self.chain, levels=2)
        everything = ("", _("Semua"))
        self.fields["province"].choices = [everything] + provinces
        self.fields["regency"].choices = [everything] + regencies
        self.fields["category"].choices = [everything] + category_options(top_level_only=True)
        self.fields["agency"].choices = [everything] + feed_agency_options(
            province=self.chain[0] if self.chain else "", selected=source.get("agency") or ""
        )
        self.fields["bucket"].choices = [everything] + public_buckets()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
        return cleaned

    def apply(self, reports):
        """Filter a queryset of public reports by the valid filters."""
        data = self.cleaned_data if self.is_valid() else {}
        if text := data.get("q"):
            reports = reports.filter(Q(title__icontains=text) | Q(text__icontains=text) | Q(tracking_id__iexact=text))
        if code := data.get("category"):
            reports = reports.filter(
                Q(category__code=code) | Q(category__parent__code=code) | Q(category__parent__parent__code=code)
            )
        if self.chain and "province" in data:
            code = self.chain[-1]
            reports = reports.filter(Q(region_id=code) | Q(region__code__startswith=f"{code}."))
        if code := data.get("agency"):
            reports = reports.filter(current_agency__code=code)
        if bucket := data.get("bucket"):
            reports = reports.filter(status__in=[s for s, b in BUCKET_OF_STATUS.items() if b == bucket])
        if start := data.get("date_from"):
            reports = reports.filter(created_at__date__gte=start)
        if end := data.get("date_to"):
            reports = reports.filter(created_at__date__lte=end)
        return reports

    def query_string(self) -> str:
        """The current filters for pagination links (without the page number)."""
        params = QueryDict(mutable=True)
        if self.is_bound:
            for name in self.fields:
                if value := (self.data.get(name) or "").strip():
                    params[name] = value
        return params.urlencode()
