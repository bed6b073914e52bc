from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    """Reports and replies arriving by SMS 1708, WhatsApp, e-mail and social media mentions."""

    name = "lapor.channels.inbound"
    label = "inbound"
    verbose_name = _("Kanal masuk")
