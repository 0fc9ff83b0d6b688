"""Official documents hold nothing but Vietnamese (Nghị định 30/2020/NĐ-CP; no English, no
internal notes). A word is a run of letters; a word of plain ASCII letters must be an unaccented
Vietnamese syllable (tests/data/vietnamese_syllables.txt, any case) or a listed abbreviation
(tests/data/document_abbreviations.txt, as written). Any document's text can be checked: the
decision, the minutes, the covenant, the plan, the revocation, the dossier."""

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).parents[1] / "data"
SYLLABLES = DATA / "vietnamese_syllables.txt"
ABBREVIATIONS = DATA / "document_abbreviations.txt"
WORD = re.compile(r"[^\W\d_]+")
# One syllable of Vietnamese spelling without diacritics: an onset and a rhyme that ends in a
# vowel or a nasal (a syllable closed by p, t, c or ch carries a tone mark).
ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
RHYME = (
    r"(?:a|ai|am|an|ang|anh|ao|au|ay|e|em|en|eng|eo|i|ia|im|in|inh|iu|y|ya|yn|ynh"
    r"|o|oi|om|on|ong|oong|u|ua|ui|um|un|ung"
    r"|oa|oai|oam|oan|oang|oanh|oao|oay|oe|oen|oeo|uy|uya|uyn|uynh|uyu)"
)
SYLLABLE = re.compile(f"{ONSET}{RHYME}")


def _entries(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def syllables() -> frozenset[str]:
    return _entries(SYLLABLES)


@cache
def abbreviations() -> frozenset[str]:
    return _entries(ABBREVIATIONS)


def foreign_words(text: str) -> list[str]:
    """The words of `text` that are neither Vietnamese nor a listed abbreviation, sorted."""
    return sorted(
        {
            word
            for word in WORD.findall(text)
            if word.isascii() and word.lower() not in syllables() and word not in abbreviations()
        }
    )


def assert_only_vietnamese(text: str, document: str = "document") -> None:
    found = foreign_words(text)
    assert not found, f"the {document} holds words that are not Vietnamese: {found}"
