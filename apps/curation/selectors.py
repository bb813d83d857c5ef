"""Reads for curation: a document's places with every annotator's version, the curated layer and the decisions."""

from dataclasses import dataclass

from django.db.models import QuerySet

from apps.annotations.models import Annotation
from apps.curation.models import Decision
from apps.curation.places import Place, Span, State, overlaps, places
from apps.documents.models import Document


def annotator_spans(document: Document) -> list[Span]:
    """The annotators' spans of the document (not the curated layer)."""
    rows = Annotation.objects.filter(document=document, curated=False).values_list(
        "id", "start", "end", "tag__slug", "annotator__username", "quote"
    )
    return [Span(*row) for row in rows]


def curated_annotations(document: Document) -> QuerySet[Annotation]:
    return Annotation.objects.filter(document=document, curated=True).select_related("tag")


STATE_LABELS = {
    State.AGREE: "all agree",
    State.DISAGREE: "annotators disagree",
    State.SINGLE: "one annotator only",
    State.CURATED: "curated",
}


@dataclass
class CurationPlace:
    """A place with what the curation view shows of it."""

    index: int
    place: Place
    state: State
    versions: list[tuple[int, str, list[Span]]]  # (k, annotator, their spans here), k from 1
    curated: list[Annotation]
    decision: Decision | None
    agreed_take: int | None  # an annotation id of the version Enter accepts
    agreed_by: list[str]  # the annotators who hold that version

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Curation:
    annotators: list[str]
    places: list[CurationPlace]

    @property
    def counts(self) -> dict[str, int]:
        """How many places are in each state."""
        return {state.value: sum(1 for item in self.places if item.state == state) for state in State}


def document_curation(document: Document) -> Curation:
    """Every place of the document with its state, in three queries."""
    spans = annotator_spans(document)
    annotators = sorted({span.annotator for span in spans})
    curated = list(curated_annotations(document))
    decisions = list(Decision.objects.filter(document=document).select_related("curator"))
    items = []
    for index, place in enumerate(places(spans)):
        here = [a for a in curated if overlaps(a.start, a.end, place.start, place.end)]
        decision = next((d for d in decisions if overlaps(d.start, d.end, place.start, place.end)), None)
        state = State.CURATED if here or decision else place.state(annotators)
        agreed = place.agreed(annotators)
        agreed_take, agreed_by = None, []
        if agreed is not None:
            agreed_by = [name for name in annotators if place.version_of(name) == agreed[0]]
            agreed_take = place.spans_of(agreed_by[0])[0].id
        versions = [(k, name, place.spans_of(name)) for k, name in enumerate(annotators, start=1)]
        items.append(CurationPlace(index, place, state, versions, here, decision, agreed_take, agreed_by))
    return Curation(annotators, items)
