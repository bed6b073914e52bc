from django.contrib import admin

from .models import NonWorkingDay


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "province", "agency"]
    list_filter = ["province"]
    date_hierarchy = "date"
    raw_id_fields = ["agency"]
    search_fields = ["name"]
