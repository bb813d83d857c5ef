from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import TimeStampedModel
from apps.projects.models import Project


class ActorType(models.TextChoices):
    """ACLED's actor types (its `inter` codes 1 to 8)."""

    STATE_FORCES = "state_forces", "State forces"
    REBEL_GROUPS = "rebel_groups", "Rebel groups"
    POLITICAL_MILITIAS = "political_militias", "Political militias"
    IDENTITY_MILITIAS = "identity_militias", "Identity militias"
    RIOTERS = "rioters", "Rioters"
    PROTESTERS = "protesters", "Protesters"
    CIVILIANS = "civilians", "Civilians"
    EXTERNAL_OTHER = "external_other", "External/other forces"


class Entity(TimeStampedModel):
    """One actor of a project's register: a canonical name and the other names reports give it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="entities")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=32, choices=ActorType.choices, blank=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="entity_unique_name")]

    def __str__(self) -> str:
        return self.name


class EntityName(models.Model):
    """One matching key of an entity (its name's or an alias's, see apps/actors/matching.py): one query finds the
    entities of all the quotes of a create, and a key names one entity only in a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    key = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="entity_name_unique_key")]

    def __str__(self) -> str:
        return self.key
