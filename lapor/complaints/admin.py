"""Reference data is edited here; reports are read-only (their status changes only through services)."""

from django.contrib import admin

from .models import ArchiveReason, Category, FlagTerm, Report, ReportEvent, ReportFlag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]


@admin.register(ArchiveReason)
class ArchiveReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]


class EventInline(admin.TabularInline):
    model = ReportEvent
    fields = ["created_at", "type", "actor_role", "from_status", "to_status", "message", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FlagTerm)
class FlagTermAdmin(admin.ModelAdmin):
    """The red-flag lexicon's local entries (lapor/routing/data/flag_lexicon.json is the base)."""

    list_display = ["phrase", "kind", "weight", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["phrase"]

    def save_model(self, request, obj, form, change):
        from lapor.routing.flags import forget_lexicon

        super().save_model(request, obj, form, change)
        forget_lexicon()  # other processes follow within a minute

    def delete_model(self, request, obj):
        from lapor.routing.flags import forget_lexicon

        super().delete_model(request, obj)
        forget_lexicon()


class RedFlagInline(admin.TabularInline):
    model = ReportFlag
    fields = ["kind", "score", "lexicon_score", "model_score", "terms", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: changes go through the officer workspace, which calls the services."""

    list_display = ["tracking_id", "title", "status", "priority", "current_agency", "created_at"]
    list_filter = ["status", "priority", "channel", "kind", "is_confidential"]
    search_fields = ["tracking_id", "title"]
    list_select_related = ["current_agency"]
    show_full_result_count = False
    # Reporter identity and contact are deliberately absent: anonymity holds here too.
    fields = [
        "tracking_id", "kind", "status", "title", "original_title", "text", "original_text",
        "category", "region", "channel", "is_anonymous", "is_confidential", "current_agency",
        "current_unit", "transfer_count", "priority", "flagged_at", "flag_reason", "stage_due_at",
        "completion_due_at", "rating", "created_at",
    ]
    readonly_fields = fields
    inlines = [RedFlagInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
