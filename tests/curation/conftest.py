import pytest

from tests.curation.scenario import build_scenario


@pytest.fixture
def scenario(project):
    return build_scenario(project)
