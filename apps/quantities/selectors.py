from django.db import connection

from apps.core.db import PreparedStatement
from apps.quantities.grammar import Vague
from apps.quantities.models import VagueMagnitude

# Read on every create with a quantity-kind tag: SQL prepared once per connection, not a queryset built each time.
VAGUE_STATEMENT = PreparedStatement(
    "lector_vague_magnitudes",
    f"SELECT words, low, conservative, high FROM {VagueMagnitude._meta.db_table} WHERE project_id = %(project)s "
    "ORDER BY low, words",
)


def vague_table_for(project_id: int | None) -> dict[str, Vague]:
    """The project's own vague magnitudes (one query), to lay over the grammar's defaults."""
    if project_id is None:
        return {}
    with connection.cursor() as cursor:
        VAGUE_STATEMENT.execute(cursor, {"project": project_id})
        return {words: Vague(low, conservative, high) for words, low, conservative, high in cursor.fetchall()}
