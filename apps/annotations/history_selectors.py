"""Reads of the annotation history that the database triggers keep (see AnnotationChange). Callers check access."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404

from apps.annotations.models import Annotation, AnnotationChange
from apps.documents.models import Document
from apps.projects.models import Project, Tag
from apps.projects.selectors import projects_visible_to

HISTORY_FIELDS = ("tag", "note", "start", "end", "quote", "version")
UPDATE_ACTIONS = {"tag": "retagged", "note": "note edited", "start": "moved", "end": "moved"}
# The normalised value (a quantity's reading, a place, an entity) is listed when it changes, and on a create or delete
# when there is one; a change of it alone is named by who made it: a person, or the automatic reading.
DELETED_LIMIT = 200
_NORMALIZED_ACTIONS = {True: "value set by hand", False: "value read automatically"}


def _named_changes(changes: QuerySet[AnnotationChange]) -> QuerySet[AnnotationChange]:
    """Changes with the usernames of who made them and of the annotator, and their tag's slug and label, in the
    same query (a tag or user may be gone since, so these are looked up rather than joined)."""

    def username(field):
        return Subquery(get_user_model().objects.filter(pk=OuterRef(field)).values("username")[:1])

    def tag(field):
        return Subquery(Tag.objects.filter(pk=OuterRef("tag_id")).values(field)[:1])

    return changes.annotate(
        who_id=Cast(KeyTextTransform("user", "pgh_context__metadata"), BigIntegerField()),
        who=username("who_id"),
        context_action=KeyTextTransform("action", "pgh_context__metadata"),
        annotator_name=username("annotator_id"),
        tag_slug=tag("slug"),
        tag_label=tag("label"),
    )


def _value(change: AnnotationChange, field: str):
    if field == "tag":
        return change.tag_slug or f"tag {change.tag_id}"
    return getattr(change, field)


def _history_entries(changes) -> dict[int, list[dict]]:
    """Each annotation's entries, from its changes in order: every change is a full snapshot, so what changed is
    the difference from the one before."""
    histories: dict[int, list[dict]] = defaultdict(list)
    previous: dict[int, AnnotationChange] = {}
    for change in changes:
        before = previous.get(change.pgh_obj_id)
        previous[change.pgh_obj_id] = change
        if change.pgh_label == "snapshot":  # the state when history began
            continue
        if change.pgh_label == "delete":
            action, diff = "deleted", {field: [_value(change, field), None] for field in HISTORY_FIELDS}
            if change.normalized is not None:
                diff["normalized"] = [change.normalized, None]
        elif change.pgh_label == "create" or before is None:
            restored = before is not None or change.context_action == "restore"
            action = {"create": "restored" if restored else "created"}.get(change.pgh_label, "edited")
            diff = {field: [None, _value(change, field)] for field in HISTORY_FIELDS}
            if change.normalized is not None:
                diff["normalized"] = [None, change.normalized]
        else:
            diff = {
                field: [_value(before, field), _value(change, field)]
                for field in (*HISTORY_FIELDS, "normalized")
                if _value(before, field) != _value(change, field)
            }
            actions = dict.fromkeys(UPDATE_ACTIONS[field] for field in diff if field in UPDATE_ACTIONS)
            if change.normalized_by_hand != before.normalized_by_hand or ("normalized" in diff and not actions):
                actions[_NORMALIZED_ACTIONS[change.normalized_by_hand]] = None
            action = ", ".join(actions) or "edited"
        # A create made outside any context (raw SQL, a script) is the annotator's own.
        who = change.who or (change.annotator_name if change.pgh_label == "create" else None)
        histories[change.pgh_obj_id].append(
            {"id": change.pgh_id, "when": change.pgh_created_at, "who": who, "action": action, "changes": diff}
        )
    return histories


def annotation_history(annotation_id: int) -> list[dict]:
    """An annotation's changes in time order: {id, when, who (username), action, changes: {field: [before, after]}};
    one query."""
    changes = _named_changes(AnnotationChange.objects.filter(pgh_obj_id=annotation_id)).order_by("pgh_id")
    return _history_entries(changes)[annotation_id]


@dataclass
class DeletedAnnotation:
    deletion: AnnotationChange
    history: list


def _deleted(annotations: QuerySet[Annotation], changes: QuerySet[AnnotationChange]) -> list[DeletedAnnotation]:
    # A curated copy is the curation's to undo (a re-merge or a decision), not a restore: it is left out.
    latest = (
        changes.filter(pgh_label="delete", curated=False)
        .exclude(pgh_obj_id__in=annotations.values("pk"))
        .order_by("pgh_obj_id", "-pgh_id")
        .distinct("pgh_obj_id")
        .values("pgh_id")
    )
    deletions = list(
        _named_changes(AnnotationChange.objects.filter(pgh_id__in=latest))
        .select_related("document")
        .defer("document__text", "document__search_vector")
        .order_by("-pgh_id")[:DELETED_LIMIT]
    )
    changes = _named_changes(AnnotationChange.objects.filter(pgh_obj_id__in=[d.pgh_obj_id for d in deletions]))
    histories = _history_entries(changes.order_by("pgh_id"))
    return [DeletedAnnotation(deletion, histories[deletion.pgh_obj_id]) for deletion in deletions]


def deleted_annotations(document: Document) -> list[DeletedAnnotation]:
    """The document's deleted (and not restored) annotations, last deleted first (at most DELETED_LIMIT), each with
    its history (`deletion.who` deleted it at `deletion.pgh_created_at`); two queries."""
    return _deleted(Annotation.objects.filter(document=document), AnnotationChange.objects.filter(document=document))


def deleted_annotations_in_project(project: Project) -> list[DeletedAnnotation]:
    """The same for every document of the project (documents deleted since take their annotations' trail along
    from this list: their changes no longer join a document of the project)."""
    return _deleted(
        Annotation.objects.filter(document__project=project),
        AnnotationChange.objects.filter(document__project=project),
    )


def history_for_member(user, annotation_id: int) -> list[dict]:
    """The history of an annotation, present or deleted, when the user may see its project; else 404."""
    visible = AnnotationChange.objects.filter(pgh_obj_id=annotation_id, document__project__in=projects_visible_to(user))
    if not visible.exists():
        raise Http404("No such annotation.")
    return annotation_history(annotation_id)


def last_changed_by(annotation_id: int) -> str | None:
    """The username of whoever made the annotation's last recorded change (None when made outside Lector)."""
    last = _named_changes(AnnotationChange.objects.filter(pgh_obj_id=annotation_id)).order_by("-pgh_id").first()
    return None if last is None else last.who
