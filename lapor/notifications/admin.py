from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from lapor.core.errors import DomainError

from . import services
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "kind", "state", "attempts", "next_attempt_at"]
    list_filter = ["channel", "state", "kind"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Kirim ulang pesan gagal yang dipilih"))
    def resend(self, request, queryset):
        try:
            count = services.dead_letters_retry(actor=request.user, ids=list(queryset.values_list("pk", flat=True)))
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, _("%(n)d pesan dijadwalkan untuk dikirim ulang.") % {"n": count})
