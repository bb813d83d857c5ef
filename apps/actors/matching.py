"""When a span's text names an entity: the whole phrase, compared by a key that ignores case, accents, a leading
"the", dots and apostrophes ("U.S." is "us") and any run of other punctuation or spaces ("U.S.-backed forces" is
"us backed forces"). "SDF fighters" is not "SDF"."""

import re
import unicodedata

_DROPPED = re.compile(r"[.'’‘`ʼʻ]")
_SEPARATORS = re.compile(r"[\W_]+")
_ARTICLE = re.compile(r"^the ")


def name_key(text: str) -> str:
    """The matching key of a name, an alias or a quote ("" when nothing is left to compare)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _ARTICLE.sub("", _SEPARATORS.sub(" ", _DROPPED.sub("", letters)).strip())
