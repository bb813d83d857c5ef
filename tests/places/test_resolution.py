import pytest
from django.core.exceptions import ValidationError

from apps.annotations import services as annotation_services
from apps.places import services
from apps.places.models import Place, PlaceSource
from apps.places.names import spelling_key
from apps.places.normalizer import PlaceNormalizer
from tests.factories import DocumentFactory, ProjectFactory

normalizer = PlaceNormalizer()


def resolved(project, quote):
    reading = normalizer.read_many(project.pk, [quote])[0]
    return None if reading.normalized is None else reading.normalized


@pytest.fixture
def baghuz(project, owner, gazetteer):
    return services.place_create(
        project=project,
        user=owner,
        name="Baghuz",
        aliases=["Al-Baghuz Fawqani", "الباغوز"],
        latitude=34.4627,
        longitude=40.9375,
        country_code="SY",
        admin1="Deir ez-Zor",
    )


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("Baghouz", "Baghuz"),
        ("al-Baghuz", "Baghuz"),
        ("Al Baghouz", "Baghuz"),
        ("el-Baghuz", "Baghuz"),
        ("Hajīn", "Hajin"),
        ("HAJIN", "hajin"),
        ("Ar-Raqqah", "Raqqa"),
    ],
)
def test_spelling_variants_share_a_key(written, same_as):
    assert spelling_key(written) == spelling_key(same_as)


def test_spelling_keeps_different_names_apart():
    assert spelling_key("Hajin") != spelling_key("Hama")
    assert spelling_key("...") == ""


def test_a_geonames_town_resolves_by_its_name(project, gazetteer):
    reading = resolved(project, "Palmyra")
    assert reading["place"]["country_code"] == "SY"
    assert reading["place"]["source"] == "geonames"
    assert reading["precision"] == 1


def test_a_geonames_towns_region_is_named_not_coded(project, gazetteer):
    assert resolved(project, "Palmyra")["place"]["admin1"] == "Homs"
    assert resolved(project, "هجين")["place"]["admin1"] == "Deir ez-Zor"  # GeoNames code SY 07


def test_an_arabic_alternate_name_resolves(project, gazetteer):
    assert resolved(project, "هجين")["place"]["name"] == "Hajīn"


def test_a_project_place_resolves_by_name_alias_and_variant(project, baghuz):
    for quote in ("Baghuz", "Al-Baghuz Fawqani", "الباغوز", "Baghouz", "al-Baghouz"):
        assert resolved(project, quote)["place"] == {
            "id": baghuz.pk,
            "name": "Baghuz",
            "latitude": 34.4627,
            "longitude": 40.9375,
            "country_code": "SY",
            "admin1": "Deir ez-Zor",
            "source": "project",
        }, quote


def test_another_projects_place_is_not_used(baghuz):
    assert resolved(ProjectFactory(), "Baghuz") is None


def test_an_ambiguous_name_stays_unresolved_without_focus_countries(project, gazetteer):
    # Hajin, Syria (29,000 people) and Hajin (Saimbeyli), Turkey (5,400): neither has ten times the other's.
    assert resolved(project, "Hajin") is None


def test_focus_countries_make_a_name_unambiguous(project, gazetteer):
    project.focus_countries = ["SY"]
    project.save()
    assert resolved(project, "Hajin")["place"]["country_code"] == "SY"
    project.focus_countries = ["TR"]
    project.save()
    assert resolved(project, "Hajin")["place"]["country_code"] == "TR"


def test_an_unknown_name_stays_unresolved(project, gazetteer):
    assert resolved(project, "Qwxyzabad") is None
    assert resolved(project, "—") is None


@pytest.mark.parametrize(("quote", "code"), [("Syria", "SY"), ("Iraq", "IQ"), ("syria", "SY"), ("IRQ", "IQ")])
def test_a_country_resolves_with_precision_3(project, gazetteer, quote, code):
    reading = resolved(project, quote)
    assert reading["place"]["country_code"] == code
    assert reading["precision"] == 3


def test_many_quotes_resolve_in_one_query(project, baghuz, django_assert_num_queries):
    quotes = ["Baghuz", "Hajin", "Syria", "Raqqa", "nowhere", "Baghuz"] * 20
    with django_assert_num_queries(1):
        readings = normalizer.read_many(project.pk, quotes)
    assert [reading.place_id for reading in readings[:5]] == [
        baghuz.pk,
        None,
        Place.objects.get(source=PlaceSource.GEONAMES, name="Syria").pk,
        readings[3].place_id,
        None,
    ]
    assert readings[3].place_id is not None


def test_creating_a_location_annotation_resolves_it(project, owner, baghuz):
    document = DocumentFactory(project=project, text="Fighting in Baghouz went on.")
    annotation = annotation_services.annotation_create(
        document=document, user=owner, start=12, end=19, tag=project.tags.get(slug="location")
    )
    assert annotation.place_id == baghuz.pk
    assert annotation.normalized["kind"] == "place"
    assert annotation.normalized["precision"] == 1


def test_adding_a_place_resolves_waiting_annotations_but_not_hand_set_ones(project, owner, gazetteer):
    document = DocumentFactory(project=project, text="Baghuz fell. Baghuz again.")
    location = project.tags.get(slug="location")
    waiting = annotation_services.annotation_create(document=document, user=owner, start=0, end=6, tag=location)
    by_hand = annotation_services.annotation_create(document=document, user=owner, start=13, end=19, tag=location)
    palmyra = Place.objects.get(source=PlaceSource.GEONAMES, name="Tadmur")  # Palmyra
    by_hand = annotation_services.annotation_update(
        annotation=by_hand, user=owner, version=by_hand.version, normalized={"place": palmyra.pk}
    )
    assert waiting.place_id is None
    place = services.place_create(
        project=project, user=owner, name="Baghuz", latitude=34.46, longitude=40.94, country_code="SY"
    )
    waiting.refresh_from_db()
    by_hand.refresh_from_db()
    assert waiting.place_id == place.pk
    assert waiting.normalized["place"]["name"] == "Baghuz"
    assert by_hand.place_id == palmyra.pk


def test_read_by_hand_takes_a_place_and_a_precision(project, baghuz):
    reading = normalizer.read_by_hand(project.pk, "near Baghuz", {"place": baghuz.pk, "precision": 2})
    assert reading.place_id == baghuz.pk
    assert reading.normalized["precision"] == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "place"), ({"place": "x"}, "place"), ({"place": 10**12}, "place"), ({"place": True}, "place")],
)
def test_read_by_hand_names_the_bad_field(project, gazetteer, data, field):
    with pytest.raises(ValidationError) as error:
        normalizer.read_by_hand(project.pk, "Hajin", data)
    assert field in error.value.message_dict


def test_read_by_hand_refuses_another_projects_place_and_a_bad_precision(project, baghuz):
    other = ProjectFactory()
    with pytest.raises(ValidationError) as error:
        normalizer.read_by_hand(other.pk, "Baghuz", {"place": baghuz.pk})
    assert "place" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        normalizer.read_by_hand(project.pk, "Baghuz", {"place": baghuz.pk, "precision": 4})
    assert "precision" in error.value.message_dict
