"""The span rule read in SQL (PostgreSQL's length and substr, code points) gives what Python's slicing gives."""

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.annotations import services
from apps.documents.models import Document
from apps.documents.services import content_hash

# Astral characters, combining marks, CJK, joiners and several kinds of whitespace (strip() trims them all).
CHARACTERS = ["a", "b", " ", "\n", "\t", "\u00a0", "\u3000", "e", "\u0301", "李", "😀", "\U0001f3fd", "\u200d", "🚒"]
TEXTS = st.text(alphabet=CHARACTERS, max_size=700)


@st.composite
def texts_and_spans(draw):
    text = draw(TEXTS)
    offsets = st.integers(min_value=-1, max_value=len(text) + 1)
    spans = []
    # Up to 20 spans: a document with few spans is cut span by span, one with many once into pieces.
    for _ in range(draw(st.integers(min_value=1, max_value=20))):
        start = draw(offsets)
        end = draw(st.one_of(offsets, st.integers(min_value=start, max_value=start + 300)))
        quote = draw(st.sampled_from([None, "", text[max(start, 0) : end], text[max(start, 0) : end] + "x"]))
        spans.append((start, end, quote))
    return text, spans


def expected(text, start, end, quote):
    """The rule applied to Python's own slice of the text."""
    try:
        return services.span_check(length=len(text), selected=text[start:end], start=start, end=end, quote=quote)
    except ValidationError as error:
        return error.message_dict


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=texts_and_spans())
def test_the_sql_span_check_equals_the_rule_on_python_slices(document, annotator, case):
    text, spans = case
    Document.objects.filter(pk=document.pk).update(text=text, content_hash=content_hash(text))
    items = [
        services.NewAnnotation(document=document.pk, start=start, end=end, tag="actor", quote=quote)
        for start, end, quote in spans
    ]
    wanted = [expected(text, start, end, quote) for start, end, quote in spans]
    with transaction.atomic():
        try:
            services.annotations_create_many(user=annotator, items=items)
            refused = {}
        except services.AnnotationsRefused as error:
            refused = error.errors
        assert refused == {index: want for index, want in enumerate(wanted) if isinstance(want, dict)}
        valid = [index for index, want in enumerate(wanted) if not isinstance(want, dict)]
        created = services.annotations_create_many(user=annotator, items=[items[index] for index in valid])
        assert [services.SpanSpec(a.start, a.end, a.quote) for a in created] == [wanted[index] for index in valid]
        transaction.set_rollback(True)
