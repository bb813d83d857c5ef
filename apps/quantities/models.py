from django.db import models

from apps.core.models import TimeStampedModel


class VagueMagnitude(TimeStampedModel):
    """A project's reading of a vague magnitude ("dozens", "scores"), over the grammar's default for the same words
    or as a new row."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="vague_magnitudes")
    words = models.CharField(max_length=60)
    low = models.PositiveBigIntegerField()
    conservative = models.PositiveBigIntegerField()
    high = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["low", "words"]
        constraints = [
            models.UniqueConstraint(fields=["project", "words"], name="vague_magnitude_words_unique_per_project"),
            models.CheckConstraint(condition=models.Q(conservative__gte=models.F("low")), name="vague_low_le_cons"),
            models.CheckConstraint(
                condition=models.Q(high__isnull=True) | models.Q(high__gte=models.F("conservative")),
                name="vague_cons_le_high",
            ),
        ]

    def __str__(self) -> str:
        return self.words
