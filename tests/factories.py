import factory

from apps.accounts.models import User
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.projects.models import Membership, Project, Role
from apps.projects.services import default_tags_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"analyst{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project with the default tag set (actor, location, quantity) and its creator as owner."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Project {n}")
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def setup(obj, create, extracted, **kwargs):
        if not create:
            return
        Membership.objects.create(project=obj, user=obj.created_by, role=Role.OWNER)
        default_tags_create(obj)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANNOTATOR


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    text = factory.Sequence(lambda n: f"Report number {n}.\n\nSecond paragraph of report {n}.")
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.text))
    imported_by = factory.LazyAttribute(lambda o: o.project.created_by)


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    document = factory.SubFactory(DocumentFactory)
    start = 0
    end = 6
    quote = factory.LazyAttribute(lambda o: o.document.text[o.start : o.end])
    tag = factory.LazyAttribute(lambda o: o.document.project.tags.get(slug="actor"))
    annotator = factory.LazyAttribute(lambda o: o.document.project.created_by)
