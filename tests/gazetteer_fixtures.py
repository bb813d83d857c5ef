import pytest

from apps.places.gazetteer import geonames_load
from apps.places.models import Place, PlaceSource

# The GeoNames places of these countries (and every country): the whole gazetteer takes a minute and a half to load,
# these a second, and they hold every case the tests need (Hajin in Syria and in Turkey).
TEST_COUNTRIES = ("SY", "IQ", "TR")


@pytest.fixture(scope="session")
def gazetteer_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        geonames_load(countries=TEST_COUNTRIES)


@pytest.fixture
def gazetteer(gazetteer_loaded, db):
    """The test countries' GeoNames places, loaded once per session (again after a test that flushed the database)."""
    if not Place.objects.filter(source=PlaceSource.GEONAMES).exists():
        geonames_load(countries=TEST_COUNTRIES)
