import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.annotations.history_selectors import deleted_annotations_in_project
from apps.annotations.models import Annotation, AnnotationChange
from apps.curation.models import Decision, DecisionChange
from apps.curation.services import curation_decide, curation_merge
from tests.curation.scenario import curated


def merge(scenario, strategy, **options):
    """The span places' counts of the merge (the event places' ones are tested in test_events.py)."""
    result = curation_merge(document=scenario.document, user=scenario.curator, strategy=strategy, **options)
    return {key: value for key, value in result.as_dict().items() if key != "events"}


def test_all_takes_only_where_everyone_agrees(scenario):
    assert merge(scenario, "all") == {"merged": 1, "left": 4, "kept": 0}
    assert curated(scenario.document) == [("SDF", "actor")]


def test_majority_takes_what_more_than_half_agree_on(scenario):
    assert merge(scenario, "majority") == {"merged": 2, "left": 3, "kept": 0}
    assert curated(scenario.document) == [("SDF", "actor"), ("Baghuz", "location")]


def test_min_takes_what_at_least_n_agree_on_but_never_a_tie(scenario):
    assert merge(scenario, "min", minimum=1) == {"merged": 3, "left": 2, "kept": 0}
    assert curated(scenario.document) == [("SDF", "actor"), ("Baghuz", "location"), ("ISIS", "actor")]
    assert merge(scenario, "min", minimum=3) == {"merged": 1, "left": 4, "kept": 0}
    assert curated(scenario.document) == [("SDF", "actor")]


def test_a_curated_annotation_names_every_annotation_it_came_from(scenario):
    merge(scenario, "all")
    copy = Annotation.objects.get(document=scenario.document, curated=True)
    sources = [scenario.spans[(name, "SDF")].pk for name in ("ana", "ben", "cleo")]
    assert copy.curated_from == sorted(sources)
    assert copy.annotator == scenario.curator
    assert AnnotationChange.objects.filter(pgh_obj_id=copy.pk, curated=True).exists()  # the history keeps it


def test_merging_again_keeps_what_a_curator_decided_unless_told_to_overwrite(scenario):
    start, end = scenario.at("Hundreds surrendered")
    curation_decide(
        document=scenario.document, user=scenario.curator, start=start, end=end,
        take=scenario.spans[("ben", "Hundreds surrendered")].pk,
    )  # fmt: skip
    assert merge(scenario, "majority") == {"merged": 2, "left": 2, "kept": 1}
    assert ("Hundreds surrendered", "quantity") in curated(scenario.document)
    assert merge(scenario, "all") == {"merged": 1, "left": 3, "kept": 1}  # the merge's own results are redone
    assert curated(scenario.document) == [("SDF", "actor"), ("Hundreds surrendered", "quantity")]
    assert merge(scenario, "all", overwrite=True) == {"merged": 1, "left": 4, "kept": 0}
    assert curated(scenario.document) == [("SDF", "actor")]
    assert not Decision.objects.filter(document=scenario.document).exists()
    assert DecisionChange.objects.filter(pgh_label="delete").count() == 1  # the decision's history outlives it


def test_decide_takes_one_annotators_version_and_replaces_what_was_there(scenario):
    start, end = scenario.at("Baghuz")
    merge(scenario, "majority")
    decision = curation_decide(
        document=scenario.document, user=scenario.curator, start=start, end=end,
        take=scenario.spans[("ben", "Baghuz")].pk,
    )  # fmt: skip
    assert decision.taken_from == scenario.annotators["ben"]
    assert curated(scenario.document) == [("SDF", "actor"), ("Baghuz", "actor")]


def test_decide_with_nothing_to_take_rejects_every_version(scenario):
    start, end = scenario.at("March")
    curation_decide(document=scenario.document, user=scenario.curator, start=start, end=end, take=None)
    assert curated(scenario.document) == []
    decision = Decision.objects.get(document=scenario.document)
    assert (decision.start, decision.end, decision.taken_from) == (start, end, None)
    assert merge(scenario, "min", minimum=1)["kept"] == 1
    assert ("March", "actor") not in curated(scenario.document)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"start": "x", "end": 3, "take": None}, "start"),
        ({"start": 0, "end": 10_000, "take": None}, "end"),
        ({"start": 5, "end": 5, "take": None}, "end"),
        ({"start": -1, "end": 3, "take": None}, "start"),
        ({"start": 0, "end": 3, "take": 0}, "take"),
    ],
)
def test_decide_refuses_bad_input_naming_the_field(scenario, options, field):
    with pytest.raises(ValidationError) as refused:
        curation_decide(document=scenario.document, user=scenario.curator, **options)
    assert field in refused.value.message_dict


def test_decide_refuses_an_annotation_elsewhere_in_the_text(scenario):
    start, end = scenario.at("SDF")
    with pytest.raises(ValidationError) as refused:
        curation_decide(
            document=scenario.document, user=scenario.curator, start=start, end=end,
            take=scenario.spans[("ana", "March")].pk,
        )  # fmt: skip
    assert "take" in refused.value.message_dict


def test_merge_refuses_an_unknown_strategy_and_min_without_n(scenario):
    with pytest.raises(ValidationError) as refused:
        merge(scenario, "most")
    assert "strategy" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        merge(scenario, "min")
    assert "min" in refused.value.message_dict


def test_annotators_and_viewers_do_not_curate_owners_do(scenario, owner, viewer):
    for user in (scenario.annotators["ana"], viewer):
        with pytest.raises(PermissionDenied):
            curation_merge(document=scenario.document, user=user, strategy="all")
        with pytest.raises(PermissionDenied):
            curation_decide(document=scenario.document, user=user, start=0, end=3, take=None)
    assert curation_merge(document=scenario.document, user=owner, strategy="all").merged == 1


def test_merge_reads_a_fixed_number_of_queries(scenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(24):  # spans 11, events 13
        merge(scenario, "min", minimum=1)


def test_curated_copies_a_re_merge_removes_are_not_listed_as_deleted_annotations(scenario):
    merge(scenario, "min", minimum=1)
    merge(scenario, "min", minimum=3, overwrite=True)  # ISIS and Baghuz leave the curated layer
    assert deleted_annotations_in_project(scenario.document.project) == []
