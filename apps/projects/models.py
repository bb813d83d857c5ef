from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel


class Project(TimeStampedModel):
    """A body of documents annotated with one tag set by a team of members."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Annotation guidelines, in Markdown (no raw HTML).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    focus_countries = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        help_text="ISO 3166 country codes (SY, IQ): places there rank first when a name is resolved.",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    CURATOR = "curator", "Curator"
    ANNOTATOR = "annotator", "Annotator"
    VIEWER = "viewer", "Viewer"


class Membership(TimeStampedModel):
    """A user's role in a project; the access gate (projects/selectors.py) reads only this."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"


class TagKind(models.TextChoices):
    """What a tag's spans mean to Lector beyond their label: a tag may be renamed without losing this."""

    PLAIN = "plain", "Plain"
    ACTOR = "actor", "Actor (linked to the actor register)"
    PLACE = "place", "Place (resolved in the gazetteer)"
    QUANTITY = "quantity", "Quantity (read as numbers)"


class Tag(TimeStampedModel):
    """One label of a project's tag set (Actor, Location, Quantity...)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tags")
    slug = models.SlugField(max_length=50)
    label = models.CharField(max_length=100)
    color = models.CharField(max_length=7, help_text="#rrggbb")
    shortcut = models.CharField(max_length=1, blank=True, help_text="One key that applies the tag in the reader.")
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        max_length=16, choices=TagKind.choices, default=TagKind.PLAIN, help_text="What Lector reads from its spans."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "slug"], name="tag_unique_slug"),
            models.UniqueConstraint(
                fields=["project", "shortcut"], condition=~Q(shortcut=""), name="tag_unique_shortcut"
            ),
            models.CheckConstraint(condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="tag_color_hex"),
            # What the slug field accepts (letters, digits, hyphens, underscores): slugs go into class names, the
            # reading view's <style> and data attributes, so no other character may reach the table by any path.
            models.CheckConstraint(condition=Q(slug__regex=r"^[-a-zA-Z0-9_]+$"), name="tag_slug_characters"),
        ]

    def __str__(self) -> str:
        return self.label
