from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "lapor.reference"
    label = "reference"
