from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lapor.demo"
    label = "demo"
