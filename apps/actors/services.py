"""Writes of the actor register. A change of an entity's names reaches its mentions: their `normalized` value is
rewritten in one UPDATE (recorded by the annotations' history triggers), and actor spans nobody linked by hand that
now match one of its names are linked to it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.actors.matching import name_key
from apps.actors.models import ActorType, Entity, EntityName
from apps.annotations.models import Annotation
from apps.annotations.services import recorded
from apps.projects.models import Role, TagKind
from apps.projects.selectors import ANNOTATE_ROLES, require_role

NAME_MAX = Entity._meta.get_field("name").max_length


def entity_normalized(entity: Entity) -> dict:
    """The `normalized` value of a span linked to the entity (the shape of issue 11)."""
    return {"kind": "actor", "entity": {"id": entity.pk, "name": entity.name, "type": entity.type or None}}


def entity_id_from(value) -> int | None:
    """An entity id given as a number or its digits (what fits a bigint), else None."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    digits = str(value)
    return int(digits) if digits.isdecimal() and digits.isascii() and len(digits) <= 18 else None


def _clean_name(value, field: str) -> str:
    what = "name" if field == "name" else "alias"
    if not isinstance(value, str):
        raise ValidationError({field: f"Give each {what} as text."})
    name = " ".join(value.split())
    if "\x00" in name:
        raise ValidationError({field: f"The {what} contains a NUL character."})
    if not name:
        raise ValidationError({field: f"An {what} cannot be empty." if what == "alias" else "The name is empty."})
    if len(name) > NAME_MAX:
        raise ValidationError({field: f"A {what} has at most {NAME_MAX} characters ({len(name)} given)."})
    if not name_key(name):
        raise ValidationError({field: f"“{name}” has no letters or digits to match spans by."})
    return name


def _clean_type(value) -> str:
    if value in (None, ""):
        return ""
    if value not in ActorType.values:
        raise ValidationError({"type": f"“{value}” is not an actor type (one of {', '.join(ActorType.values)})."})
    return value


def _clean_aliases(value, name: str) -> list[str]:
    """The aliases, trimmed, each once (by matching key) and without the name itself."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError({"aliases": "Give the aliases as a list of names."})
    seen, aliases = {name_key(name)}, []
    for alias in value:
        alias = _clean_name(alias, "aliases")
        if name_key(alias) not in seen:
            seen.add(name_key(alias))
            aliases.append(alias)
    return aliases


def _names_save(entity: Entity) -> set[str]:
    """Replace the entity's matching keys; ValidationError naming `name` or `aliases` when another entity of the
    project already has one of them. The keys saved."""
    keys = {name_key(entity.name): "name"}
    for alias in entity.aliases:
        keys.setdefault(name_key(alias), "aliases")
    taken = (
        EntityName.objects.filter(project_id=entity.project_id, key__in=keys)
        .exclude(entity_id=entity.pk)
        .select_related("entity")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {keys[taken.key]: f"“{taken.key}” already names “{taken.entity.name}” in this project; merge the two."}
        )
    EntityName.objects.filter(entity_id=entity.pk).delete()
    try:
        with transaction.atomic():  # a concurrent write of the same key loses here
            EntityName.objects.bulk_create(
                EntityName(project_id=entity.project_id, entity_id=entity.pk, key=key) for key in keys
            )
    except IntegrityError:
        raise ValidationError({"name": "Another entity took one of these names meanwhile; try again."}) from None
    return set(keys)


def _mentions_refresh(entity: Entity, *, of: Entity | None = None) -> int:
    """Point the mentions of `of` (by default the entity's own) at the entity with its current name and type."""
    return Annotation.objects.filter(entity_id=(of or entity).pk).update(
        entity_id=entity.pk, normalized=entity_normalized(entity), version=F("version") + 1, modified=timezone.now()
    )


def _mentions_link(entity: Entity, keys: set[str]) -> int:
    """Link the project's unlinked actor spans whose text matches one of `keys` (those set by hand stay as set)."""
    unlinked = Annotation.objects.filter(
        tag__project_id=entity.project_id, tag__kind=TagKind.ACTOR, entity__isnull=True, normalized_by_hand=False
    )
    quotes = [quote for quote in unlinked.values_list("quote", flat=True).distinct() if name_key(quote) in keys]
    if not quotes:
        return 0
    return unlinked.filter(quote__in=quotes).update(
        entity_id=entity.pk, normalized=entity_normalized(entity), version=F("version") + 1, modified=timezone.now()
    )


def entity_insert(*, project_id: int, name, type="", aliases=()) -> Entity:
    """A new entity with its keys, without a role check or linking (for the normalizer, which runs inside an
    annotation update that checked the role)."""
    name = _clean_name(name, "name")
    entity = Entity(project_id=project_id, name=name, type=_clean_type(type), aliases=_clean_aliases(aliases, name))
    try:
        with transaction.atomic():
            entity.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"name": f"“{name}” is already in the project's register."}) from None
    _names_save(entity)
    return entity


@recorded
@transaction.atomic
def entity_create(*, project, user, name, type="", aliases=()) -> Entity:
    """Add an actor to the project's register (annotators and owners) and link the unlinked spans it names."""
    require_role(user, project, ANNOTATE_ROLES)
    entity = entity_insert(project_id=project.pk, name=name, type=type, aliases=aliases)
    _mentions_link(entity, {row.key for row in entity.names.all()})
    return entity


@recorded
@transaction.atomic
def entity_link_unlinked(*, entity: Entity, user) -> int:
    """Link the project's unlinked actor spans that name the entity (after it was made from one span by hand)."""
    require_role(user, entity.project, ANNOTATE_ROLES)
    return _mentions_link(entity, set(EntityName.objects.filter(entity=entity).values_list("key", flat=True)))


def _locked(entity: Entity) -> Entity:
    return Entity.objects.select_for_update().get(pk=entity.pk)


@recorded
@transaction.atomic
def entity_update(*, entity: Entity, user, name=None, type=None, aliases=None) -> Entity:
    """Rename, retype or change the aliases (annotators and owners); its mentions follow, and spans that now match
    one of its names are linked."""
    require_role(user, entity.project, ANNOTATE_ROLES)
    current = _locked(entity)
    shown_before = (current.name, current.type)
    if name is not None:
        current.name = _clean_name(name, "name")
    if type is not None:
        current.type = _clean_type(type)
    current.aliases = _clean_aliases(current.aliases if aliases is None else aliases, current.name)
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ValidationError({"name": f"“{current.name}” is already in the project's register."}) from None
    keys = _names_save(current)
    if (current.name, current.type) != shown_before:
        _mentions_refresh(current)
    _mentions_link(current, keys)
    return current


def _require_owner(user, entity: Entity) -> None:
    if require_role(user, entity.project, ANNOTATE_ROLES).role != Role.OWNER:
        raise PermissionDenied("Only a project owner can delete or merge entities.")


@recorded
@transaction.atomic
def entity_delete(*, entity: Entity, user) -> None:
    """Remove an entity (owners); its mentions become unresolved."""
    _require_owner(user, entity)
    current = _locked(entity)
    Annotation.objects.filter(entity_id=current.pk).update(
        entity_id=None, normalized=None, normalized_by_hand=False, version=F("version") + 1, modified=timezone.now()
    )
    current.delete()


@recorded
@transaction.atomic
def entity_merge(*, entity: Entity, into, user) -> Entity:
    """Merge `entity` into `into` (owners): its name and aliases become aliases of `into`, its mentions link to
    `into`, and it is deleted. `into` is an Entity or an id of the same project."""
    _require_owner(user, entity)
    into_id = into.pk if isinstance(into, Entity) else entity_id_from(into)
    if into_id is None:
        raise ValidationError({"into": f"“{into}” is not an entity id."})
    if into_id == entity.pk:
        raise ValidationError({"into": "An entity cannot be merged into itself."})
    locked = Entity.objects.select_for_update().filter(pk__in=[entity.pk, into_id]).order_by("pk")
    both = {row.pk: row for row in locked}
    kept, merged = both.get(into_id), both.get(entity.pk)
    if merged is None:
        raise ValidationError({"entity": "This entity was deleted meanwhile."})
    if kept is None or kept.project_id != merged.project_id:
        raise ValidationError({"into": f"Entity {into_id} is not in this project's register."})
    kept.aliases = _clean_aliases([*kept.aliases, merged.name, *merged.aliases], kept.name)
    kept.save()
    EntityName.objects.filter(entity_id=merged.pk).delete()
    keys = _names_save(kept)
    _mentions_refresh(kept, of=merged)
    merged.delete()
    _mentions_link(kept, keys)
    return kept
