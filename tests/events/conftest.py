import datetime

import pytest

from apps.actors.models import ActorType, Entity
from apps.annotations.models import Annotation
from apps.places.models import Place, PlaceSource
from tests.factories import AnnotationFactory, DocumentFactory

REPORT = (
    "Baghuz, 12 March 2019. The SDF advanced on Baghuz and killed 38 IS fighters, the SDF said. "
    "Three SDF fighters were killed and 10 wounded. The coalition carried out 20 air strikes."
)


def span(document, quote, tag, user=None, nth=0):
    """An annotation of the nth occurrence of `quote` in the document."""
    start = -1
    for _ in range(nth + 1):
        start = document.text.index(quote, start + 1)
    return AnnotationFactory(
        document=document,
        start=start,
        end=start + len(quote),
        tag=document.project.tags.get(slug=tag),
        annotator=user or document.project.created_by,
    )


@pytest.fixture
def report(project):
    return DocumentFactory(project=project, title="Baghuz report", text=REPORT, published=datetime.date(2019, 3, 12))


@pytest.fixture
def spans(report, annotator):
    """The report's spans, resolved as the normalizers of issue 11 would leave them."""
    sdf = Entity.objects.create(project=report.project, name="Syrian Democratic Forces", type=ActorType.REBEL_GROUPS)
    isis = Entity.objects.create(project=report.project, name="Islamic State", type=ActorType.REBEL_GROUPS)
    baghuz = Place.objects.create(
        project=report.project, source=PlaceSource.PROJECT, name="Baghuz", latitude=34.46, longitude=40.94,
        country_code="SY", admin1="Deir ez-Zor",
    )  # fmt: skip
    found = {
        "sdf": span(report, "SDF", "actor", annotator),
        "is": span(report, "IS fighters", "actor", annotator),
        "baghuz": span(report, "Baghuz", "location", annotator, nth=1),
        "killed": span(report, "38", "quantity", annotator),
        "strikes": span(report, "20 air strikes", "quantity", annotator),
    }
    Annotation.objects.filter(pk=found["sdf"].pk).update(
        entity=sdf, normalized={"kind": "actor", "entity": {"id": sdf.pk, "name": sdf.name, "type": sdf.type}}
    )
    Annotation.objects.filter(pk=found["is"].pk).update(
        entity=isis, normalized={"kind": "actor", "entity": {"id": isis.pk, "name": isis.name, "type": isis.type}}
    )
    Annotation.objects.filter(pk=found["baghuz"].pk).update(
        place=baghuz,
        normalized={"kind": "place", "place": {"id": baghuz.pk, "name": "Baghuz"}, "precision": 1},
    )
    Annotation.objects.filter(pk=found["killed"].pk).update(
        normalized={"kind": "quantity", "low": 38, "best": 38, "high": 38, "qualifier": "exactly", "unit": None,
                    "counted": "fighters", "conservative": 38},
    )  # fmt: skip
    found["entities"] = {"sdf": sdf, "is": isis}
    found["place"] = baghuz
    return found


@pytest.fixture
def clash(report, spans):
    """The POST body of the SDF advance on Baghuz."""
    return {
        "document": report.pk,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": spans["sdf"].pk,
        "actor2": spans["is"].pk,
        "location": spans["baghuz"].pk,
        "fatalities": spans["killed"].pk,
        "notes": "SDF advance on Baghuz.",
    }
