import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.actors import services
from apps.actors.models import ActorType, Entity
from apps.annotations import services as annotation_services
from apps.annotations.models import Annotation, AnnotationChange
from tests.factories import DocumentFactory, ProjectFactory

TEXT = (
    "The SDF said the Syrian Democratic Forces held Baghuz. U.S.-backed forces advanced; "
    "SDF fighters and the SDF waited."
)


@pytest.fixture
def report(project):
    return DocumentFactory(project=project, title="Baghuz", text=TEXT)


def tag(report, quote, *, occurrence=0, slug="actor", user=None):
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(quote, start + 1)
    return annotation_services.annotation_create(
        document=report, user=user or report.project.created_by, start=start, end=start + len(quote), tag=slug
    )


def sdf(project, owner, **kwargs):
    return services.entity_create(
        project=project, user=owner, name="Syrian Democratic Forces", type=ActorType.REBEL_GROUPS, **kwargs
    )


def test_a_create_links_a_span_that_names_an_entity(project, owner, report):
    entity = sdf(project, owner, aliases=["SDF", "U.S.-backed forces"])
    for quote in ("SDF", "Syrian Democratic Forces", "U.S.-backed forces"):
        annotation = tag(report, quote)
        assert annotation.entity_id == entity.pk
        assert annotation.normalized == {
            "kind": "actor",
            "entity": {"id": entity.pk, "name": "Syrian Democratic Forces", "type": "rebel_groups"},
        }
    fighters = tag(report, "SDF fighters")
    assert (fighters.entity_id, fighters.normalized) == (None, None)
    assert tag(report, "SDF", slug="location").entity_id is None  # only actor tags link


def test_creating_an_entity_links_the_spans_already_tagged(project, owner, report):
    first, the_sdf, fighters = tag(report, "SDF"), tag(report, "the SDF", occurrence=0), tag(report, "SDF fighters")
    entity = services.entity_create(project=project, user=owner, name="SDF")
    first.refresh_from_db(), the_sdf.refresh_from_db(), fighters.refresh_from_db()
    assert first.entity_id == the_sdf.entity_id == entity.pk
    assert first.version == 2  # the link is an edit, recorded in the history
    assert fighters.entity_id is None
    assert AnnotationChange.objects.filter(pgh_obj_id=first.pk, entity_id=entity.pk).exists()


def test_an_alias_links_the_spans_that_now_match_and_a_rename_follows(project, owner, report):
    entity = sdf(project, owner)
    linked, alias_span = tag(report, "Syrian Democratic Forces"), tag(report, "SDF")
    by_hand = tag(report, "SDF", occurrence=2)
    annotation_services.annotation_update(
        annotation=by_hand, user=owner, version=by_hand.version, normalized={"entity": {"name": "SDF fighters"}}
    )
    services.entity_update(entity=entity, user=owner, aliases=["SDF"], name="Syrian Democratic Forces (SDF)")
    linked.refresh_from_db(), alias_span.refresh_from_db(), by_hand.refresh_from_db()
    assert linked.normalized["entity"]["name"] == "Syrian Democratic Forces (SDF)"
    assert alias_span.entity_id == entity.pk
    assert by_hand.normalized["entity"]["name"] == "SDF fighters"  # set by hand: never recomputed
    assert AnnotationChange.objects.filter(
        pgh_obj_id=linked.pk, normalized__entity__name="Syrian Democratic Forces (SDF)"
    ).exists()


def test_merge_moves_names_and_mentions(project, owner, report):
    kept = sdf(project, owner)
    merged = services.entity_create(project=project, user=owner, name="SDF", aliases=["U.S.-backed forces"])
    mentions = [tag(report, "SDF"), tag(report, "U.S.-backed forces"), tag(report, "Syrian Democratic Forces")]
    assert {m.entity_id for m in mentions} == {kept.pk, merged.pk}
    result = services.entity_merge(entity=merged, into=kept.pk, user=owner)
    assert result.aliases == ["SDF", "U.S.-backed forces"]
    assert not Entity.objects.filter(pk=merged.pk).exists()
    assert set(Annotation.objects.filter(pk__in=[m.pk for m in mentions]).values_list("entity_id", flat=True)) == {
        kept.pk
    }
    assert Annotation.objects.get(pk=mentions[0].pk).normalized["entity"]["name"] == "Syrian Democratic Forces"
    assert tag(report, "SDF", occurrence=2).entity_id == kept.pk  # the merged names match the kept entity
    assert AnnotationChange.objects.filter(pgh_obj_id=mentions[0].pk, entity_id=merged.pk).exists()


def test_delete_leaves_its_mentions_unresolved(project, owner, report):
    entity = sdf(project, owner, aliases=["SDF"])
    mention = tag(report, "SDF")
    services.entity_delete(entity=entity, user=owner)
    mention.refresh_from_db()
    assert (mention.entity_id, mention.normalized) == (None, None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "SDF\x00"}, "name"),
        ({"name": "..."}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "SDF", "aliases": [""]}, "aliases"),
        ({"name": "SDF", "aliases": ["ok", "a\x00"]}, "aliases"),
        ({"name": "SDF", "aliases": "SDF"}, "aliases"),
        ({"name": "SDF", "type": "army"}, "type"),
        ({"name": "syrian democratic  forces"}, "name"),  # another entity's name, however written
        ({"name": "Kurds", "aliases": ["S.D.F."]}, "aliases"),  # another entity's alias
    ],
)
def test_bad_names_are_refused_naming_the_field(project, owner, fields, field):
    sdf(project, owner, aliases=["SDF"])
    with pytest.raises(ValidationError) as error:
        services.entity_create(project=project, user=owner, **fields)
    assert field in error.value.message_dict


def test_the_same_name_may_be_in_two_projects(project, owner):
    sdf(project, owner)
    other = ProjectFactory()
    assert sdf(other, other.created_by).project_id == other.pk


def test_merge_refuses_another_projects_entity_and_itself(project, owner):
    entity = sdf(project, owner)
    other = ProjectFactory()
    stranger = sdf(other, other.created_by)
    for into in (stranger.pk, entity.pk, "x", None):
        with pytest.raises(ValidationError) as error:
            services.entity_merge(entity=entity, into=into, user=owner)
        assert "into" in error.value.message_dict


def test_roles(project, owner, annotator, viewer):
    entity = services.entity_create(project=project, user=annotator, name="SDF")
    services.entity_update(entity=entity, user=annotator, type=ActorType.REBEL_GROUPS)
    with pytest.raises(PermissionDenied):
        services.entity_create(project=project, user=viewer, name="YPG")
    other = services.entity_create(project=project, user=annotator, name="YPG")
    with pytest.raises(PermissionDenied):
        services.entity_merge(entity=other, into=entity.pk, user=annotator)
    with pytest.raises(PermissionDenied):
        services.entity_delete(entity=other, user=annotator)
    services.entity_merge(entity=other, into=entity.pk, user=owner)


def test_linking_by_hand(project, owner, report):
    entity = sdf(project, owner)
    other = ProjectFactory()
    other_project_entity = sdf(other, other.created_by)
    span = tag(report, "SDF fighters")
    for bad in ({"entity": other_project_entity.pk}, {"entity": "x"}, {"entity": True}, {"entity": {"name": ""}},
                {"entity": {"name": "A", "type": "army"}}, {"place": 1}):  # fmt: skip
        with pytest.raises(ValidationError) as error:
            annotation_services.annotation_update(annotation=span, user=owner, version=1, normalized=bad)
        assert "entity" in error.value.message_dict
    span = annotation_services.annotation_update(
        annotation=span, user=owner, version=1, normalized={"entity": entity.pk}
    )
    assert (span.entity_id, span.normalized_by_hand) == (entity.pk, True)
    new = {"entity": {"name": "SDF", "type": "rebel_groups"}}
    made = annotation_services.annotation_update(annotation=span, user=owner, version=span.version, normalized=new)
    assert made.normalized["entity"] == {"id": made.entity_id, "name": "SDF", "type": "rebel_groups"}
    again = annotation_services.annotation_update(
        annotation=made, user=owner, version=made.version, normalized={"entity": {"name": "S.D.F."}}
    )
    assert again.entity_id == made.entity_id  # a name the register has: that entity, not a new one


def test_one_query_reads_every_quote_of_a_bulk_create(project, owner, report, django_assert_num_queries):
    sdf(project, owner, aliases=["SDF"])
    from apps.actors.normalizer import ActorNormalizer

    with django_assert_num_queries(1):
        readings = ActorNormalizer().read_many(project.pk, ["SDF", "sdf", "SDF fighters", "Syrian Democratic Forces"])
    assert [reading.entity_id is not None for reading in readings] == [True, True, False, True]


def test_an_alias_alone_leaves_the_linked_mentions_as_they_are(project, owner, report):
    entity = sdf(project, owner)
    mention = tag(report, "Syrian Democratic Forces")
    services.entity_update(entity=entity, user=owner, aliases=["Kurdish-led forces"])
    mention.refresh_from_db()
    assert (mention.version, mention.entity_id) == (1, entity.pk)
