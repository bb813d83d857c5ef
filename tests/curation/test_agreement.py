import pytest

from apps.curation.services import curation_decide
from tests.api_helpers import token_client


def take_all_of(scenario, name):
    """The curated layer made exactly `name`'s: their version at each of their places, every other place rejected."""
    for quote in ("SDF", "Baghuz", "ISIS", "Hundreds surrendered", "March"):
        start, end = scenario.at(quote)
        mine = [span for (who, _), span in scenario.spans.items() if who == name and start <= span.start < end]
        curation_decide(
            document=scenario.document, user=scenario.curator, start=start, end=end,
            take=mine[0].pk if mine else None,
        )  # fmt: skip


def test_each_annotator_against_the_curated_layer(scenario):
    take_all_of(scenario, "ana")
    query = {"project": scenario.document.project_id, "annotators": ["ana", "ben"], "curated": "true"}
    report = token_client(scenario.curator).get("/api/agreement/", query).json()
    assert report["pairs"] == [["curated layer", "ana"], ["curated layer", "ben"]]
    assert report["annotators"] == ["curated layer", "ana", "ben"]
    alone = token_client(scenario.curator).get("/api/agreement/", {**query, "annotators": ["ana"]}).json()
    assert alone["overall"]["exact"]["f1"] == 1
    assert alone["unitizing_alpha"]["alpha"] == 1
    assert alone["unitizing_alpha"]["per_tag"]["actor"]["observed"] == 0


def test_alpha_among_annotators_is_reported_and_below_one_when_they_differ(scenario):
    query = {"project": scenario.document.project_id, "annotators": ["ana", "ben", "cleo"]}
    report = token_client(scenario.curator).get("/api/agreement/", query).json()
    assert report["unitizing_alpha"]["alpha"] < 1
    assert set(report["unitizing_alpha"]["per_tag"]) == {"actor", "location", "quantity"}


def test_one_annotator_needs_the_curated_layer(scenario):
    query = {"project": scenario.document.project_id, "annotators": ["ana"]}
    response = token_client(scenario.curator).get("/api/agreement/", query)
    assert response.status_code == 400
    assert "annotators" in response.json()


@pytest.mark.parametrize("curated", ["", "on"])
def test_the_agreement_page_shows_alpha(scenario, client, curated):
    take_all_of(scenario, "ben")
    client.force_login(scenario.curator)
    query = {"annotators": ["ana", "ben"], "curated": curated}
    response = client.get(f"/projects/{scenario.document.project_id}/agreement/", query)
    assert response.status_code == 200
    assert b"Krippendorff's alpha for unitizing" in response.content
    assert b'id="unitizing-alpha"' in response.content
