from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel
from apps.projects.models import Project


class PlaceSource(models.TextChoices):
    GEONAMES = "geonames", "GeoNames"
    PROJECT = "project", "Project"


class Precision(models.IntegerChoices):
    """ACLED's geo-precision: how closely the coordinates locate what the text names."""

    TOWN = 1, "Town"
    NEAR_TOWN = 2, "Near a town or part of a region"
    REGION = 3, "Region or country"


class Place(TimeStampedModel):
    """A gazetteer entry: a GeoNames place shipped with Lector (no project), or a project's own place."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="places")
    source = models.CharField(max_length=16, choices=PlaceSource.choices)
    geonames_id = models.BigIntegerField(null=True, blank=True, unique=True)
    name = models.CharField(max_length=200)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    latitude = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])
    country_code = models.CharField(max_length=2, blank=True)
    admin1 = models.CharField(max_length=200, blank=True)
    population = models.BigIntegerField(default=0)
    precision = models.PositiveSmallIntegerField(
        choices=Precision.choices, default=Precision.TOWN, help_text="The precision of a reference to this place."
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="place_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="place_longitude_range"),
            models.CheckConstraint(
                condition=Q(source="geonames", project__isnull=True) | Q(source="project", project__isnull=False),
                name="place_source_matches_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_code or '?'})"


class PlaceName(models.Model):
    """One way of writing a place's name (its name, an alias, a GeoNames alternate name), by the keys of
    apps.places.names, so that every quote of a document is looked up in one indexed query."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    exact = models.CharField(max_length=200)
    spelling = models.CharField(max_length=200, db_index=True)

    def __str__(self) -> str:
        return self.exact
