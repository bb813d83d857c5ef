"""Every page of a project carries the project's menu, owners' entries for owners only."""

import pytest
from django.urls import reverse

from tests.factories import DocumentFactory

PAGES = [
    ("documents:list", "project"),
    ("projects:guidelines", "project"),
    ("agreement:page", "project"),
    ("actors:register", "project"),
    ("events:list", "project"),
    ("places:map", "project"),
    ("places:list", "project"),
    ("suggestions:quality", "project"),
    ("curation:page", "document"),
]


@pytest.mark.parametrize(("name", "takes"), PAGES)
def test_the_project_menu_is_on_every_project_page(owner_client, project, name, takes):
    document = DocumentFactory(project=project)
    url = reverse(name, args=[project.pk if takes == "project" else document.pk])
    page = owner_client.get(url).content.decode()
    assert 'class="project-nav"' in page
    assert reverse("projects:settings", args=[project.pk]) in page  # an owner's entry
