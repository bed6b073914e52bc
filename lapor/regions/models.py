"""Administrative regions of Indonesia (Kemendagri codes), province down to village."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")
        VILLAGE = 4, _("Kelurahan/Desa")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        REGENCY = "kabupaten", _("Kabupaten")
        CITY = "kota", _("Kota")
        DISTRICT = "kecamatan", _("Kecamatan")
        DISTRIK = "distrik", _("Distrik")
        URBAN_VILLAGE = "kelurahan", _("Kelurahan")
        VILLAGE = "desa", _("Desa")
        CUSTOMARY_VILLAGE = "desa_adat", _("Desa adat")

    # Dotted official code ("32", "32.76", "32.76.01", "32.76.01.1001"): stable and readable,
    # so it is the primary key and a prefix query finds everything inside a region.
    code = models.CharField(primary_key=True, max_length=13)
    name = models.CharField(max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    postal_code = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2]

    def ancestors_and_self_codes(self) -> list[str]:
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]
