"""Admins register partners here (through `registry`, like the command) and see deliveries.

A new partner's first API key and signing secret, a new key and a rotated secret are shown once
on a page of their own, never stored in a message or the session.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lapor.core.errors import DomainError

from . import delivery, registry
from .models import Partner, PartnerKey, WebhookDelivery


class PartnerForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=_("alamat webhook"), max_length=500, required=False, assume_scheme="https",
        help_text=_("Kosongkan bila mitra hanya mengambil perubahan (pull)."),
    )

    class Meta:
        model = Partner
        fields = ["name", "code", "agency", "webhook_url", "is_sandbox", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Kosongkan untuk dibuat dari nama.")

    def clean_webhook_url(self):
        try:
            return registry.clean_webhook_url(self.cleaned_data["webhook_url"], sandbox=self.data.get("is_sandbox") == "on")
        except DomainError as error:
            raise ValidationError(str(error)) from error


class KeyInline(admin.TabularInline):
    model = PartnerKey
    fields = ["prefix", "name", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _shown_once(request, partner, *, key=None, secret=None):
    return TemplateResponse(request, "partners/admin/issued.html", {
        "partner": partner, "key": key, "secret": secret, "title": partner.name,
        "back": reverse("admin:partners_partner_change", args=[partner.pk]),
    })


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "code", "agency", "is_sandbox", "is_active", "webhook_url"]
    list_filter = ["is_sandbox", "is_active"]
    search_fields = ["name", "code", "agency__name"]
    raw_id_fields = ["agency"]
    inlines = [KeyInline]
    actions = ["issue_key", "rotate_secret"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            registry.partner_update(
                partner=obj, name=data["name"], agency=data["agency"], webhook_url=data["webhook_url"],
                sandbox=data["is_sandbox"], active=data["is_active"],
            )
            return
        issued = registry.partner_register(
            name=data["name"], agency=data["agency"], webhook_url=data["webhook_url"], sandbox=data["is_sandbox"],
            code=data.get("code") or "",
        )
        obj.__dict__.update({k: v for k, v in vars(issued.partner).items() if not k.startswith("_")})
        obj._state.adding, obj._state.db = False, issued.partner._state.db
        request._partner_issued = issued

    def response_add(self, request, obj, post_url_continue=None):
        issued = request._partner_issued
        return _shown_once(request, issued.partner, key=issued.key, secret=issued.secret)

    def _one(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Pilih tepat satu aplikasi mitra."), messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description=_("Buat kunci API baru (semua cakupan)"))
    def issue_key(self, request, queryset):
        if partner := self._one(request, queryset):
            return _shown_once(request, partner, key=registry.key_issue(partner=partner, name="admin"))
        return None

    @admin.action(description=_("Ganti rahasia tanda tangan webhook"))
    def rotate_secret(self, request, queryset):
        if partner := self._one(request, queryset):
            return _shown_once(request, partner, secret=registry.secret_rotate(partner=partner))
        return None


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "partner", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["partner"]
    fields = ["partner", "prefix", "name", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cabut kunci yang dipilih"))
    def revoke(self, request, queryset):
        count = sum(registry.key_revoke(prefix=prefix) for prefix in queryset.values_list("prefix", flat=True))
        self.message_user(request, _("%(n)d kunci dicabut.") % {"n": count})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only; failed rows hold their report's later changes until sent again."""

    list_display = ["created_at", "partner", "tracking_id", "event_type", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "partner"]
    search_fields = ["tracking_id"]
    list_select_related = ["partner"]
    show_full_result_count = False
    # The payload stays out: it may name a reporter, and the Django admin shows no reporter.
    fields = [f.name for f in WebhookDelivery._meta.fields if f.name != "payload"]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Kirim ulang kiriman gagal yang dipilih"), permissions=["view"])
    def send_again(self, request, queryset):
        count = delivery.deliveries_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(n)d kiriman dijadwalkan untuk dikirim ulang.") % {"n": count})
