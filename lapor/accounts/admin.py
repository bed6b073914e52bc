from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, Unit, User


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ["code", "name", "unit_type", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "time_zone", "connectivity_group", "is_active"]
    list_filter = ["kind", "time_zone", "admin_account_active", "is_active"]
    search_fields = ["name", "short_name", "code"]
    raw_id_fields = ["parent", "region"]
    inlines = [UnitInline]

    @admin.display(description="Kelompok keterhubungan")
    def connectivity_group(self, obj):
        return obj.connectivity_group


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "unit_type", "is_active"]
    list_filter = ["unit_type", "is_active"]
    search_fields = ["name", "agency__name"]
    raw_id_fields = ["agency"]
    list_select_related = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "agency", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["agency", "unit", "observed_regions"]
    filter_horizontal = ["observed_agencies"]
    autocomplete_fields = []
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Peran dan lingkup", {"fields": ["role", "phone", "agency", "unit", "observes_all", "observed_agencies"]}),
    )
