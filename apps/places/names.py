"""How a place name is compared: an exact key (the name case-folded) and a spelling key that also forgives the
ways one Arabic name is written in Latin letters (Baghouz/Baghuz, al-/al /el-, diacritics, doubled letters)."""

import re
import unicodedata

_ARTICLE = re.compile(r"\b(?:al|el|ad|ar|as|ash|at|az|an)[\s\-‐'’]+")
_QUOTE_MARKS = re.compile(r"['’‘ʿʾ`´\u02bb\u02bc]")
_NOT_LETTER = re.compile(r"[\W_]+")
_SPELLINGS = (("ou", "u"), ("ee", "i"), ("oo", "u"), ("kh", "k"), ("q", "k"), ("dh", "d"))
_DOUBLED = re.compile(r"(\w)\1+")
_FINAL_H = re.compile(r"(?<=[aiu])h$")


def exact_key(name: str) -> str:
    """The name as people write it, only without case and surrounding space."""
    return " ".join(name.casefold().split())


def spelling_key(name: str) -> str:
    """The name without diacritics, case, articles, punctuation, spaces, and with the usual transliteration
    variants folded together; '' for a name with no letters."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(char for char in decomposed if not unicodedata.combining(char))
    text = _QUOTE_MARKS.sub("", text)
    text = _ARTICLE.sub("", text)
    text = _NOT_LETTER.sub("", text)
    for written, folded in _SPELLINGS:
        text = text.replace(written, folded)
    return _FINAL_H.sub("", _DOUBLED.sub(r"\1", text))
