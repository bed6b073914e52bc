from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "lapor.complaints"
    label = "complaints"
