from apps.quantities.grammar import Vague
from apps.quantities.models import VagueMagnitude


def vague_table_for(project_id: int | None) -> dict[str, Vague]:
    """The project's own vague magnitudes (one query), to lay over the grammar's defaults."""
    if project_id is None:
        return {}
    rows = VagueMagnitude.objects.filter(project_id=project_id).values_list("words", "low", "conservative", "high")
    return {words: Vague(low, conservative, high) for words, low, conservative, high in rows}
