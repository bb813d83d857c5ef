"""Writes for curation: the automatic merge and a curator's decision at a place. Both check the caller's role, lock
the document's row (so two curators' writes to one document take turns) and write atomically."""

from dataclasses import dataclass

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.annotations.models import Annotation
from apps.curation.models import Decision
from apps.curation.places import Place, Span, Strategy, overlaps, places
from apps.curation.selectors import annotator_spans
from apps.documents.models import Document
from apps.projects.selectors import CURATE_ROLES, require_role


@dataclass(frozen=True)
class MergeResult:
    merged: int  # places whose agreed version went into the curated layer
    left: int  # places left for a curator
    kept: int  # places a curator had decided, left as they were

    def as_dict(self) -> dict:
        return {"merged": self.merged, "left": self.left, "kept": self.kept}


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().only("id", "project_id", "text").get(pk=document.pk)


def _copies(place: Place, spans: list[Span], sources: dict[int, Annotation], user) -> list[Annotation]:
    """Curated copies of `spans` (one annotator's version at the place), each naming every span of its shape."""
    copies = []
    for span in spans:
        source = sources[span.id]
        copies.append(
            Annotation(
                document_id=source.document_id,
                tag_id=source.tag_id,
                start=span.start,
                end=span.end,
                quote=source.quote,
                note=source.note,
                annotator=user,
                origin=source.origin,
                normalized=source.normalized,
                normalized_by_hand=source.normalized_by_hand,
                place_id=source.place_id,
                entity_id=source.entity_id,
                curated=True,
                curated_from=place.sources(span.shape),
            )
        )
    return copies


def _sources(document: Document) -> dict[int, Annotation]:
    return {a.pk: a for a in Annotation.objects.filter(document=document, curated=False)}


@transaction.atomic
def curation_merge(*, document: Document, user, strategy: str, minimum: int | None = None, overwrite: bool = False):
    """Take into the curated layer the version the strategy agrees on at each place: `all` annotators, a
    `majority`, or at least `minimum` of them. Places a curator decided stay as they are unless `overwrite`; the
    merge's own earlier results are recomputed."""
    require_role(user, document.project, CURATE_ROLES)
    if strategy not in Strategy.__members__.values():
        raise ValidationError({"strategy": f"Choose one of: {', '.join(Strategy)}."})
    if strategy == Strategy.MIN and (minimum is None or minimum < 1):
        raise ValidationError({"min": "The min strategy needs min, a whole number of annotators (1 or more)."})
    document = _locked(document)
    spans = annotator_spans(document)
    annotators = sorted({span.annotator for span in spans})
    sources = _sources(document)
    decisions = list(Decision.objects.filter(document=document))
    curated = list(Annotation.objects.filter(document=document, curated=True).values_list("id", "start", "end"))
    merged = left = kept = 0
    new, stale_curated, stale_decisions = [], set(), set()
    for place in places(spans):
        decided = [d.pk for d in decisions if overlaps(d.start, d.end, place.start, place.end)]
        if decided and not overwrite:
            kept += 1
            continue
        stale_decisions.update(decided)
        stale_curated.update(pk for pk, start, end in curated if overlaps(start, end, place.start, place.end))
        version = place.merged(annotators, Strategy(strategy), minimum or 1)
        if version is None:
            left += 1
            continue
        holder = next(name for name in annotators if place.version_of(name) == version)
        new += _copies(place, place.spans_of(holder), sources, user)
        merged += 1
    with pghistory.context(user=user.pk):
        Annotation.objects.filter(pk__in=stale_curated).delete()
        Decision.objects.filter(pk__in=stale_decisions).delete()
        Annotation.objects.bulk_create(new)
    return MergeResult(merged, left, kept)


def _offset(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError({name: f"{name} must be a whole number."}) from error


@transaction.atomic
def curation_decide(*, document: Document, user, start, end, take) -> Decision:
    """Record a curator's choice at [start, end): `take` (an annotator's annotation there) brings that annotator's
    whole version of the place into the curated layer; None rejects every version. It replaces what the curated
    layer and earlier decisions held there."""
    require_role(user, document.project, CURATE_ROLES)
    start, end = _offset(start, "start"), _offset(end, "end")
    document = _locked(document)
    length = len(document.text)
    if start < 0:
        raise ValidationError({"start": f"start must be 0 or more (got {start})."})
    if end > length:
        raise ValidationError({"end": f"end {end} is past the end of the text ({length} characters)."})
    if start >= end:
        raise ValidationError({"end": f"end ({end}) must be greater than start ({start})."})
    taken = None
    if take is not None:
        take = _offset(take, "take")
        taken = Annotation.objects.filter(document=document, curated=False, pk=take).first()
        if taken is None or not overlaps(taken.start, taken.end, start, end):
            raise ValidationError({"take": f"No annotator's annotation {take} in this document at {start}–{end}."})
    spans = annotator_spans(document)
    here = [span for span in spans if overlaps(span.start, span.end, start, end)]
    place = Place(min([start, *(s.start for s in here)]), max([end, *(s.end for s in here)]), here)
    new = []
    if taken is not None:
        new = _copies(place, place.spans_of(taken.annotator.username), _sources(document), user)
    with pghistory.context(user=user.pk):
        Annotation.objects.filter(document=document, curated=True, start__lt=place.end, end__gt=place.start).delete()
        Decision.objects.filter(document=document, start__lt=place.end, end__gt=place.start).delete()
        Annotation.objects.bulk_create(new)
        return Decision.objects.create(
            document=document,
            start=place.start,
            end=place.end,
            curator=user,
            taken_from=taken.annotator if taken else None,
        )
