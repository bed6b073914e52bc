from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "lapor.sla"
    label = "sla"
