"""Legacy Vietnamese encodings provinces still send: TCVN3 (ABC), VNI-Windows and Windows-1258.

Written apart from ingest/vietnamese.py on purpose: the generator plays the provinces' old software,
and a file that round-trips through two separately written tables is what catches a wrong entry.
"""

from __future__ import annotations

import unicodedata

from child_warehouse.ingest.vietnamese import TCVN3_TONED

# Vietnamese tone marks as Unicode combining characters, in the order the tables below list them.
GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"

# TCVN 5712:1993 "VN3" (the ABC fonts .VnTime, .VnArial): one byte per lower-case letter, five
# tones in the order grave, hook, tilde, acute, dot. Only the seven toneless capitals Ă Â Ê Ô Ơ Ư Đ
# have bytes; a capital with a tone was typed in the separate capitals font (.VnTimeH) with the
# lower-case byte, so upper-case toned letters come back lower-case (documented, as in real files).
# Sources: the TCVN 5712 code chart as reproduced by Unikey/vnconv; checked against the well-known
# mojibake "Hµ Néi" (Hà Nội) and "ViÖt Nam".
_TCVN3_ROWS = TCVN3_TONED  # the decoder's chart, so encoding and decoding cannot drift apart
_TCVN3_PLAIN = {
    "ă": 0xA8,
    "â": 0xA9,
    "ê": 0xAA,
    "ô": 0xAB,
    "ơ": 0xAC,
    "ư": 0xAD,
    "đ": 0xAE,
    "Ă": 0xA1,
    "Â": 0xA2,
    "Ê": 0xA3,
    "Ô": 0xA4,
    "Ơ": 0xA5,
    "Ư": 0xA6,
    "Đ": 0xA7,
}


def _tcvn3_table() -> dict[str, int]:
    table = dict(_TCVN3_PLAIN)
    for base, codes in _TCVN3_ROWS.items():
        for tone, code in zip(TONES, codes, strict=True):
            table[unicodedata.normalize("NFC", base + tone)] = code
    return table


TCVN3_ENCODE = _tcvn3_table()
TCVN3_DECODE = {code: char for char, code in TCVN3_ENCODE.items()}


def _tcvn3_translation() -> dict[int, str]:
    table = {ord(char): chr(code) for char, code in TCVN3_ENCODE.items()}
    for char, code in TCVN3_ENCODE.items():
        # A toned capital was typed in the capitals font (.VnTimeH) with the lower-case byte.
        if char.upper() != char and ord(char.upper()) not in table:
            table[ord(char.upper())] = chr(code)
    return table


_TCVN3_TRANSLATION = _tcvn3_translation()


def encode_tcvn3(text: str) -> bytes:
    mapped = unicodedata.normalize("NFC", text).translate(_TCVN3_TRANSLATION)
    return mapped.encode("latin-1", errors="replace")


def decode_tcvn3(data: bytes) -> str:
    return "".join(TCVN3_DECODE.get(byte, chr(byte)) for byte in data)


# VNI-Windows: the base letter, then one or two Latin-1 "mark" characters the VNI fonts draw as
# diacritics (Vieät Nam, Haø Noäi). Tones after a plain or horned vowel; a combined mark after a
# circumflex or breve vowel; i and ỵ have single replacement characters; ơ ư đ are single characters.
_VNI_TONE = dict(zip(TONES, "øûõùï", strict=True))
_VNI_CIRCUMFLEX = dict(zip(("", *TONES), "âàåãáä", strict=True))
_VNI_BREVE = dict(zip(("", *TONES), "êèúüéë", strict=True))
_VNI_I = dict(zip(TONES, "ìæóíò", strict=True))
_VNI_HORN = {"o": "ô", "u": "ö"}


def _vni_lower(base: str, modifier: str, tone: str) -> str:
    if modifier == CIRCUMFLEX:
        return base + _VNI_CIRCUMFLEX[tone]
    if modifier == BREVE:
        return base + _VNI_BREVE[tone]
    if modifier == HORN:
        return _VNI_HORN[base] + _VNI_TONE.get(tone, "")
    if base == "i" and tone:
        return _VNI_I[tone]
    if base == "y" and tone == DOT:
        return "î"
    return base + _VNI_TONE.get(tone, "")


def _vni_table() -> dict[str, str]:
    table = {"đ": "ñ", "Đ": "Ñ"}
    combos = [("a", CIRCUMFLEX), ("a", BREVE), ("e", CIRCUMFLEX), ("o", CIRCUMFLEX), ("o", HORN), ("u", HORN)]
    combos += [(vowel, "") for vowel in "aeiouy"]
    for base, modifier in combos:
        for tone in ("", *TONES):
            if not modifier and not tone:
                continue
            char = unicodedata.normalize("NFC", base + modifier + tone)
            table[char] = _vni_lower(base, modifier, tone)
            table[char.upper()] = _vni_lower(base, modifier, tone).upper()
    return table


VNI_ENCODE = _vni_table()
VNI_DECODE = {sequence: char for char, sequence in VNI_ENCODE.items()}


_VNI_TRANSLATION = {ord(char): sequence for char, sequence in VNI_ENCODE.items()}


def encode_vni(text: str) -> bytes:
    mapped = unicodedata.normalize("NFC", text).translate(_VNI_TRANSLATION)
    return mapped.encode("latin-1", errors="replace")


def decode_vni(data: bytes) -> str:
    """Greedy: a two-character sequence (base + mark) wins over its first character alone."""
    text, out, index = data.decode("latin-1"), [], 0
    while index < len(text):
        pair = text[index : index + 2]
        if len(pair) == 2 and pair in VNI_DECODE:
            out.append(VNI_DECODE[pair])
            index += 2
            continue
        out.append(VNI_DECODE.get(text[index], text[index]))
        index += 1
    return "".join(out)


def _cp1258_form(char: str) -> str:
    parts = unicodedata.normalize("NFD", char)
    tones = "".join(mark for mark in parts if mark in TONES)
    return unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in TONES)) + tones


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 has â ă ê ô ơ ư đ but writes the five tones as combining bytes after the letter."""
    text = unicodedata.normalize("NFC", text)
    table = {ord(char): _cp1258_form(char) for char in set(text) if ord(char) > 127}
    return text.translate(table).encode("cp1258", errors="replace")


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


ENCODERS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-sig": lambda text: text.encode("utf-8-sig"),
    "tcvn3": encode_tcvn3,
    "vni": encode_vni,
    "cp1258": encode_cp1258,
}
DECODERS = {
    "utf-8": lambda data: data.decode("utf-8"),
    "utf-8-sig": lambda data: data.decode("utf-8-sig"),
    "tcvn3": decode_tcvn3,
    "vni": decode_vni,
    "cp1258": decode_cp1258,
}
