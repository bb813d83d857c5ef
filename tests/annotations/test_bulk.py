"""POST /api/annotations/bulk/ and the one write path behind it (services.annotations_create_many)."""

import json
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.annotations import services
from apps.annotations.history_selectors import annotation_history
from apps.annotations.models import Annotation
from apps.projects.models import Role
from apps.projects.services import membership_set, tag_create
from tests.api_helpers import token_client
from tests.factories import DocumentFactory

BULK = "/api/annotations/bulk/"
TAGS = ("actor", "location", "quantity")
# A query that reads a document's whole text into Python names the column in its SELECT list; the write path only
# hands it to PostgreSQL functions (length, substr, regexp_matches) in SQL of its own.
WHOLE_TEXT = re.compile(r'SELECT\b.*"documents_document"\."text".*\bFROM\b', re.DOTALL)


def spans_on(document, count: int, seed: int = 1) -> list[dict]:
    """`count` valid items on the document: words found at random places, tags in turn."""
    rng = random.Random(seed)
    words = [(match.start(), match.end()) for match in re.finditer(r"\w+", document.text)]
    items = []
    for number in range(count):
        start, end = rng.choice(words)
        items.append({"document": document.pk, "start": start, "end": end, "tag": TAGS[number % 3]})
    return items


@pytest.fixture
def long_document(project):
    paragraph = "About 3,000 people left Baghuz; the SDF said 👩🏽‍🚒 fighters surrendered at e\u0301cole 李明.\n\n"
    return DocumentFactory(project=project, title="Long", text=paragraph * 400)


def errors_by_index(response) -> dict:
    assert response.status_code == 400, response.content
    assert response.json()["created"] == 0
    return {item["index"]: item["errors"] for item in response.json()["errors"]}


def test_a_valid_bulk_creates_every_item_trimmed_in_order(api, document, owner):
    items = [
        {"document": document.pk, "start": 5, "end": 19, "tag": "quantity", "quote": " 3,000 people ", "note": "n"},
        {"document": document.pk, "start": 0, "end": 5, "tag": "actor"},
        {"document": document.pk, "start": 33, "end": 39, "tag": "location", "quote": "Baghuz"},
    ]
    response = api.post(BULK, items, format="json")
    assert response.status_code == 201, response.json()
    rows = response.json()
    assert [(row["start"], row["end"], row["quote"], row["tag"]) for row in rows] == [
        (6, 18, "3,000 people", "quantity"),
        (0, 5, "About", "actor"),
        (33, 39, "Baghuz", "location"),
    ]
    assert all(row["annotator"] == owner.username and row["version"] == 1 and row["id"] for row in rows)
    assert rows[0]["note"] == "n"
    assert sorted(Annotation.objects.values_list("id", flat=True)) == sorted(row["id"] for row in rows)


def test_each_bad_item_is_reported_by_index_naming_its_field(api, document, outsider):
    foreign = DocumentFactory(project=outsider.projects.get())
    good = {"document": document.pk, "start": 6, "end": 18, "tag": "quantity"}
    length = len(document.text)
    items = [
        good,
        {**good, "end": length + 1},  # 1: past the end
        {**good, "quote": "3,000 persons"},  # 2: quote mismatch
        {**good, "start": 5, "end": 6},  # 3: only a space
        {**good, "tag": "weapon"},  # 4: not a tag of the project
        {**good, "document": foreign.pk},  # 5: another project's document
        "not an object",  # 6
        {**good, "document": 999_999_999},  # 7: no such document
        {**good, "start": "six"},  # 8
        {**good, "start": 18, "end": 6},  # 9: empty
    ]
    errors = errors_by_index(api.post(BULK, items, format="json"))
    assert {index: sorted(fields) for index, fields in errors.items()} == {
        1: ["end"], 2: ["quote"], 3: ["quote"], 4: ["tag"], 5: ["document"], 6: ["non_field_errors"],
        7: ["document"], 8: ["start"], 9: ["end"],
    }  # fmt: skip
    assert errors[1]["end"] == [f"end {length + 1} is past the end of the text ({length} characters)."]
    assert "the text there is '3,000 people'" in errors[2]["quote"][0]
    assert errors[3]["quote"] == ["The selection holds only whitespace."]
    assert errors[4]["tag"] == ["“weapon” is not a tag of project Syria 2019."]
    assert errors[5]["document"] == [f"Document {foreign.pk} does not exist or is not in one of your projects."]
    assert errors[6] == {"non_field_errors": ["Each item must be a JSON object."]}
    assert not Annotation.objects.exists()


def test_a_viewer_is_refused_per_item_and_nothing_is_written(viewer, document):
    response = token_client(viewer).post(
        BULK, [{"document": document.pk, "start": 6, "end": 18, "tag": "quantity"}], format="json"
    )
    assert errors_by_index(response) == {0: {"document": ["Your role (viewer) cannot do this in Syria 2019."]}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "Send a non-empty JSON list of annotations."),
        ({"document": 1}, "Send a non-empty JSON list of annotations."),
        ([{}] * 3, "Send at most 2 items at a time."),
    ],
)
def test_the_body_must_be_a_list_within_the_limit(api, settings, body, message):
    settings.ANNOTATION_BULK_MAX_ITEMS = 2
    response = api.post(BULK, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}


def test_a_thousand_items_on_one_document_take_a_constant_number_of_queries(
    api, long_document, django_assert_max_num_queries
):
    items = spans_on(long_document, 1000)
    # Whatever the number of items: the span check, the insert, and one lookup for each kind of tag that reads its
    # spans (the actor register, the gazetteer, the vague magnitudes of quantities).
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
        response = api.post(BULK, items, format="json")
    assert response.status_code == 201, response.json()
    assert Annotation.objects.count() == 1000
    assert not [query["sql"] for query in queries if WHOLE_TEXT.search(query["sql"])]
    text = long_document.text
    assert all(row["quote"] == text[row["start"] : row["end"]] for row in response.json())


def test_items_on_several_documents_and_projects_take_a_constant_number_of_queries(
    api, owner, project, long_document, django_assert_max_num_queries
):
    other_project = DocumentFactory().project
    membership_set(project=other_project, user=owner, role=Role.ANNOTATOR)
    documents = [long_document, *(DocumentFactory(project=project) for _ in range(3))]
    documents += [DocumentFactory(project=other_project) for _ in range(2)]
    items = [item for number, document in enumerate(documents) for item in spans_on(document, 160, seed=number)]
    random.Random(2).shuffle(items)
    # Constant in the items: the span check, the insert, and for each project one lookup per kind of tag that reads
    # its spans (the actor register, the gazetteer, the vague magnitudes of quantities); two projects here.
    with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as queries:
        response = api.post(BULK, items, format="json")
    assert response.status_code == 201, response.json()
    assert not [query["sql"] for query in queries if WHOLE_TEXT.search(query["sql"])]
    texts = {document.pk: document.text for document in documents}
    assert [(row["document"], row["start"], row["end"], row["quote"]) for row in response.json()] == [
        (item["document"], item["start"], item["end"], texts[item["document"]][item["start"] : item["end"]])
        for item in items
    ]
    tags = {row["tag"] for row in response.json() if row["document"] == documents[-1].pk}
    assert tags == set(TAGS)  # the other project's tags, found by slug in that project


def test_the_text_check_reads_no_whole_text(project, long_document):
    """The guard of the two tests above: the pattern does catch a query that loads the text."""
    with CaptureQueriesContext(connection) as queries:
        list(type(long_document).objects.filter(pk=long_document.pk))
    assert any(WHOLE_TEXT.search(query["sql"]) for query in queries)


def test_a_single_create_through_the_api_takes_few_queries_and_no_text(
    api, long_document, django_assert_max_num_queries
):
    start = long_document.text.rindex("Baghuz")
    item = {"document": long_document.pk, "start": start, "end": start + 6, "tag": "location", "quote": "Baghuz"}
    # 5, and the gazetteer lookup that resolves the location (apps.places); see the test above.
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as queries:
        response = api.post("/api/annotations/", item, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["quote"], response.json()["tag"]) == ("Baghuz", "location")
    assert not [query["sql"] for query in queries if WHOLE_TEXT.search(query["sql"])]


@pytest.mark.parametrize(
    ("tag", "kind", "lookups"),
    [("event", "plain", 0), ("actor", "actor", 1), ("location", "place", 1), ("quantity", "quantity", 1)],
)
def test_a_single_create_takes_the_same_queries_for_every_kind_but_its_one_lookup(
    api, owner, project, document, tag, kind, lookups, django_assert_num_queries
):
    if kind == "plain":
        tag_create(project=project, user=owner, slug=tag, label="Event", color="#888888", kind=kind)
    item = {"document": document.pk, "start": 6, "end": 18, "tag": tag}
    # The token, the savepoint the test's transaction turns the create's transaction into (BEGIN in a request), the
    # span check, the insert and its release (COMMIT): a plain tag reads nothing more, a kind that reads its spans
    # one lookup (the actor register, the gazetteer, the project's vague magnitudes).
    with django_assert_num_queries(5 + lookups):
        response = api.post("/api/annotations/", item, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["quote"], response.json()["tag"]) == ("3,000 people", tag)


def test_bulk_creates_are_recorded_with_their_user(annotator, document):
    response = token_client(annotator).post(
        BULK,
        [
            {"document": document.pk, "start": 6, "end": 18, "tag": "quantity"},
            {"document": document.pk, "start": 0, "end": 5, "tag": "actor"},
        ],
        format="json",
    )
    assert response.status_code == 201, response.json()
    for row in response.json():
        (entry,) = annotation_history(row["id"])
        assert (entry["action"], entry["who"]) == ("created", annotator.username)
        assert entry["changes"]["start"] == [None, row["start"]]


def test_the_service_reports_items_by_index_and_takes_tags_as_objects(document, annotator, outsider):
    foreign_tag = outsider.projects.get().tags.get(slug="actor")
    items = [
        services.NewAnnotation(document=document.pk, start=6, end=18, tag=document.project.tags.get(slug="actor")),
        services.NewAnnotation(document=document.pk, start=0, end=5, tag=foreign_tag),
        services.NewAnnotation(document="x", start=0, end=5, tag="actor"),
    ]
    with pytest.raises(services.AnnotationsRefused) as refused:
        services.annotations_create_many(user=annotator, items=items)
    assert refused.value.errors == {
        1: {"tag": ["“actor” is not a tag of project Syria 2019."]},
        2: {"document": ["“x” is not a document id."]},
    }
    (created,) = services.annotations_create_many(user=annotator, items=items[:1])
    assert (created.quote, created.tag.slug, created.annotator) == ("3,000 people", "actor", annotator)


def test_a_nul_in_a_note_is_refused_everywhere_not_a_500(api, owner_client, document, project):
    span = {"start": 6, "end": 18, "tag": "quantity", "note": "a\x00b"}
    response = owner_client.post(reverse("annotations:create", args=[document.pk]), span, headers={"HX-Request": "1"})
    assert response.status_code == 422
    assert "note: The note contains a NUL character." in response.content.decode()
    line = json.dumps({"document": document.pk, **span}).encode()
    upload = {"project": project.pk, "format": "lector", "file": SimpleUploadedFile("export.jsonl", line)}
    response = api.post("/api/import/annotations/", upload, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == ["line 1: The note contains a NUL character."]
    assert not Annotation.objects.exists()


def test_huge_numbers_are_refused_not_a_500(api, document):
    good = {"document": document.pk, "start": 6, "end": 18, "tag": "quantity"}
    items = [{**good, "end": 2**70}, {**good, "document": 2**70}, {**good, "start": 2**64, "end": 2**65}]
    errors = errors_by_index(api.post(BULK, items, format="json"))
    assert {index: sorted(fields) for index, fields in errors.items()} == {0: ["end"], 1: ["document"], 2: ["end"]}


def test_a_long_mismatched_quote_is_shown_back_shortened(api, long_document):
    item = {"document": long_document.pk, "start": 0, "end": 5000, "tag": "actor", "quote": "no such text"}
    errors = errors_by_index(api.post(BULK, [item], format="json"))
    (message,) = errors[0]["quote"]
    assert message.startswith("The quote does not match the text at 0–5000 (the text there is 'About 3,000 people")
    assert message.endswith("…').")
    assert len(message) < 200


def test_moving_retagging_and_deleting_read_no_whole_text(api, long_document, django_assert_max_num_queries):
    created = api.post(
        "/api/annotations/", {"document": long_document.pk, "start": 0, "end": 5, "tag": "actor"}, format="json"
    ).json()
    url = f"/api/annotations/{created['id']}/"
    with CaptureQueriesContext(connection) as queries:
        moved = api.patch(url, {"version": 1, "start": 6, "end": 18, "tag": "quantity"}, format="json")
        assert moved.status_code == 200, moved.json()
        assert (moved.json()["quote"], moved.json()["tag"]) == ("3,000 people", "quantity")
        assert api.get(url).status_code == 200
        assert api.delete(url + "?version=2").status_code == 204
    assert not [query["sql"] for query in queries if WHOLE_TEXT.search(query["sql"])]
