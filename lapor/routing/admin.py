"""Routing in the Django admin: compare versions side by side, switch the active one, set thresholds."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import versions
from .models import CategoryRouting, RoutingModel


@admin.register(RoutingModel)
class RoutingModelAdmin(admin.ModelAdmin):
    """Read-only rows (a version is never edited, only trained, compared and activated)."""

    list_display = ["name", "version", "target", "agency", "is_active", "source", "training_size", "labels_count",
                    "accuracy", "macro_f1", "top3", "created_at"]
    list_filter = ["target", "is_active", "source"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency"]
    actions = ["activate"]
    readonly_fields = [f.name for f in RoutingModel._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("akurasi"))
    def accuracy(self, obj):
        return obj.headline.get("accuracy")

    @admin.display(description="macro-F1")
    def macro_f1(self, obj):
        return obj.headline.get("macro_f1")

    @admin.display(description="top-3")
    def top3(self, obj):
        return obj.headline.get("top3")

    @admin.action(description=_("Jadikan versi aktif"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Pilih tepat satu versi."), messages.ERROR)
            return
        row = versions.activate_version(queryset.get())
        self.message_user(request, _("%(model)s sekarang aktif.") % {"model": row})


@admin.register(CategoryRouting)
class CategoryRoutingAdmin(admin.ModelAdmin):
    list_display = ["category", "auto_dispose_threshold"]
    raw_id_fields = ["category"]
    search_fields = ["category__name", "category__code"]
