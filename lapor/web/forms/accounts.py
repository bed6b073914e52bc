"""Registering, verifying and logging in by e-mail address or phone number."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lapor.accounts.services import find_user_by_identifier
from lapor.core.errors import TooManyRequests

from ..limits import limit
from .base import RENDERER, PortalForm

IDENTIFIER_HELP = _("Alamat surel (nama@contoh.id) atau nomor ponsel (0812…).")


class LoginForm(AuthenticationForm):
    """Log in with e-mail, phone or user name; attempts are limited per client."""

    default_renderer = RENDERER
    username = forms.CharField(
        label=_("Surel atau nomor ponsel"),
        max_length=254,
        help_text=IDENTIFIER_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Isi surel atau nomor ponsel Anda.")},
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Isi kata sandi Anda.")},
    )
    error_messages = {
        "invalid_login": _("Surel/nomor ponsel atau kata sandi salah. Periksa kembali isian Anda."),
        "inactive": _("Akun ini belum aktif. Masukkan kode verifikasi yang kami kirim."),
    }

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Surel atau nomor ponsel")
        self.not_verified = False

    def clean(self):
        if self.request is not None:
            try:
                limit(self.request, "login")
            except TooManyRequests as error:
                raise ValidationError(str(error), code="rate_limited") from None
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                pending = find_user_by_identifier(username)
                if pending is not None and not pending.is_active and pending.check_password(password):
                    self.not_verified = True
                    raise ValidationError(self.error_messages["inactive"], code="inactive")
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class RegisterForm(PortalForm):
    name = forms.CharField(
        label=_("Nama"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Nama wajib diisi.")},
    )
    identifier = forms.CharField(
        label=_("Surel atau nomor ponsel"),
        max_length=254,
        help_text=_("Kami mengirim kode verifikasi ke alamat atau nomor ini."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Isi surel atau nomor ponsel Anda.")},
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=_("Minimal 8 karakter, tidak hanya angka, dan bukan kata sandi yang umum."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Buat kata sandi.")},
    )


class VerifyForm(PortalForm):
    identifier = forms.CharField(
        label=_("Surel atau nomor ponsel"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Isi surel atau nomor ponsel yang Anda daftarkan.")},
    )
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=6,
        min_length=6,
        help_text=_("Enam angka dari pesan yang kami kirim; berlaku 10 menit."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Isi kode verifikasi."), "min_length": _("Kode verifikasi terdiri dari 6 angka.")},
    )


class ResendForm(PortalForm):
    identifier = forms.CharField(
        label=_("Surel atau nomor ponsel"),
        max_length=254,
        error_messages={"required": _("Isi surel atau nomor ponsel yang Anda daftarkan.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "resend")
        super().__init__(*args, **kwargs)

