import pytest

from apps.actors.matching import name_key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SDF", "sdf"),
        ("Syrian Democratic Forces", "syrian  democratic\nforces"),
        ("U.S.-backed forces", "US backed forces"),
        ("U.S.-backed forces", "u.s. backed forces"),
        ("the SDF", "SDF"),
        ("Forces armées", "Forces armees"),
        ("Hay'at Tahrir al-Sham", "Hayat Tahrir al Sham"),
        ("Hayʼat Tahrir al-Sham", "Hayat Tahrir al-Sham"),
        ("Kurdistan Workers’ Party", "Kurdistan Workers Party"),
    ],
)
def test_the_same_name_however_written(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SDF", "SDF fighters"),  # the whole phrase, not a part of it
        ("SDF fighters", "fighters"),
        ("Islamic State", "Islamic State of Iraq"),
        ("US forces", "U.S.-backed forces"),
        ("the SDF", "other SDF"),
    ],
)
def test_different_names(one, other):
    assert name_key(one) != name_key(other)


def test_punctuation_alone_leaves_nothing_to_match():
    assert name_key("—.,") == ""
    assert name_key("الدولة الإسلامية") == "الدولة الاسلامية"  # with or without the hamza, as reports write it
