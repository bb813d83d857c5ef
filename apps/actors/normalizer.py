"""The reading of an actor span: the register's entity whose name or alias the whole span matches."""

from django.core.exceptions import ValidationError
from django.db import connection

from apps.actors.matching import name_key
from apps.actors.models import Entity, EntityName
from apps.actors.services import entity_id_from, entity_insert, entity_normalized
from apps.annotations.normalizers import UNRESOLVED, Reading
from apps.core.db import PreparedStatement

# Read on every create with an actor-kind tag: prepared once per connection (planning took longer than running it).
NAMES_STATEMENT = PreparedStatement(
    "lector_actor_names",
    f"""
SELECT name.key, entity.id, entity.name, entity.type
FROM {EntityName._meta.db_table} name JOIN {Entity._meta.db_table} entity ON entity.id = name.entity_id
WHERE name.project_id = %(project)s AND name.key = ANY(%(keys)s::text[])
""",
)


def _reading(entity: Entity) -> Reading:
    return Reading(entity_normalized(entity), entity_id=entity.pk)


class ActorNormalizer:
    def read_many(self, project_id: int, quotes: list[str]) -> list[Reading]:
        keys = [name_key(quote) for quote in quotes]
        with connection.cursor() as cursor:  # SQL, not the ORM: building the query took most of the time
            NAMES_STATEMENT.execute(cursor, {"project": project_id, "keys": list(set(keys))})
            found = {
                key: _reading(Entity(pk=entity_id, project_id=project_id, name=name, type=type_))
                for key, entity_id, name, type_ in cursor.fetchall()
            }
        return [found.get(key, UNRESOLVED) for key in keys]

    def read_by_hand(self, project_id: int, quote: str, data: dict) -> Reading:
        """`{"entity": id}` links an entity of the project; `{"entity": {"name": ..., "type": ...}}` adds one to the
        register (or takes the one that already has that name or alias) and links it."""
        if set(data) != {"entity"}:
            raise ValidationError({"entity": 'Give {"entity": id} or {"entity": {"name": ..., "type": ...}}.'})
        value = data["entity"]
        if isinstance(value, dict):
            unknown = set(value) - {"name", "type", "aliases"}
            if unknown:
                raise ValidationError({"entity": f"Unknown fields: {', '.join(sorted(map(str, unknown)))}."})
            name = value.get("name", "")
            if isinstance(name, str) and name_key(name):
                existing = EntityName.objects.filter(project_id=project_id, key=name_key(name)).select_related("entity")
                if (row := existing.first()) is not None:
                    return _reading(row.entity)
            try:
                entity = entity_insert(
                    project_id=project_id, name=name, type=value.get("type", ""), aliases=value.get("aliases", [])
                )
            except ValidationError as error:
                problems = [f"{field}: {text}" for field, texts in error.message_dict.items() for text in texts]
                raise ValidationError({"entity": problems}) from None
            return _reading(entity)
        entity_id = entity_id_from(value)
        if entity_id is None:
            raise ValidationError({"entity": f"“{value}” is not an entity id."})
        entity = Entity.objects.filter(project_id=project_id, pk=entity_id).first()
        if entity is None:
            raise ValidationError({"entity": f"Entity {value} is not in this project's register."})
        return _reading(entity)
