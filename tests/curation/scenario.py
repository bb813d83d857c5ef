"""Three annotators' layers on one document, the scenario every curation test starts from:
- "SDF": all three tag actor (they agree);
- "Baghuz": a and c say location, b actor (two of three agree);
- "ISIS": only a tags it;
- "Hundreds": a tags the word, b "Hundreds surrendered" (c nothing: no version leads);
- "March": a actor, b location, c quantity (all differ).
And their events of 12 March 2019 (two event places, by date and actor1 span):
- at "SDF": ana and cleo code the same armed clash (actor1 SDF, location Baghuz), ben an air strike by SDF on Baghuz
  (actor2): two of three agree;
- at "ISIS": only ana codes an attack by ISIS."""

import datetime
from dataclasses import dataclass

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.events.models import Event
from apps.events.services import event_create
from apps.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, MembershipFactory, UserFactory

TEXT = "SDF fighters took Baghuz from ISIS in March.\n\nHundreds surrendered near the river."


@dataclass
class Scenario:
    document: Document
    annotators: dict  # name -> user
    curator: object
    spans: dict  # (name, quote) -> Annotation
    events: dict  # (name, actor1 quote) -> Event

    def at(self, quote: str) -> tuple[int, int]:
        start = self.document.text.index(quote)
        return start, start + len(quote)


def tag(document, user, quote, slug) -> Annotation:
    start = document.text.index(quote)
    return AnnotationFactory(
        document=document, annotator=user, start=start, end=start + len(quote), tag=document.project.tags.get(slug=slug)
    )


def build_scenario(project) -> Scenario:
    """The scenario in `project`."""
    document = DocumentFactory(project=project, title="Baghuz, 12 March", text=TEXT)
    users = {}
    for name in ("ana", "ben", "cleo"):
        users[name] = UserFactory(username=name)
        MembershipFactory(project=project, user=users[name], role=Role.ANNOTATOR)
    curator = UserFactory(username="cura")
    MembershipFactory(project=project, user=curator, role=Role.CURATOR)
    plan = [
        ("ana", "SDF", "actor"), ("ben", "SDF", "actor"), ("cleo", "SDF", "actor"),
        ("ana", "Baghuz", "location"), ("ben", "Baghuz", "actor"), ("cleo", "Baghuz", "location"),
        ("ana", "ISIS", "actor"),
        ("ana", "Hundreds", "quantity"), ("ben", "Hundreds surrendered", "quantity"),
        ("ana", "March", "actor"), ("ben", "March", "location"), ("cleo", "March", "quantity"),
    ]  # fmt: skip
    spans = {(name, quote): tag(document, users[name], quote, slug) for name, quote, slug in plan}
    clash = {"event_type": "Battles", "sub_event_type": "Armed clash"}
    strike = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
    attack = {"event_type": "Violence against civilians", "sub_event_type": "Attack"}
    events_plan = [
        ("ana", "SDF", clash, {"location": ("ana", "Baghuz")}),
        ("ben", "SDF", strike, {"actor2": ("ben", "Baghuz")}),
        ("cleo", "SDF", clash, {"location": ("cleo", "Baghuz")}),
        ("ana", "ISIS", attack, {}),
    ]
    events = {}
    for name, actor1, kind, slots in events_plan:
        events[(name, actor1)] = event_create(
            user=users[name],
            document=document,
            date=EVENT_DATE,
            actor1=spans[(name, actor1)].pk,
            **kind,
            **{slot: spans[key].pk for slot, key in slots.items()},
        )
    return Scenario(document, users, curator, spans, events)


EVENT_DATE = datetime.date(2019, 3, 12)


def curated(document) -> list[tuple[str, str]]:
    """The curated layer as (quote, tag) in text order."""
    return list(
        Annotation.objects.filter(document=document, curated=True)
        .order_by("start", "end")
        .values_list("quote", "tag__slug")
    )


def curated_events(document) -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
    """The curated events as (type, sub-type, [(slot, quote, whether the slot's span is curated)]), by id."""
    return [
        (
            event.event_type,
            event.sub_event_type,
            [(slot.slot, slot.annotation.quote, slot.annotation.curated) for slot in event.slots.all()],
        )
        for event in Event.objects.filter(document=document, curated=True)
        .order_by("id")
        .prefetch_related("slots__annotation")
    ]
