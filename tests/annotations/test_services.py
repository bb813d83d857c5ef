import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.annotations import services
from apps.annotations.models import Annotation
from tests.factories import AnnotationFactory

TEXT_START = "About 3,000 people"


def create(document, user, **kwargs):
    values = {"start": 6, "end": 18, "tag": "quantity"} | kwargs
    return services.annotation_create(document=document, user=user, **values)


def test_create_stores_the_quote(document, annotator):
    annotation = create(document, annotator, quote="3,000 people", note="about")
    assert (annotation.start, annotation.end, annotation.quote, annotation.tag.slug) == (
        6,
        18,
        "3,000 people",
        "quantity",
    )
    assert (annotation.annotator, annotation.note, annotation.version) == (annotator, "about", 1)


def test_create_trims_surrounding_whitespace(document, annotator):
    annotation = create(document, annotator, start=5, end=19, quote=" 3,000 people ")
    assert (annotation.start, annotation.end, annotation.quote) == (6, 18, "3,000 people")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"start": 6, "end": 6}, "end"),
        ({"start": 10, "end": 6}, "end"),
        ({"start": -1, "end": 6}, "start"),
        ({"start": 0, "end": 10_000}, "end"),
        ({"start": "six", "end": 18}, "start"),
        ({"quote": "3,000 persons"}, "quote"),
        ({"start": 5, "end": 6}, "quote"),  # only a space
        ({"tag": "weapon"}, "tag"),
    ],
)
def test_bad_spans_name_the_field_and_change_nothing(document, annotator, values, field):
    with pytest.raises(ValidationError) as raised:
        create(document, annotator, **values)
    assert field in raised.value.message_dict
    assert not Annotation.objects.exists()


def test_a_tag_of_another_project_is_refused(document, annotator, outsider):
    foreign_tag = outsider.projects.get().tags.get(slug="actor")
    with pytest.raises(ValidationError) as raised:
        create(document, annotator, tag=foreign_tag)
    assert "tag" in raised.value.message_dict


def test_viewers_and_outsiders_cannot_annotate(document, viewer, outsider):
    with pytest.raises(PermissionDenied):
        create(document, viewer)
    with pytest.raises(ValidationError) as raised:  # as if it did not exist: no hint that it does
        create(document, outsider)
    assert raised.value.message_dict == {
        "document": [f"Document {document.pk} does not exist or is not in one of your projects."]
    }
    assert not Annotation.objects.exists()


def test_offsets_count_code_points_not_utf16_units(project, owner):
    from apps.documents.services import document_create

    text = "👩🏽‍🚒 Amira (أميرة) met 李明 at e\u0301cole."
    document = document_create(project=project, user=owner, title="Unicode", text=text)
    for needle in ["Amira", "أميرة", "李明", "e\u0301cole", "👩🏽‍🚒"]:
        start = text.index(needle)
        annotation = services.annotation_create(
            document=document, user=owner, start=start, end=start + len(needle), tag="actor", quote=needle
        )
        assert annotation.quote == needle


def test_update_retags_and_notes_and_bumps_the_version(document, annotator):
    annotation = create(document, annotator)
    updated = services.annotation_update(annotation=annotation, user=annotator, version=1, tag="actor", note="n")
    assert (updated.tag.slug, updated.note, updated.version) == ("actor", "n", 2)


def test_a_stale_update_is_refused_and_the_winner_kept(document, annotator):
    annotation = create(document, annotator)
    services.annotation_update(annotation=annotation, user=annotator, version=1, note="first")
    with pytest.raises(services.AnnotationConflict) as raised:
        services.annotation_update(annotation=annotation, user=annotator, version=1, note="second")
    assert raised.value.current.note == "first"
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("first", 2)


def test_a_stale_delete_is_refused(document, annotator):
    annotation = create(document, annotator)
    services.annotation_update(annotation=annotation, user=annotator, version=1, note="first")
    with pytest.raises(services.AnnotationConflict):
        services.annotation_delete(annotation=annotation, user=annotator, version=1)
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_annotators_change_only_their_own_owners_any(document, annotator, owner, user_factory):
    from apps.projects.models import Role
    from apps.projects.services import membership_set

    colleague = user_factory()
    membership_set(project=document.project, user=colleague, role=Role.ANNOTATOR)
    annotation = create(document, annotator)
    with pytest.raises(PermissionDenied):
        services.annotation_update(annotation=annotation, user=colleague, version=1, note="mine now")
    with pytest.raises(PermissionDenied):
        services.annotation_delete(annotation=annotation, user=colleague)
    services.annotation_update(annotation=annotation, user=owner, version=1, note="checked")
    services.annotation_delete(annotation=annotation, user=owner)
    assert not Annotation.objects.exists()


def test_tag_all_occurrences_matches_whole_words_and_skips_tagged_ones(project, owner):
    from apps.documents.services import document_create

    text = "IS fighters left. ISIS is not IS. This IS it. IS"
    document = document_create(project=project, user=owner, title="t", text=text)
    first = services.annotation_create(document=document, user=owner, start=0, end=2, tag="actor")
    assert services.occurrences_untagged(first) == [(30, 32), (39, 41), (46, 48)]
    AnnotationFactory(document=document, start=39, end=41, tag=project.tags.get(slug="actor"))
    created = services.annotation_tag_occurrences(annotation=first, user=owner)
    assert sorted((a.start, a.end) for a in created) == [(30, 32), (46, 48)]
    assert all(text[a.start : a.end] == "IS" for a in Annotation.objects.all())
    assert services.occurrences_untagged(first) == []
