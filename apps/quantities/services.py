from django.db import transaction

from apps.projects.models import Project, Role
from apps.projects.selectors import require_role
from apps.quantities.models import VagueMagnitude


@transaction.atomic
def vague_magnitude_save(*, project: Project, user, words: str, low: int, conservative: int, high: int | None):
    """Set the project's reading of a vague magnitude (owners only); new readings use it, existing ones are kept."""
    require_role(user, project, [Role.OWNER])
    row, _ = VagueMagnitude.objects.update_or_create(
        project=project, words=words, defaults={"low": low, "conservative": conservative, "high": high}
    )
    return row


@transaction.atomic
def vague_magnitude_delete(*, row: VagueMagnitude, user) -> None:
    """Drop a project's row: the grammar's default applies again."""
    require_role(user, row.project, [Role.OWNER])
    row.delete()
