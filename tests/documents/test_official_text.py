"""The lists behind the check that official documents hold only Vietnamese: the syllables are
real one-syllable Vietnamese spellings without diacritics, a whole inventory rather than the
words that happen to occur; the check catches the English that reached documents before."""

from tests.documents.official_text import SYLLABLE, abbreviations, foreign_words, syllables

# Notes that once reached a decision and the council's minutes.
ENGLISH = [
    "(kept in Nghị định 98/2023/NĐ-CP); article numbers unverified against the official text",
    "the council meets when at least 2/3 of its members are present",
]


def test_every_listed_syllable_is_one_unaccented_vietnamese_syllable() -> None:
    listed = syllables()
    assert len(listed) > 600, "an inventory of syllables, not the words of a few documents"
    for syllable in listed:
        assert syllable.isascii(), syllable
        assert syllable.islower(), syllable
        assert SYLLABLE.fullmatch(syllable), syllable
    # Closed syllables always carry a tone mark; loanwords are left out.
    assert not {"at", "it", "met", "email", "internet", "web"} & listed


def test_abbreviations_are_written_as_documents_write_them() -> None:
    for abbreviation in abbreviations():
        assert abbreviation.isascii(), abbreviation
        assert abbreviation[0].isupper(), abbreviation


def test_english_notes_are_caught_and_vietnamese_text_passes() -> None:
    assert {"kept", "article", "numbers", "unverified", "against", "official", "text"} <= set(
        foreign_words(ENGLISH[0])
    )
    assert {"council", "meets", "when", "least", "its", "members", "present"} <= set(
        foreign_words(ENGLISH[1])
    )
    vietnamese = (
        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 07 năm 2017 của Chính phủ; Kế hoạch số "
        "60/KH-STTTT của UBND tỉnh Đồng Nai. II. THÀNH PHẦN: Có mặt 6/7 thành viên; Lưu: VT, VP."
    )
    assert foreign_words(vietnamese) == []
