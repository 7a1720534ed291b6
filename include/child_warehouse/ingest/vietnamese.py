"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) to Unicode, and a syllable-based plausibility score.

Text typed in the legacy fonts reaches us as Windows-1252 characters: the font drew Vietnamese
letters where Windows-1252 has Latin-1 symbols. The tables below were written for this project
from the published layouts of the two encodings and checked against the well-known mojibake they
produce when shown in a Unicode font:

- **TCVN3 (ABC, TCVN 5712:1993 VN3, fonts `.VnTime`)**: one byte per precomposed letter. Bytes
  0xA1–0xA7 are Ă Â Ê Ô Ơ Ư Đ, 0xA8–0xAE their lowercase, and 0xB5–0xFE the 67 lowercase toned
  vowels in the order a ă â e ê i o ô ơ u ư y, each as huyền, hỏi, ngã, sắc, nặng (a few positions
  are skipped). Toned capitals come from a separate "H" font using the same bytes, so they decode
  to lowercase: the letters are right, the capitalisation is the font's. Checks: "Hµ Néi" → "Hà Nội",
  "ViÖt Nam" → "Việt Nam", "NguyÔn" → "Nguyễn", "Tr\xadêng" → "Trường".
- **VNI (VNI-Windows, fonts `VNI-Times`)**: a base letter followed by one mark character, typed as
  on the VNI keyboard (1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng, 6 circumflex, 8 breve). Mark characters
  (lowercase font / capital font): sắc ù/Ù, huyền ø/Ø, hỏi û/Û, ngã õ/Õ, nặng ï/Ï; circumflex â/Â and
  circumflex+tone á à å ã ä; breve ê/Ê and breve+tone é è ú ü ë. Whole letters: ô/Ô = ơ/Ơ,
  ö/Ö = ư/Ư, ñ/Ñ = đ/Đ, and the i/y letters ì í æ ó ò = ì í ỉ ĩ ị, î = ỵ. Checks: "Vieät Nam" →
  "Việt Nam", "Haø Noäi" → "Hà Nội", "Nguyeãn" → "Nguyễn". Marks become Unicode combining marks and
  NFC composes them with the base letter, so a mark split from its letter cannot compose and the
  score below notices.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

_TONES = {"huyen": "\u0300", "hoi": "\u0309", "nga": "\u0303", "sac": "\u0301", "nang": "\u0323"}
_TONE_ORDER = ("huyen", "hoi", "nga", "sac", "nang")
# The TCVN3 code chart, shared with the generator's encoder (synth/legacy.py).
# (base letter, first byte of its five toned forms in the order huyền, hỏi, ngã, sắc, nặng)
TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}


def _tcvn3_bytes() -> dict[int, str]:
    table = {0xA1 + i: letter for i, letter in enumerate("ĂÂÊÔƠƯĐăâêôơưđ")}
    for base, codes in TCVN3_TONED.items():
        for tone, code in zip(_TONE_ORDER, codes, strict=True):
            table[code] = unicodedata.normalize("NFC", base + _TONES[tone])
    return table


# Keyed by the Windows-1252 character the byte shows as, so it serves raw bytes and UTF-8 mojibake.
TCVN3 = {ord(bytes([b]).decode("cp1252")): letter for b, letter in _tcvn3_bytes().items()}

_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TONE_MARKS = frozenset(_TONES.values())
_VNI_MARKS = {
    "ù": _TONES["sac"],
    "ø": _TONES["huyen"],
    "û": _TONES["hoi"],
    "õ": _TONES["nga"],
    "ï": _TONES["nang"],
    "â": _CIRCUMFLEX,
    "á": _CIRCUMFLEX + _TONES["sac"],
    "à": _CIRCUMFLEX + _TONES["huyen"],
    "å": _CIRCUMFLEX + _TONES["hoi"],
    "ã": _CIRCUMFLEX + _TONES["nga"],
    "ä": _CIRCUMFLEX + _TONES["nang"],
    "ê": _BREVE,
    "é": _BREVE + _TONES["sac"],
    "è": _BREVE + _TONES["huyen"],
    "ú": _BREVE + _TONES["hoi"],
    "ü": _BREVE + _TONES["nga"],
    "ë": _BREVE + _TONES["nang"],
}
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for lower, value in {**_VNI_MARKS, **_VNI_LETTERS}.items():
        table[ord(lower)] = value
        table[ord(lower.upper())] = value.upper() if lower in _VNI_LETTERS else value
    return table


VNI = _vni_table()


def _by_byte(letters: dict[int, str]) -> dict[int, str]:
    """A repair table keyed by the Windows-1252 byte instead of the character it shows as."""
    table = {}
    for byte in range(256):
        try:
            shown = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:  # five bytes Windows-1252 leaves undefined
            continue
        table[byte] = letters.get(ord(shown), shown)
    return table


# The same tables for codecs.charmap_decode: str.translate looks every character up in a dict (about
# 50 ms a megabyte); the text encoded back to Windows-1252 and decoded through a table costs 2 ms
# (TCVN3, one character a byte, a string table) or 12 ms (VNI, whose marks are two characters: a dict).
_TCVN3_BYTES = "".join(_by_byte(TCVN3).get(byte, "\ufffe") for byte in range(256))
_VNI_BYTES = _by_byte(VNI)


def _repaired(text: str, letters: dict[int, str], by_byte: str | dict[int, str]) -> str:
    """text.translate(letters), through the byte table when every character is one Windows-1252
    has (always so for a file read as Windows-1252; a re-saved UTF-8 file may hold others)."""
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        return text.translate(letters)
    return codecs.charmap_decode(data, "strict", by_byte)[0]


def _capitalise_h_font(match: re.Match[str]) -> str:
    # A word typed in the capital "H" font decodes with lowercase toned letters ("NGUYễN"): when
    # every other letter is a capital, the whole word was.
    word = match.group()
    capitals = sum(c.isupper() for c in word)
    if capitals >= 2 and not any(c.isascii() and c.islower() for c in word):
        return word.upper()
    return word


# The words _capitalise_h_font may change: whole words (\w runs) with no ASCII lowercase letter and a
# letter that is not one. A word with an ASCII lowercase letter (most of a file: "Nguyễn") or none but
# digits stays as it is, so it need not reach Python at all. Possessive, so a long run is scanned once.
_CAPITAL_WORD = re.compile(r"(?<!\w)(?=[\d_]*+[^\W\d_a-z])[^\Wa-z]++(?!\w)")
# A word the rule changes holds two capitals with no ASCII lowercase letter between them. Looked for
# first, as a pattern opening with a set of characters, which Python's re scans for in C (8 ms a
# megabyte of names; _CAPITAL_WORD, opening with a look-behind, is tried at every position: 26 ms):
# the capitals of ASCII and of the Latin blocks Vietnamese uses, and every character outside them
# (any may be a capital; a pair that is not one costs a look, never a change). Only the words
# holding such a pair go to _CAPITAL_WORD.
_LATIN_CAPITALS = "".join(c for c in map(chr, [*range(0x80, 0x250), *range(0x1E00, 0x1F00)]) if c.isupper())
_MAYBE_CAPITAL = f"[A-Z{re.escape(_LATIN_CAPITALS)}\u0250-\u1dff\u1f00-\U0010ffff]"
_TWO_CAPITALS = re.compile(f"{_MAYBE_CAPITAL}[^\\Wa-z]*?{_MAYBE_CAPITAL}")
_WORD_CHARACTER = re.compile(r"\w")
_WORD_CHARACTERS = re.compile(r"\w*")


def _capitalise_h_font_words(text: str) -> str:
    """_CAPITAL_WORD.sub(_capitalise_h_font, text), applied only to the words with two capitals."""
    pieces, at = [], 0
    for pair in _TWO_CAPITALS.finditer(text):
        if pair.start() < at:  # another pair in the word just done
            continue
        start = pair.start()  # the word around the pair: its edges are where \w runs end
        while start > at and _WORD_CHARACTER.match(text, start - 1):
            start -= 1
        end = _WORD_CHARACTERS.match(text, pair.end()).end()
        pieces += [text[at:start], _CAPITAL_WORD.sub(_capitalise_h_font, text[start:end])]
        at = end
    if not pieces:
        return text
    pieces.append(text[at:])
    return "".join(pieces)


def from_tcvn3(text: str) -> str:
    return _capitalise_h_font_words(_repaired(text, TCVN3, _TCVN3_BYTES))


def from_vni(text: str) -> str:
    return unicodedata.normalize("NFC", _repaired(text, VNI, _VNI_BYTES))


def to_tcvn3(text: str) -> bytes:
    """Unicode to TCVN3 bytes (for crafting test files and checking the table is one-to-one)."""
    inverse = {letter: bytes([b]) for b, letter in _tcvn3_bytes().items()}
    return b"".join(inverse.get(c) or inverse.get(c.lower()) or c.encode("cp1252") for c in text)


def to_vni(text: str) -> bytes:
    """Unicode to VNI bytes: each letter typed as its base letter and mark, as on the VNI keyboard."""
    marks = {v: k for k, v in _VNI_MARKS.items()}
    letters = {v: k for k, v in _VNI_LETTERS.items()}
    out = []
    for char in unicodedata.normalize("NFC", text):
        low = char.lower()
        typed = letters.get(low)
        if typed is None:
            base, *marks_of = unicodedata.normalize("NFD", low)
            # NFD puts the dot below before the circumflex; VNI types the letter's shape first.
            rest = "".join(sorted(marks_of, key=lambda m: m in _TONE_MARKS))
            if base in "ou" and rest.startswith(_HORN):
                base, rest = letters["ơ" if base == "o" else "ư"], rest[1:]
            typed = base + marks[rest] if rest else base
        out.append(typed.upper() if char.isupper() else typed)
    return "".join(out).encode("cp1252")


_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]"
_NUCLEI = [
    "iêu",
    "yêu",
    "oai",
    "oay",
    "oeo",
    "uây",
    "uôi",
    "ươi",
    "ươu",
    "uyê",
    "uya",
    "uyu",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iu",
    "oa",
    "oă",
    "oe",
    "oi",
    "ôi",
    "ơi",
    "ua",
    "uâ",
    "uê",
    "ui",
    "uô",
    "uơ",
    "uy",
    "ưa",
    "ưi",
    "ươ",
    "ưu",
    "yê",
    "oo",
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
]
_CODA = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(rf"(?:{_ONSET})?(?:{'|'.join(_NUCLEI)})(?:{_CODA})?")
_TOKEN = re.compile(r"[^\s\d!-/:-@\[-`{-~]+")


def is_vietnamese_syllable(word: str) -> bool:
    """Onset + vowel nucleus + coda with at most one tone mark, in lower, Title or UPPER case."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(toneless) is not None


# Initialisms of Vietnamese administration, written with Đ and no vowels to make a syllable of:
# QĐ (quyết định), UBND, HĐND, ĐTN, TTĐT... A decision number such as "12/QĐ-UBND" is Vietnamese
# text as much as a name is; its Đ is the only non-ASCII letter in many a numeric form.
_INITIALISM = re.compile(r"[B-DF-HJ-NP-TV-ZĐ]{1,6}")


def is_vietnamese_initialism(word: str) -> bool:
    """Upper-case consonants with a Đ (QĐ, HĐND, ĐTN): an administrative abbreviation."""
    return "Đ" in word and len(word) >= 2 and _INITIALISM.fullmatch(word) is not None


def plausibility(text: str, *, composed: bool = False) -> tuple[float, int]:
    """Share of words with a non-ASCII letter that are Vietnamese syllables (or initialisms such as
    QĐ, HĐND), and how many there were. `composed`: the caller has put the text in NFC already (the
    check that it is costs about 1 ms for a sample of 256 kB)."""
    words = Counter(
        w for w in _TOKEN.findall(text if composed else unicodedata.normalize("NFC", text)) if not w.isascii()
    )
    if not words:
        return 1.0, 0
    # each distinct word judged once: a sample of names repeats a few hundred syllables (Nguyễn,
    # Thị, Văn...) thousands of times. Judging every occurrence, choosing the encodings of a 1M
    # night's 31 child-record CSV files took 1.5-1.6 s, against 0.5-0.6 s so (2026-12-07)
    plausible = sum(n for w, n in words.items() if is_vietnamese_syllable(w) or is_vietnamese_initialism(w))
    total = words.total()
    return plausible / total, total
