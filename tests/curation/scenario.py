"""Three annotators' layers on one document, the scenario every curation test starts from:
- "SDF": all three tag actor (they agree);
- "Baghuz": a and c say location, b actor (two of three agree);
- "ISIS": only a tags it;
- "Hundreds": a tags the word, b "Hundreds surrendered" (c nothing: no version leads);
- "March": a actor, b location, c quantity (all differ)."""

from dataclasses import dataclass

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, MembershipFactory, UserFactory

TEXT = "SDF fighters took Baghuz from ISIS in March.\n\nHundreds surrendered near the river."


@dataclass
class Scenario:
    document: Document
    annotators: dict  # name -> user
    curator: object
    spans: dict  # (name, quote) -> Annotation

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
    return Scenario(document, users, curator, spans)


def curated(document) -> list[tuple[str, str]]:
    """The curated layer as (quote, tag) in text order."""
    return list(
        Annotation.objects.filter(document=document, curated=True)
        .order_by("start", "end")
        .values_list("quote", "tag__slug")
    )
