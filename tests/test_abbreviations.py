"""Abbreviations (graph/data/abbreviations.csv) are spelled out where a text writes them, and nowhere else.

``expand`` (ingest/normalize.py) reads them as written: case, whole words. ``fold`` (graph/text.py) matches
the short forms of several letters in the folded text, whatever their case (people type "tphcm"), and the
others (a letter, a form with a dot) as written. Neither may rewrite an ordinary word: the only words they
add are long forms, and the only words they take away are short forms (and a long form's head written just
before its short form, "Trường ĐH"). The sentences are the project's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.text import DATA, fold, read_table, strip_marks
from ingest.normalize import expand

ROOT = Path(__file__).resolve().parent.parent
WORD_LISTS = [path for folder in (ROOT / "ingest" / "data", ROOT / "graph" / "data") for path in sorted(folder.iterdir())
              if path.suffix in (".csv", ".txt") and path.name != "tcvn3.csv"]


def _bare(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", strip_marks(text).lower()))


@pytest.mark.parametrize("sentence", [
    'Hội viên "nông dân" Thử được tập huấn; hỗ trợ “nông dân” tiêu thụ nông sản.',
    "Sở NN&PTNT tỉnh Thử hỗ trợ nông dân và hợp tác xã tiêu thụ nông sản.",
    "Hội Nông dân huyện Thử phối hợp với UBND xã Thử tổ chức phiên chợ nông sản.",
])
def test_farmers_stay_farmers(sentence: str) -> None:
    """No long form holds 'sản' and no short form is 'nông' or 'dân': 'nông dân' cannot become 'nông sản'."""
    assert expand(sentence).count("nông dân") + expand(sentence).count("Nông dân") == \
        sentence.count("nông dân") + sentence.count("Nông dân")
    assert fold(sentence).count("nong dan") == _bare(sentence).count("nong dan")
    assert fold(sentence).count("nong san") == _bare(sentence).count("nong san")


def test_no_word_of_the_project_s_word_lists_is_rewritten() -> None:
    """Every lower-case word of every word list (hundreds of ordinary syllables) folds and expands to itself."""
    words = {word for path in WORD_LISTS for word in re.findall(r"\w+", path.read_text(encoding="utf-8"))
             if word.isalpha() and word.islower()}
    assert len(words) > 500
    assert [word for word in sorted(words) if expand(word) != word or fold(word) != _bare(word)] == []


# A Vietnamese syllable without its marks: an onset, vowels, and one of the codas the language has.
SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]+(ch|ng|nh|[cmnpt])?")


def test_every_short_form_matched_in_folded_text_holds_a_word_no_syllable_is() -> None:
    """The short forms matched whatever their case (UBND, TP HCM, NN và PTNT) each hold a word that is no
    Vietnamese syllable, so folding cannot take ordinary words for one."""
    for row in read_table(DATA / "abbreviations.csv"):
        if row["followed_by"] or row["short"].endswith("."):
            continue  # matched as written (test_a_dotted_short_form_is_read_only_with_its_dot)
        assert any(not SYLLABLE.fullmatch(word) for word in _bare(row["short"]).split()), row


def test_a_word_before_a_long_form_is_kept() -> None:
    """Only the head a long form adds ('Trường' of ĐH) is written once; the word before another short form stays."""
    assert expand("Hợp tác xã Thử đã ứng dụng thành công CNC vào trồng rau.") == \
        "Hợp tác xã Thử đã ứng dụng thành công công nghệ cao vào trồng rau."
    assert expand("Liên hệ ông Đặng Văn Thành TP.HCM để đăng ký.") == \
        "Liên hệ ông Đặng Văn Thành Thành phố Hồ Chí Minh để đăng ký."
    assert expand("Trường ĐH Thử và ĐH Thử Hai") == "Trường Đại học Thử và Trường Đại học Thử Hai"
    assert fold("Trường ĐH Thử") == fold("ĐH Thử") == fold("Trường Đại học Thử") == "truong dai hoc thu"


def test_a_dotted_short_form_is_read_only_with_its_dot() -> None:
    """'TT.' is a township and 'H.' a district, written so; 'TT HĐND' (the standing committee), the initials of a
    photo's author and an hour are not."""
    assert fold("Kính gửi: TT HĐND tỉnh Thử") == "kinh gui tt hoi dong nhan dan tinh thu"
    assert fold("Đơn vị thực hiện: TT XTĐT tỉnh Thử") == "don vi thuc hien tt xuc tien dau tu tinh thu"
    assert fold("Ảnh: T.H") == "anh t h" and fold("Ảnh: H.Thử") == "anh h thu"
    assert fold("Khai mạc lúc 8 h sáng, kết thúc lúc 11 h.") == "khai mac luc 8 h sang ket thuc luc 11 h"
    assert fold("TT. Thử") == fold("thị trấn Thử") and fold("H. Thử") == fold("huyện Thử")
    assert fold("Tx. Thu") == fold("tx. thu") == fold("thị xã Thử")  # typed in any case


def test_a_quarter_is_no_district() -> None:
    assert "quan" not in fold("Tổ chức hội chợ trong Q1/2025")
    assert fold("Q1 năm 2025") == fold("Quận 1 năm 2025") and fold("q.1") == fold("Quận 1")
