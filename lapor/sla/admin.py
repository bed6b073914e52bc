from django.contrib import admin

from .models import NonWorkingDay, ServiceStandard


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "province", "agency"]
    list_filter = ["province"]
    date_hierarchy = "date"
    raw_id_fields = ["agency"]
    search_fields = ["name"]


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin):
    """Agencies' and categories' own, shorter limits (validated against the national ones)."""

    list_display = ["__str__", "first_follow_up_days", "completion_days", "note"]
    raw_id_fields = ["agency"]
    list_select_related = ["agency", "category"]
    search_fields = ["agency__name", "category__name", "note"]
