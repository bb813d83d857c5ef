from apps.annotations.models import Annotation
from apps.reader.selectors import PANEL_LIMIT_PER_TAG, annotation_panel
from tests.factories import DocumentFactory


def test_a_writes_list_groups_match_the_whole_lists(project):
    """The one or two groups a write redraws (a query per tag) equal those of the whole list (one window query)."""
    text = " ".join(f"w{n:03d}" for n in range(300))
    document = DocumentFactory(project=project, text=text)
    tags = list(project.tags.order_by("position"))
    Annotation.objects.bulk_create(
        Annotation(
            document=document,
            tag=tags[n % 2] if n % 7 else tags[2],
            start=5 * n,
            end=5 * n + 4,
            quote=text[5 * n : 5 * n + 4],
            note="x" if n % 5 == 0 else "",
            annotator=project.created_by,
        )
        for n in reversed(range(300))
    )
    whole = {group.tag.id: group for group in annotation_panel(document, tags)}
    for changed in ([tags[0]], [tags[1], tags[2]]):
        for group in annotation_panel(document, changed):
            assert (group.count, group.annotations) == (whole[group.tag.id].count, whole[group.tag.id].annotations)
    first = whole[tags[0].id]
    assert len(first.annotations) == PANEL_LIMIT_PER_TAG < first.count
    assert [entry["short_quote"] for entry in first.annotations[:2]] == ["w002", "w004"]
