import csv
import io
import json
import zipfile
from datetime import datetime

import pytest

from apps.exports.formats.brat import ann_text
from apps.exports.formats.conll import iob_lines, token_pattern
from apps.exports.selectors import COLUMNS, CSV_COLUMNS
from tests.exports.conftest import UNICODE_SPANS, UNICODE_TEXT, annotate
from tests.exports.reference import postgres_iso
from tests.factories import AnnotationFactory, DocumentFactory


def expected_record(annotation):
    return {
        "document": annotation.document_id,
        "document_title": annotation.document.title,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "tag": annotation.tag.slug,
        "note": annotation.note,
        "annotator": annotation.annotator.username,
        "created": postgres_iso(annotation.created),
        "modified": postgres_iso(annotation.modified),
        "origin": annotation.origin,
        "normalized": annotation.normalized,
    }


def export_order(annotations):
    return sorted(annotations, key=lambda a: (a.document_id, a.start, a.end, a.id))


def test_jsonl_has_one_object_per_annotation_in_export_order(export, unicode_annotations):
    body = export("jsonl").decode()

    records = [json.loads(line) for line in body.splitlines()]
    assert records == [expected_record(a) for a in export_order(unicode_annotations)]
    assert body.endswith("\n")
    assert "👩‍👩‍👧" in body  # not \u-escaped
    for record in records:
        assert UNICODE_TEXT[record["start"] : record["end"]] == record["quote"]
        assert datetime.fromisoformat(record["created"]).tzinfo is not None


def test_jsonl_of_nested_spans_lists_the_outer_first(export, unicode_annotations):
    records = [json.loads(line) for line in export("jsonl").decode().splitlines()]

    assert [r["quote"] for r in records[:2]] == ["Forces of the SDF", "SDF"]


def test_csv_has_a_header_and_the_same_rows_as_jsonl(export, unicode_annotations):
    body = export("csv").decode()

    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == list(CSV_COLUMNS)
    assert [row[: len(COLUMNS)] for row in rows[1:]] == [
        ["" if value is None else str(value) for value in expected_record(a).values()]
        for a in export_order(unicode_annotations)
    ]
    assert {cell for row in rows[1:] for cell in row[len(COLUMNS) :]} == {""}  # nothing normalised here
    assert "\r\n" in body


def test_csv_keeps_a_quote_with_blank_lines_in_one_field(export, unicode_annotations):
    rows = list(csv.DictReader(io.StringIO(export("csv").decode(), newline="")))

    assert [r["quote"] for r in rows if "\n\n" in r["quote"]] == [UNICODE_SPANS[4][0]]
    assert next(r for r in rows if r["note"].startswith("two"))["note"] == "two\nlines\tand a tab"


def test_w3c_is_one_annotation_page(export, unicode_annotations, unicode_document):
    page = json.loads(export("w3c"))

    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert len(page["items"]) == len(unicode_annotations)
    sdf = next(a for a in unicode_annotations if a.note == "Syrian Democratic Forces")
    suffix = " 👩‍👩‍👧 met e\u0301lite units near Baghuz 🇸🇾, said a re"[:32]
    assert suffix == UNICODE_TEXT[17:49]
    assert page["items"][1] == {
        "id": f"urn:lector:annotation:{sdf.id}",
        "type": "Annotation",
        "created": postgres_iso(sdf.created),
        "modified": postgres_iso(sdf.modified),
        "creator": {"type": "Person", "nickname": sdf.annotator.username},
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "location"},
            {"type": "TextualBody", "purpose": "commenting", "value": "Syrian Democratic Forces"},
        ],
        "target": {
            "source": f"http://testserver/documents/{unicode_document.id}/",
            "selector": [
                {"type": "TextPositionSelector", "start": 14, "end": 17},
                {"type": "TextQuoteSelector", "exact": "SDF", "prefix": "Forces of the ", "suffix": suffix},
            ],
        },
    }
    assert page["items"][0]["body"] == [{"type": "TextualBody", "purpose": "tagging", "value": "actor"}]


def test_w3c_quote_selector_equals_python_slicing(export, unicode_annotations):
    items = json.loads(export("w3c"))["items"]

    contexts = set()
    for item in items:
        position, quote = item["target"]["selector"]
        start, end = position["start"], position["end"]
        assert quote["exact"] == UNICODE_TEXT[start:end]
        assert quote["prefix"] == UNICODE_TEXT[max(0, start - 32) : start]
        assert quote["suffix"] == UNICODE_TEXT[end : end + 32]
        contexts.update({len(quote["prefix"]), len(quote["suffix"])})
    # Empty at the text's ends, shorter near them, 32 code points (some astral or combining) elsewhere.
    assert {0, 32} <= contexts
    assert contexts - {0, 32}


@pytest.mark.parametrize("start", [0, 1, 31, 32, 33, 40])
def test_w3c_prefix_and_suffix_at_every_boundary(export, project, start):
    text = "👩‍👩‍👧é\u0301مرحبا大马士革\n" * 5
    document = DocumentFactory(project=project, text=text)
    for end in (start + 1, len(text) - 33, len(text) - 32, len(text) - 31, len(text)):
        AnnotationFactory(document=document, start=start, end=end)

    items = json.loads(export("w3c", document=document.id))["items"]

    assert len(items) == 5
    for item in items:
        position, quote = item["target"]["selector"]
        assert position["start"] == start
        assert quote["exact"] == text[start : position["end"]]
        assert quote["prefix"] == text[max(0, start - 32) : start]
        assert quote["suffix"] == text[position["end"] : position["end"] + 32]


def open_zip(body):
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    return archive


def test_brat_zip_has_the_text_and_ann_files(export, unicode_annotations, unicode_document):
    archive = open_zip(export("brat"))

    doc = unicode_document.id
    assert archive.namelist() == [f"{doc}.txt", f"{doc}.ann", "annotation.conf"]
    assert archive.read(f"{doc}.txt").decode() == UNICODE_TEXT
    conf = archive.read("annotation.conf").decode()
    assert conf == "[entities]\nactor\nlocation\nquantity\n[relations]\n[events]\n[attributes]\n"


def parse_ann(ann):
    """{T id: (tag, [(start, end)], text)} and {T id: note}."""
    spans, notes = {}, {}
    for line in ann.split("\n")[:-1]:
        key, middle, tail = line.split("\t")
        if key.startswith("T"):
            tag, offsets = middle.split(" ", 1)
            spans[key] = (tag, [tuple(map(int, pair.split(" "))) for pair in offsets.split(";")], tail)
        else:
            kind, target = middle.split(" ")
            assert kind == "AnnotatorNotes"
            notes[target] = tail
    return spans, notes


def test_brat_offsets_slice_the_txt(export, unicode_annotations, unicode_document):
    archive = open_zip(export("brat"))
    text = archive.read(f"{unicode_document.id}.txt").decode()
    spans, notes = parse_ann(archive.read(f"{unicode_document.id}.ann").decode())

    assert len(spans) == len(unicode_annotations)
    for (tag, fragments, quote), annotation in zip(spans.values(), export_order(unicode_annotations), strict=True):
        assert tag == annotation.tag.slug
        assert quote == " ".join(text[start:end] for start, end in fragments)
        assert (fragments[0][0], fragments[-1][1]) == (annotation.start, annotation.end)
    assert notes == {"T2": "Syrian Democratic Forces", "T6": "Arabic name", "T9": "two lines and a tab"}


def test_brat_splits_a_span_across_paragraphs_into_fragments(export, unicode_annotations, unicode_document):
    archive = open_zip(export("brat"))
    lines = archive.read(f"{unicode_document.id}.ann").decode().splitlines()

    start = UNICODE_TEXT.index("units")
    first_end = UNICODE_TEXT.index("\n")
    second = first_end + 2
    end = UNICODE_TEXT.index("الديمقراطية") + len("الديمقراطية")
    quote = "units near Baghuz 🇸🇾, said a reporter. قَالَت قوات سوريا الديمقراطية"
    assert f"T5\tactor {start} {first_end};{second} {end}\t{quote}" in lines


def test_ann_text_leaves_single_line_spans_continuous():
    text = "ab\ncd ef"
    rows = [
        {"start": 0, "end": 5, "tag_slug": "actor", "note": ""},
        {"start": 6, "end": 8, "tag_slug": "location", "note": " a\r\nnote "},
    ]

    assert ann_text(text, rows) == "T1\tactor 0 2;3 5\tab cd\nT2\tlocation 6 8\tef\n#1\tAnnotatorNotes T2\ta note\n"


def test_brat_has_one_pair_of_files_per_document_with_matches(export, project, unicode_annotations):
    other = DocumentFactory(project=project)
    annotate(other, "Report")
    DocumentFactory(project=project)  # no annotations: left out

    names = open_zip(export("brat")).namelist()

    first, second = sorted([unicode_annotations[0].document_id, other.id])
    assert names == [f"{first}.txt", f"{first}.ann", f"{second}.txt", f"{second}.ann", "annotation.conf"]


# --- CoNLL ------------------------------------------------------------------------------------------------------------


def tokens(text):
    return [match.group() for match in token_pattern().finditer(text)]


def test_tokens_never_split_a_user_perceived_character():
    assert tokens("e\u0301lite 👩‍👩‍👧 👍🏽 🇸🇾🇮🇶 قَالَت 大马士革东部 X-ray, 3.5") == [
        "e\u0301lite",
        "👩‍👩‍👧",
        "👍🏽",
        "🇸🇾",
        "🇮🇶",
        "قَالَت",
        "大马士革东部",
        "X",
        "-",
        "ray",
        ",",
        "3",
        ".",
        "5",
    ]


def test_tokens_cover_every_non_space_character():
    assert "".join(tokens(UNICODE_TEXT)) == "".join(UNICODE_TEXT.split())


def rows_for(text, *spans):
    """Rows as the selector gives them (sorted by start, end, id) for (start, end, tag) spans, numbered in order."""
    rows = []
    for number, (start, end, tag) in enumerate(spans, 1):
        rows.append({"id": number, "start": start, "end": end, "tag_slug": tag})
    return sorted(rows, key=lambda r: (r["start"], r["end"], r["id"]))


def conll(text, *spans):
    return [line.rstrip("\n") for line in iob_lines(text, rows_for(text, *spans))]


def test_conll_overlap_longest_span_wins_then_earlier_start():
    text = "alpha beta gamma delta"
    lines = conll(
        text,
        (0, 10, "actor"),  # "alpha beta", 10 long
        (6, 16, "location"),  # "beta gamma", 10 long: ties with actor on beta, which starts earlier
        (11, 22, "quantity"),  # "gamma delta", 11 long: beats location on gamma
    )

    assert lines == ["alpha\tB-actor", "beta\tI-actor", "gamma\tB-quantity", "delta\tI-quantity"]


def test_conll_overlap_same_extent_lower_id_wins():
    assert conll("epsilon", (0, 7, "location"), (0, 7, "actor")) == ["epsilon\tB-location"]
    assert conll("epsilon", (0, 7, "actor"), (0, 7, "location")) == ["epsilon\tB-actor"]


def test_conll_nested_span_loses_to_its_container():
    lines = conll("Forces of the SDF left", (0, 17, "actor"), (14, 17, "location"))

    assert lines == ["Forces\tB-actor", "of\tI-actor", "the\tI-actor", "SDF\tI-actor", "left\tO"]


def test_conll_partly_covered_token_counts_as_covered():
    assert conll("zeta eta", (1, 3, "actor"), (7, 8, "location")) == ["zeta\tB-actor", "eta\tB-location"]


def test_conll_adjacent_spans_of_one_tag_each_begin():
    assert conll("eta theta", (0, 3, "actor"), (4, 9, "actor")) == ["eta\tB-actor", "theta\tB-actor"]


def test_conll_span_across_a_paragraph_begins_again_after_the_blank_line():
    lines = conll("iota\n\nkappa lambda\nmu", (0, 11, "actor"))

    assert lines == ["iota\tB-actor", "", "kappa\tB-actor", "lambda\tO", "mu\tO"]


def test_conll_export_of_the_unicode_document(export, unicode_annotations, unicode_document):
    lines = export("conll").decode().split("\n")

    assert lines[0] == f"# document_id = {unicode_document.id}"
    assert lines[-3:] == [".\tI-actor", "", ""]
    pairs = dict(line.split("\t") for line in lines[1:] if "\t" in line)
    assert pairs["Forces"] == "B-actor"
    assert pairs["SDF"] == "I-actor"  # nested location loses to the longer actor
    assert pairs["👩‍👩‍👧"] == "B-actor"
    assert pairs["e\u0301lite"] == "B-location"
    # Crossing spans: from "units" to 🇸🇾 the cross-paragraph actor span (longer) wins over the location.
    assert pairs["units"] == "B-actor"
    assert pairs["🇸🇾"] == "I-actor"
    assert pairs["قَالَت"] == "B-actor"  # first token after the blank line
    assert pairs["الديمقراطية"] == "I-actor"
    assert pairs["300"] == "B-quantity"
    assert pairs["大马士革东部的人群"] == "B-location"  # partly covered
    assert pairs["cheered"] == "O"
    assert pairs["👍🏽"] == "B-actor"
    assert lines.count("") == 2 + 2  # two paragraph breaks, then the document's closing blank line
