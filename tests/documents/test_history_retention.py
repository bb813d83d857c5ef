"""An annotation's history lives as long as its document: it goes with the document or the project."""

from apps.annotations import services as annotation_services
from apps.annotations.models import AnnotationChange
from apps.documents.services import document_delete
from apps.projects.services import project_delete
from tests.factories import AnnotationFactory, DocumentFactory


def history_of(document_id):
    return AnnotationChange.objects.filter(document_id=document_id)


def test_deleting_a_project_deletes_its_annotations_history(project, owner, document, outsider):
    annotation = annotation_services.annotation_create(document=document, user=owner, start=0, end=5, tag="actor")
    annotation_services.annotation_update(annotation=annotation, user=owner, version=1, note="checked")
    elsewhere = AnnotationFactory(document=DocumentFactory(project=outsider.projects.get()))
    assert history_of(document.pk).count() == 2

    project_delete(project=project, user=owner, confirm_name=project.name)

    assert not history_of(document.pk).exists()
    assert history_of(elsewhere.document_id).count() == 1


def test_deleting_a_document_deletes_its_annotations_history(project, owner, document):
    other = DocumentFactory(project=project)
    annotation_services.annotation_create(document=document, user=owner, start=0, end=5, tag="actor")
    AnnotationFactory(document=other)

    document_delete(document=document, user=owner)

    assert not history_of(document.pk).exists()
    assert history_of(other.pk).count() == 1
