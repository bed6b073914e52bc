"""In-app notices and message preferences for every logged-in person; dead letters for admins."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapor.accounts.models import Role, User
from lapor.core.errors import DomainError
from lapor.notifications import services
from lapor.notifications.models import OutboxMessage


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "notify_email", "notify_sms", "notify_whatsapp"]
        labels = {
            "language": gettext_lazy("Bahasa pesan"),
            "notify_email": gettext_lazy("Kirim juga lewat surel"),
            "notify_sms": gettext_lazy("Kirim juga lewat SMS"),
            "notify_whatsapp": gettext_lazy("Kirim juga lewat WhatsApp"),
        }
        help_texts = {
            "notify_email": gettext_lazy("Ke alamat surel akun Anda, bila ada."),
            "notify_sms": gettext_lazy("Ke nomor ponsel akun Anda, bila ada."),
        }


@login_required
def notices(request):
    """The person's notices (opening the page marks them read) and where messages should go."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.preferences_save(
                user=request.user, **{name: form.cleaned_data[name] for name in PreferencesForm.Meta.fields}
            )
            messages.success(request, _("Pengaturan pesan disimpan."))
            return redirect("web:notices")
    unread = services.unread_notice_count(request.user)
    items = list(services.notices_for(request.user))
    services.notices_mark_read(request.user)
    return render(request, "web/notices/notices.html", {"items": items, "unread": unread, "form": form})


def _sysadmin(request):
    if not request.user.is_authenticated or request.user.role != Role.SYSADMIN:
        raise Http404


@login_required
def dead_letters(request):
    """Messages that could not be delivered after every retry, with the reason, for resending."""
    _sysadmin(request)
    failed = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).select_related("report").order_by(
        "-created_at", "-id"
    )
    page = Paginator(failed, 50, allow_empty_first_page=True).get_page(request.GET.get("page"))
    return render(request, "web/notices/dead_letters.html", {"page": page, "total": failed.count()})


@login_required
@require_POST
def dead_letters_retry(request):
    _sysadmin(request)
    ids = None if request.POST.get("all") else [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    try:
        count = services.dead_letters_retry(actor=request.user, ids=ids)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)d pesan dijadwalkan untuk dikirim ulang.") % {"n": count})
    return redirect("web:dead_letters")
