"""Inbound messages for system admins: what arrived, what became of it, and a retry for failures."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .inbox import inbox_retry
from .models import Conversation, InboundMedia, InboundMessage, RegionKeyword


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "provider", "sender", "kind", "state", "note", "report", "attempts"]
    list_filter = ["state", "provider", "kind"]
    search_fields = ["external_id", "sender", "note", "report__tracking_id"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields if f.name != "raw"]
    exclude = ["raw"]
    actions = ["retry"]
    list_select_related = ["report"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Proses ulang pesan gagal yang dipilih"))
    def retry(self, request, queryset):
        done = inbox_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(n)d pesan berhasil diproses ulang.") % {"n": done}, messages.INFO)


@admin.register(InboundMedia)
class InboundMediaAdmin(admin.ModelAdmin):
    list_display = ["created_at", "report", "provider", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "provider"]
    readonly_fields = [f.name for f in InboundMedia._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["address", "channel", "step", "confirmed_at", "updated_at"]
    list_filter = ["channel", "step"]
    search_fields = ["address"]
    readonly_fields = [f.name for f in Conversation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RegionKeyword)
class RegionKeywordAdmin(admin.ModelAdmin):
    list_display = ["keyword", "region", "agency", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["keyword", "region__name"]
    raw_id_fields = ["region", "agency"]
