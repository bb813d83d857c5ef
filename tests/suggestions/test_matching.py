from apps.suggestions.matching import Candidate, Term, automaton_candidates, build_automaton, covered, resolve


def spans(terms, text):
    automaton, _ = build_automaton(terms)
    return sorted((c.start, c.end, c.tag_id, c.source) for c in automaton_candidates(automaton, text))


def test_whole_words_only_and_case_aware():
    terms = [Term("IS", 1, "memory", 0.7), Term("Baghuz", 2, "gazetteer", 0.9)]
    text = "IS fighters left Baghuz; this island is not IS-held, nor Baghuzi."
    assert spans(terms, text) == [(0, 2, 1, "memory"), (17, 23, 2, "gazetteer"), (44, 46, 1, "memory")]


def test_lower_case_term_matches_at_a_sentence_start_too():
    terms = [Term("coalition airstrikes", 3, "memory", 0.7)]
    text = "Coalition airstrikes hit. Then coalition airstrikes again."
    assert [s[:2] for s in spans(terms, text)] == [(0, 20), (31, 51)]


def test_code_point_offsets_past_emoji_and_arabic():
    terms = [Term("SDF", 1, "entity", 0.9), Term("الباغوز", 2, "gazetteer", 0.6)]
    text = "🙂 SDF in الباغوز"
    assert [s[:2] for s in spans(terms, text)] == [(2, 5), (9, 16)]
    assert text[9:16] == "الباغوز"


def test_single_letters_are_never_terms():
    assert build_automaton([Term("a", 1, "memory", 0.5)]) == (None, 0)


def test_resolve_keeps_the_best_source_and_the_longest_of_overlapping_spans():
    found = [
        Candidate(0, 6, 1, "gazetteer", 0.6),
        Candidate(0, 6, 1, "memory", 0.8),
        Candidate(0, 13, 1, "entity", 0.9),  # longer, same tag: wins over the shorter one inside it
        Candidate(7, 13, 2, "quantity", 0.8),  # another tag: kept beside it
        Candidate(20, 26, 1, "entity", 0.9),
        Candidate(20, 26, 1, "memory", 0.9),  # same score: the memory wins the tie
    ]
    kept = resolve(found)
    assert [(c.start, c.end, c.tag_id, c.source) for c in kept] == [
        (0, 13, 1, "entity"),
        (7, 13, 2, "quantity"),
        (20, 26, 1, "memory"),
    ]


def test_covered_drops_candidates_overlapping_an_annotation_of_their_tag():
    found = [Candidate(0, 5, 1, "memory", 1), Candidate(4, 9, 2, "memory", 1), Candidate(10, 14, 1, "memory", 1)]
    kept = covered(found, [(1, 3, 4), (1, 20, 30), (2, 0, 2)])
    assert [(c.start, c.tag_id) for c in kept] == [(4, 2), (10, 1)]
