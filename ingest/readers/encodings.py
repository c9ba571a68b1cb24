"""Text bytes to Unicode: UTF-8, or one of the legacy Vietnamese encodings still found in old files.

Windows-1258 (composed or with separate tone marks) has a codec in Python. TCVN3 (the ABC
fonts, TCVN 5712:1993) has none: its byte table is the data file ``ingest/data/tcvn3.csv``.
VNI is a font encoding that writes a letter as a base letter plus mark bytes; it is
recognised and refused by name rather than guessed at.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from graph.text import read_table
from ingest.document import BadDocument
from ingest.vocab import DATA

CONTROL_BYTES = set(range(0, 9)) | {11, 12} | set(range(14, 32))
# Vowel + a VNI tone byte read as Latin-1 (à = "aø", ả = "aû", ạ = "aï"): these pairs never occur in Vietnamese.
VNI_PAIRS = re.compile("[aeiouyAEIOUY][\u00f8\u00fb\u00ef\u00d8\u00db\u00cf]")
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
PUNCTUATION = "\u2013\u2014\u201c\u201d\u2018\u2019\u2026\u00a0\u00b0"


@lru_cache(maxsize=1)
def _tcvn3() -> dict[int, str]:
    return {int(r["byte"], 16): chr(int(r["unicode"], 16)) for r in read_table(DATA / "tcvn3.csv")}


def decode_tcvn3(data: bytes) -> str:
    table = _tcvn3()
    return unicodedata.normalize("NFC", "".join(table.get(b, chr(b)) for b in data))


def _vietnamese_score(text: str) -> int:
    """How Vietnamese a decoding looks. A Vietnamese syllable carries at most one tone mark and
    is not capitalised in its middle; stray symbols are not letters. A wrong decoding breaks these."""
    score = 0
    for word in re.findall(r"\S+", unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        letters = unicodedata.normalize("NFD", word)
        tones = sum(ch in TONE_MARKS for ch in letters)
        stray = sum(1 for ch in word if not ch.isascii() and not ch.isalpha() and ch not in PUNCTUATION)
        mixed_case = any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))
        score += -5 if tones > 1 or stray or mixed_case else 1
    return score


def _legacy_candidates(data: bytes) -> dict[str, str]:
    candidates = {"TCVN3 (TCVN 5712:1993)": decode_tcvn3(data)}
    try:
        candidates["Windows-1258"] = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        pass
    return candidates


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a text file and the encoding it was in; BadDocument when it is not text."""
    if not data.strip():
        raise BadDocument("empty file: nothing to read")
    head = data[:4096]
    if b"\x00" in head:
        raise BadDocument("binary file: not a text document")
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        text, encoding = _decode_legacy(data, exc)
    if sum(ord(c) in CONTROL_BYTES for c in text[:4096]) > len(text[:4096]) * 0.05:
        raise BadDocument("binary file: not a text document")
    if not text.strip():
        raise BadDocument("empty file: nothing to read")
    return text, encoding


def _decode_legacy(data: bytes, error: UnicodeDecodeError) -> tuple[str, str]:
    latin = data.decode("latin-1")
    if len(VNI_PAIRS.findall(latin)) >= max(3, len(latin.split()) // 50):
        raise BadDocument("not UTF-8: the bytes look like the VNI font encoding, which is not converted; "
                          "save the file as Unicode (UTF-8) and ingest it again")
    scored = sorted(((_vietnamese_score(text), encoding, text) for encoding, text in _legacy_candidates(data).items()),
                    reverse=True)
    best_score, encoding, text = scored[0]
    if best_score <= 0:
        raise BadDocument(f"not UTF-8 (byte {error.start}: {data[error.start:error.start + 4]!r}) and not readable as "
                          "Windows-1258 or TCVN3: convert it to UTF-8")
    return text, encoding
