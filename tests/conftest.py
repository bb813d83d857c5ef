import pytest
from django.urls import get_resolver

from apps.core.db import prepare_all
from apps.projects.models import Role
from tests.factories import DocumentFactory, MembershipFactory, ProjectFactory, UserFactory

pytest_plugins = ["tests.api_helpers", "tests.live_helpers", "tests.gazetteer_fixtures"]


def pytest_collection_modifyitems(items):
    """Browser tests last: their session-wide browser allows Django's ORM beside Playwright's event loop, which
    no other test should."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    """pytest-django's, counting a request in steady state: the server-side prepared statements (apps/core/db.py),
    made once per database connection, are prepared before the count starts."""
    get_resolver().url_patterns  # noqa: B018 - imports every view, and so every module that defines a statement

    def bounded(*args, **kwargs):
        prepare_all()
        return django_assert_max_num_queries(*args, **kwargs)

    return bounded


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    """The same for exact counts."""
    get_resolver().url_patterns  # noqa: B018

    def counted(*args, **kwargs):
        prepare_all()
        return django_assert_num_queries(*args, **kwargs)

    return counted


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many users; a deliberately slow hasher would make them wait for nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def project(db):
    return ProjectFactory(name="Syria 2019")


@pytest.fixture
def owner(project):
    return project.created_by


def _member(project, role):
    return MembershipFactory(project=project, role=role).user


@pytest.fixture
def annotator(project):
    return _member(project, Role.ANNOTATOR)


@pytest.fixture
def viewer(project):
    return _member(project, Role.VIEWER)


@pytest.fixture
def outsider(db):
    """A user who belongs to another project only."""
    return ProjectFactory().created_by


@pytest.fixture
def document(project):
    return DocumentFactory(
        project=project,
        title="Baghuz",
        text="About 3,000 people poured out of Baghuz.\n\nThe SDF said hundreds of Islamic State fighters surrendered.",
    )


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def import_worker(transactional_db):
    """A real `manage.py db_worker` process running against the test database."""
    from tests.workers import start_worker, stop_worker

    worker = start_worker()
    yield worker
    stop_worker(worker)
