from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Reports entered by officers (call centre, walk-in desk, letters) and bulk import/export."""

    name = "lapor.channels.intake"
    label = "intake"
    verbose_name = "Pencatatan dan impor laporan"
