"""Encodings: Windows-1258, TCVN3 and VNI detected from a sample and converted to NFC; doubt is refused."""

import codecs
import io
import unicodedata

import pytest

from child_warehouse.contract.reasons import FileRejected
from child_warehouse.ingest import encodings
from child_warehouse.ingest.readers import read_table
from child_warehouse.ingest.vietnamese import from_tcvn3, from_vni, is_vietnamese_syllable, to_tcvn3, to_vni

NAMES = [
    "Nguyễn Thị Hoà",
    "Trần Văn Đức",
    "Lê Hoàng Yến",
    "Phạm Quốc Việt",
    "Đặng Thuỳ Dương",
    "Huỳnh Ngọc Ánh",
    "Vũ Minh Khuê",
    "Bùi Thị Ngữ",
    "Hồ Hữu Nghĩa",
    "Ngô Thanh Hương",
]
HEADER = "Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính\n"


def _document(names=NAMES) -> str:
    rows = [
        f"HS-{i},00004,{name},0{i % 9 + 1}/03/2016,{'Nữ' if i % 2 else 'Nam'}\n"
        for i, name in enumerate(names)
    ]
    return HEADER + "".join(rows)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps the letter's shape precomposed and types the tone as a combining mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        shape = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(shape + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


ENCODERS = {
    "windows-1258": to_cp1258,
    "tcvn3": to_tcvn3,
    "vni": to_vni,
    "utf-8+vni": lambda text: to_vni(text).decode("cp1252").encode("utf-8"),
    "utf-8+tcvn3": lambda text: to_tcvn3(text).decode("cp1252").encode("utf-8"),
}


def test_the_tables_read_the_classic_mojibake():
    # Strings seen in real legacy documents, typed independently of our encoders.
    assert (
        from_tcvn3("Hµ Néi, ViÖt Nam, NguyÔn, Tr\xadêng, §µ N½ng")
        == "Hà Nội, Việt Nam, Nguyễn, Trường, Đà Nẵng"
    )
    assert (
        from_vni("Haø Noäi, Vieät Nam, Nguyeãn, Tröôøng, Ñaø Naüng")
        == "Hà Nội, Việt Nam, Nguyễn, Trường, Đà Nẵng"
    )


@pytest.mark.parametrize("word", ["Nguyễn", "NGHIÊNG", "quyết", "giữ", "khuỷu", "Đặng", "ươm"])
def test_vietnamese_syllables_are_recognised(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["NguyÔn", "Hoµ", "Nguyeãn", "tờịn", "Ã¡", "ThÞ"])
def test_mojibake_is_not_a_syllable(word):
    assert not is_vietnamese_syllable(word)


@pytest.mark.parametrize("name", list(ENCODERS))
def test_each_legacy_encoding_is_detected_and_read_as_sent(tmp_path, name):
    """Font encodings (TCVN3, VNI) become composed Unicode letters; Windows-1258 is decoded exactly,
    its combining tone marks kept as the raw layer keeps any decomposed text (staging composes)."""
    path = tmp_path / "child_records.csv"
    path.write_bytes(ENCODERS[name](_document()))
    with path.open("rb") as handle:
        assert encodings.detect(handle, path.name).name == name
    table = read_table(path, "child_records")
    assert table.headers == HEADER.strip().split(",")
    rows = list(table.rows)
    names = [cells[2] for _, cells in rows]
    # TCVN3 capitals come from a second font; the letters are right, the case may be lower.
    composed = [unicodedata.normalize("NFC", n) for n in names]
    assert [n.lower() for n in composed] == [n.lower() for n in NAMES]
    if name == "windows-1258":
        assert composed != names  # the tone marks arrive as separate characters, and stay so
    else:
        assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_detection_accuracy_over_many_short_samples():
    """Every one of 5 encodings × 50 two-name samples is read right or refused, never misread."""
    right = refused = 0
    for offset in range(50):
        names = [NAMES[offset % 10], NAMES[(offset * 3 + 1) % 10]]
        text = _document(names)
        for encode in ENCODERS.values():
            try:
                encoding = encodings.choose_encoding(encode(text), True, "x.csv")
            except FileRejected:
                refused += 1
                continue
            decoded = unicodedata.normalize("NFC", encoding.repair(encode(text).decode(encoding.codec)))
            assert decoded.lower() == text.lower(), encoding.name
            right += 1
    assert right >= 240, (right, refused)


def test_a_vni_mark_at_a_line_end_is_not_split_by_streaming():
    data = to_vni(_document() * 2000)  # well past the sample and any decode buffer
    encoding = encodings.choose_encoding(data[: encodings.SAMPLE_BYTES], False, "x.csv")
    text = "".join(encodings.text_lines(io.BytesIO(data), encoding, "x.csv"))
    assert text == _document() * 2000


@pytest.mark.parametrize("name", ["tcvn3", "vni", "utf-8+tcvn3", "utf-8+vni"])
def test_pieces_of_whole_lines_read_as_the_lines_one_by_one(name):
    # CRLF and LF line ends, a line ended by a carriage return alone, a capital word in the H font,
    # marks at line ends: pieces as small as one character are stretched to whole lines
    text = _document() + "HS-X,00004,NGUYỄN VĂN AN,01/01/2016,Nam\r\nHS-Y,00004,Lê Thị Ngữ\rHS-Z,x,Đức\n"
    data = ENCODERS[name](text * 3)
    encoding = next(e for e in encodings.CANDIDATES if e.name == name)
    lines = list(encodings.text_lines(io.BytesIO(data), encoding, "x.csv"))
    for size in (1, 7, 64, 100_000):
        pieces = list(encodings.text_pieces(io.BytesIO(data), encoding, "x.csv", size))
        assert pieces[0] == lines[0]
        assert "".join(pieces) == "".join(lines)
        assert all(piece.endswith(("\n", "\r")) for piece in pieces[:-1])
    assert "".join(lines).replace("\r", "").lower() == (text * 3).replace("\r", "").lower()


def test_the_byte_tables_repair_as_the_character_tables():
    # every character Windows-1252 has, through the byte table; a character it has not, as before
    from child_warehouse.ingest import vietnamese

    every = "".join(
        bytes([b]).decode("cp1252") for b in range(256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    )
    for text in (every, every[::-1] + "\n" + every, "Hµ Néi ễ", "Haø Noäi \u2200"):
        assert vietnamese._repaired(text, vietnamese.TCVN3, vietnamese._TCVN3_BYTES) == text.translate(
            vietnamese.TCVN3
        )
        assert vietnamese._repaired(text, vietnamese.VNI, vietnamese._VNI_BYTES) == text.translate(
            vietnamese.VNI
        )


def test_latin_text_that_is_not_vietnamese_is_refused(tmp_path):
    path = tmp_path / "child_records.csv"
    path.write_bytes("record_id,full_name\n1,Müller Straße\n2,Ærø Ångström\n".encode("cp1252"))
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert caught.value.reason.code.startswith("encoding_")
    assert "UTF-8" in caught.value.reason.vi


def test_a_bad_byte_after_the_sample_refuses_the_file(tmp_path):
    path = tmp_path / "child_records.csv"
    body = _document().encode("utf-8") * 4000
    path.write_bytes(body + b"HS-x,00004,\xff\xfe\xfa,01/01/2016,Nam\n")
    table = read_table(path, "child_records")
    with pytest.raises(FileRejected) as caught:
        list(table.rows)
    assert caught.value.reason.code == "encoding_unknown"


def test_a_utf8_sample_is_judged_on_its_head_when_the_head_holds_enough_words(monkeypatch):
    """A UTF-8 file of names is decided on its first 32,768 characters (the whole sample must still be
    UTF-8); a head of too few words is judged with the rest of the sample, as before."""
    judged = []
    real = encodings.plausibility
    monkeypatch.setattr(
        encodings, "plausibility", lambda text, **kw: judged.append(len(text)) or real(text, **kw)
    )
    names = _document(NAMES * 200).encode("utf-8")  # about 6,000 Vietnamese words
    assert encodings.choose_encoding(names, True, "x.csv") is encodings.UTF8
    assert judged == [encodings.PREFIX_CHARACTERS]
    judged.clear()
    ascii_head = ("HS-0,00004,Nguyen Van A,01/03/2016,Nam\n" * 1200).encode() + names
    assert encodings.choose_encoding(ascii_head, True, "x.csv") is encodings.UTF8
    assert judged == [encodings.PREFIX_CHARACTERS, len(ascii_head.decode())]
    judged.clear()
    # A bad byte past the head still rules UTF-8 out, and the legacy contest is held.
    with pytest.raises(FileRejected):
        encodings.choose_encoding(names + b"\xff\xfe", True, "x.csv")


def test_bom_decides_without_scoring():
    assert encodings.choose_encoding(codecs.BOM_UTF8 + b"a", True, "x") is encodings.UTF8_SIG
    assert (
        encodings.choose_encoding(codecs.BOM_UTF16_LE + "a".encode("utf-16-le"), True, "x").name == "utf-16"
    )


@pytest.mark.parametrize("name", list(ENCODERS))
def test_a_numeric_form_whose_only_vietnamese_is_yes_no_and_a_decision_number_is_read(tmp_path, name):
    """A commune assessment in English headers: scores, 'Có'/'Không' and '12/QĐ-UBND'. QĐ, HĐND and
    their kind are initialisms, not misread syllables: they count for the encoding, not against it."""
    rows = [
        f"0000{i},phuong,{','.join(['80'] * 13)},1040,{'Có' if i % 2 else 'Không'},{i}/QĐ-UBND"
        for i in range(6)
    ]
    path = tmp_path / "commune_assessment.csv"
    path.write_bytes(
        ENCODERS[name]("commune_code,commune_type,recognised,decision_no\n" + "\n".join(rows) + "\n")
    )
    with path.open("rb") as handle:
        assert encodings.detect(handle, path.name).name == name


@pytest.mark.parametrize(
    ("word", "expected"), [("QĐ", True), ("HĐND", True), ("ĐTN", True), ("QD", False), ("Đa", False)]
)
def test_administrative_initialisms_are_told_from_words(word, expected):
    from child_warehouse.ingest.vietnamese import is_vietnamese_initialism

    assert is_vietnamese_initialism(word) is expected


def _capitalised_word_by_word(text: str) -> str:
    """The H-font rule applied to every \\w run, as from_tcvn3 once did (one Python call per word)."""
    import re

    from child_warehouse.ingest.vietnamese import TCVN3, _capitalise_h_font

    return re.sub(r"\w+", _capitalise_h_font, text.translate(TCVN3))


def test_tcvn3_capitalises_the_same_words_as_judging_every_word():
    # from_tcvn3 sends only the words the rule may change to Python: the result must be the same
    import random

    alphabet = "aAzZ09_ -/.,\tđĐễỄNGUYnguyĂăÂâµÖ¡¨åÇ\u0300\u0301ßǅⅫ٣" + "".join(map(chr, range(0xA0, 0x100)))
    rng = random.Random(7)  # noqa: S311 (test data)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert from_tcvn3(text) == _capitalised_word_by_word(text), text
    assert from_tcvn3("NGUYÔN V¡N An, 12/05/2015, ID_7") == "NGUYỄN VĂN An, 12/05/2015, ID_7"


def test_plausibility_counts_every_occurrence_of_a_word():
    # each distinct word is judged once, and weighted by how often it occurs
    from child_warehouse.ingest.vietnamese import plausibility

    assert plausibility("Nguyễn Nguyễn Nguyễn Nguyễn Ñaø") == (0.8, 5)
    assert plausibility("Ñaø Ñaø Nguyễn") == (pytest.approx(1 / 3), 3)
    assert plausibility("only ascii words") == (1.0, 0)
