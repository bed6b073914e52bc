"""Citizen accounts: register, verify with the one-time code, log in, and "my reports"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lapor.accounts.services import account_register, account_resend_code, account_verify
from lapor.complaints.selectors import reports_visible_to
from lapor.core.errors import DomainError, TooManyRequests

from ..access import is_citizen
from ..forms import LoginForm, RegisterForm, ResendForm, VerifyForm
from ..limits import limit

PENDING_KEY = "lapor_pending_account"
BACKEND = "lapor.accounts.backends.EmailOrPhoneBackend"
PAGE_SIZE = 20


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Citizens come for their reports, officers for their work list.
        return reverse("web:my_reports" if is_citizen(self.request.user) else "web:staff_reports")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.has_error("__all__", "rate_limited") else 200
        return response


def register(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                limit(request, "register")
                user = account_register(
                    name=form.cleaned_data["name"],
                    identifier=form.cleaned_data["identifier"],
                    password=form.cleaned_data["password"],
                )
            except DomainError as error:
                form.add_domain_error(error)
                status = 429 if isinstance(error, TooManyRequests) else 400
            else:
                request.session[PENDING_KEY] = {"user": user.pk, "identifier": user.email or user.phone}
                messages.success(
                    request, _("Kode verifikasi telah dikirim ke %(to)s.") % {"to": user.email or user.phone}
                )
                return redirect("web:verify")
        else:
            status = 400
    return render(request, "web/accounts/register.html", {"form": form}, status=status)


def verify(request):
    pending = request.session.get(PENDING_KEY) or {}
    identifier = pending.get("identifier", "")
    verify_form = VerifyForm(initial={"identifier": identifier})
    resend_form = ResendForm(initial={"identifier": identifier})
    status = 200
    if request.method == "POST" and "resend-identifier" in request.POST:
        resend_form = ResendForm(request.POST)
        if resend_form.is_valid():
            try:
                limit(request, "verify")
                account_resend_code(identifier=resend_form.cleaned_data["identifier"])
            except DomainError as error:
                resend_form.add_domain_error(error)
                status = 429 if isinstance(error, TooManyRequests) else 400
            else:
                # The same words whether or not the account exists.
                messages.info(request, _("Jika akun itu menunggu verifikasi, kode baru telah dikirim."))
                return redirect("web:verify")
        else:
            status = 400
    elif request.method == "POST":
        verify_form = VerifyForm(request.POST)
        if verify_form.is_valid():
            try:
                limit(request, "verify")
                user = account_verify(
                    identifier=verify_form.cleaned_data["identifier"], code=verify_form.cleaned_data["code"]
                )
            except DomainError as error:
                verify_form.add_domain_error(error)
                status = 429 if isinstance(error, TooManyRequests) else 400
            else:
                request.session.pop(PENDING_KEY, None)
                if pending.get("user") == user.pk:
                    # The person who chose the password in this session: no second log-in needed.
                    login(request, user, backend=BACKEND)
                    messages.success(request, _("Akun Anda aktif. Selamat datang!"))
                    return redirect("web:my_reports")
                messages.success(request, _("Akun Anda aktif. Silakan masuk."))
                return redirect("web:login")
        else:
            status = 400
    context = {"form": verify_form, "resend_form": resend_form, "identifier": identifier}
    return render(request, "web/accounts/verify.html", context, status=status)


@login_required
def my_reports(request):
    """The account's own reports with their bucket and status (a constant number of queries)."""
    if not is_citizen(request.user):
        raise Http404
    reports = (
        reports_visible_to(request.user)
        .select_related("category", "region", "current_agency")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get("page"))
    return render(request, "web/accounts/my_reports.html", {"page": page})
