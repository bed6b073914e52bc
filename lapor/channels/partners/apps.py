from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "lapor.channels.partners"
    label = "partners"
    verbose_name = "Aplikasi mitra"
