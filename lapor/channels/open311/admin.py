"""Keys are made by `lapor open311 create-key` (the raw key is shown once); the admin lists and revokes them."""

from django.contrib import admin
from django.utils import timezone

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "agency", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    fields = ["name", "prefix", "agency", "acting_user", "is_active", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the reports a key filed keep naming it

    @admin.action(description="Cabut kunci terpilih")
    def revoke(self, request, queryset):
        queryset.filter(is_active=True).update(is_active=False, revoked_at=timezone.now())
