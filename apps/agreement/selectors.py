"""Reads for the agreement report: a fixed number of queries whatever the counts, then the arithmetic in metrics."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from apps.accounts.models import User
from apps.agreement import metrics
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.projects.models import Membership, Project
from apps.projects.selectors import tags_for_project


def annotators_in_project(project: Project) -> list[str]:
    """Usernames of the project's members who annotated any of its documents, alphabetically."""
    annotated = Annotation.objects.filter(annotator=OuterRef("pk"), document__project=project, curated=False)
    return list(
        User.objects.filter(memberships__project=project)
        .filter(Exists(annotated))
        .order_by("username")
        .values_list("username", flat=True)
    )


def annotated_documents(project: Project) -> list[tuple[int, str]]:
    """(id, title) of the project's documents that have annotations, by title."""
    annotated = Annotation.objects.filter(document=OuterRef("pk"), curated=False)
    return list(
        Document.objects.filter(project=project)
        .filter(Exists(annotated))
        .order_by("title", "id")
        .values_list("id", "title")
    )


CURATED_LAYER = "curated layer"  # a name no username can take (usernames hold no spaces)


def validated_choice(
    project: Project, usernames: Sequence[str], document_id: int | None, against_curated: bool = False
) -> list[str]:
    """The distinct usernames in order, after checking they are two or more members (one is enough against the
    curated layer) and that the document (if any) is in the project; a ValidationError names each bad field."""
    names = list(dict.fromkeys(name.strip() for name in usernames if name.strip()))
    errors = {}
    if len(names) < (1 if against_curated else 2):
        errors["annotators"] = [
            "Choose at least one annotator." if against_curated else "Choose at least two annotators."
        ]
    else:
        members = set(
            Membership.objects.filter(project=project, user__username__in=names).values_list(
                "user__username", flat=True
            )
        )
        strangers = [name for name in names if name not in members]
        if strangers:
            errors["annotators"] = [f"Not a member of this project: {', '.join(strangers)}."]
    if document_id is not None and not Document.objects.filter(project=project, pk=document_id).exists():
        errors["document"] = ["No such document in this project."]
    if errors:
        raise ValidationError(errors)
    return names


def project_agreement(
    project: Project, usernames: Sequence[str], document_id: int | None = None, against_curated: bool = False
) -> metrics.Report:
    """Agreement of the (validated) annotators over the project's documents, or just one, that they all annotated;
    `against_curated` compares each of them with the curated layer instead of with one another."""
    annotations = Annotation.objects.filter(document__project=project, annotator__username__in=usernames, curated=False)
    if document_id is not None:
        annotations = annotations.filter(document_id=document_id)
    if against_curated:
        annotations = annotations | Annotation.objects.filter(document__project=project, curated=True)
        if document_id is not None:
            annotations = annotations.filter(document_id=document_id)
    names = [CURATED_LAYER, *usernames] if against_curated else list(usernames)
    spans_by_annotator: dict[str, list[metrics.Span]] = {name: [] for name in names}
    for pk, document, start, end, quote, tag, annotator, curated in annotations.values_list(
        "id", "document_id", "start", "end", "quote", "tag__slug", "annotator__username", "curated"
    ):
        name = CURATED_LAYER if curated else annotator
        spans_by_annotator[name].append(metrics.Span(document, start, end, tag, name, pk, quote))
    shared = metrics.shared_documents(spans_by_annotator)
    texts = dict(Document.objects.filter(pk__in=shared).values_list("id", "text")) if shared else {}
    tag_order = list(tags_for_project(project).values_list("slug", flat=True))
    return metrics.agreement(spans_by_annotator, texts, tag_order, CURATED_LAYER if against_curated else None)
