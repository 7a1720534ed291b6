"""Configurable fault rates and the pure functions that damage one value the way people do."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date


@dataclass(frozen=True)
class FaultRates:
    """Share of rows (or files) each fault hits; defaults are close to what provinces really send."""

    missing_id: float = 0.5  # about half of children lacked an ID in 2022 (domain.md section 6)
    id_typo: float = 0.01
    id_transposition: float = 0.005
    no_diacritics: float = 0.04
    nfd_text: float = 0.03
    old_tone_placement: float = 0.3  # of names with oa/oe/uy: both spellings are official
    name_typo: float = 0.01
    swapped_name_order: float = 0.005
    day_month_swapped: float = 0.01  # of dates where day <= 12, the only ones that can be swapped
    wrong_sex: float = 0.003
    turned_16: float = 0.01
    duplicate_in_province: float = 0.01
    moved_duplicate: float = 0.005
    unknown_commune: float = 0.003
    # A required cell left blank (an officer skipped it, an export lost the field), one a row, in child
    # records, cases and the department's files; a rate of our own choosing, no province's figure.
    # Written as BLANK_CELLS says: empty, or a cell that only looks empty.
    required_cell_empty: float = 0.002
    # Linkage's hard cases (a real register lags behind the communes; people misread dates and names):
    stranger: float = 0.06  # extra child records with no register person (namesakes, siblings, twins...)
    wrong_birth_date: float = 0.01  # a day or month off, not a swap
    typo_and_date: float = 0.005  # a name typo and a date error in the same record
    moved_commune: float = 0.01  # another commune of the province than the register's
    register_elsewhere: float = 0.005  # the register still has the child in another province
    caregiver_missing: float = 0.1  # of records naming a parent: the name left blank
    caregiver_misspelt: float = 0.05  # of those still named: a typo or no diacritics
    # The department's other sources (synth/department_national.py), per row:
    assessment_total_not_sum: float = 0.01
    recognition_against_rules: float = 0.02  # recognised by decision though a criterion is 0, or the reverse
    score_out_of_range: float = 0.005
    commune_outside_province: float = 0.005
    pre_reform_commune: float = 0.01  # of communes merged in 2025: a predecessor's retired code
    negative_count: float = 0.01
    activity_in_words: float = 0.01
    interventions_above_calls: float = 0.02
    caller_province_mistyped: float = 0.01
    malformed_row: float = 0.001
    late_file: float = 0.15  # file level from here on
    resubmission: float = 0.08
    legacy_tcvn3: float = 0.03
    legacy_vni: float = 0.03
    legacy_cp1258: float = 0.03
    vietnamese_numbers: float = 0.6

    @classmethod
    def none(cls) -> FaultRates:
        return cls(**{field.name: 0.0 for field in fields(cls)})


# How a blank required cell is written: empty two times in five, else a cell that only looks empty (a
# space typed over a value, a no-break space pasted from a web page or a Word table, two spaces). What
# it never writes: zero-width characters, other Unicode spaces, a tab.
BLANK_CELLS = ("", "", " ", "\u00a0", "  ")


_NEW_TO_OLD = {
    unicodedata.normalize("NFC", f"{first}{tone}{second}"): unicodedata.normalize(
        "NFC", f"{first}{second}{tone}"
    )
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for tone in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
}
_OLD_TO_NEW = {old: new for new, old in _NEW_TO_OLD.items()}
# Only open syllables move the tone (Hòa/Hoà); "hoàng", "thuyền" keep it whatever the convention.
_TONE_PATTERN = re.compile("(" + "|".join(sorted(_NEW_TO_OLD) + sorted(_OLD_TO_NEW)) + r")(?=\s|$)")
_KEYBOARD_NEIGHBOURS = {
    "a": "sq",
    "n": "mb",
    "h": "gj",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "t": "ry",
    "g": "fh",
    "m": "n",
    "e": "wr",
    "c": "xv",
    "l": "k",
    "y": "tu",
    "r": "et",
    "v": "cb",
}


def strip_diacritics(text: str) -> str:
    """Đ/đ do not decompose under NFD, so they are mapped explicitly (domain.md 7.3)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def to_nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _swap_tone(match: re.Match[str]) -> str:
    found = match.group(1)
    return _NEW_TO_OLD.get(found) or _OLD_TO_NEW[found]


def flip_tone_placement(text: str) -> str:
    """Hòa <-> Hoà, Thủy <-> Thuỷ: different strings even after NFC."""
    # The pairs are lower case; a name capitalises only a syllable's first letter, never the pair's
    # second vowel, so matching the text as written is enough.
    return _TONE_PATTERN.sub(_swap_tone, unicodedata.normalize("NFC", text))


def has_tone_variant(text: str) -> bool:
    return bool(_TONE_PATTERN.search(unicodedata.normalize("NFC", text)))


def typo(rng: random.Random, text: str) -> str:
    """One keystroke wrong: a neighbouring key, a dropped letter or a doubled one, never the first."""
    positions = [index for index, char in enumerate(text) if index and char.isalpha()]
    if not positions:
        return text + text[-1:]
    index = rng.choice(positions)
    char, kind = text[index], rng.randrange(3)
    if kind == 0 and char.lower() in _KEYBOARD_NEIGHBOURS:
        return text[:index] + rng.choice(_KEYBOARD_NEIGHBOURS[char.lower()]) + text[index + 1 :]
    if kind == 1 and text[index - 1] != " ":
        return text[:index] + text[index + 1 :]
    return text[:index] + char + text[index:]


def swap_name_order(text: str) -> str:
    """Given name first, as foreign forms and some software write it: 'Lan Nguyễn Thị'."""
    parts = text.split()
    return " ".join([parts[-1], *parts[:-1]]) if len(parts) > 1 else text


def id_typo(rng: random.Random, value: str) -> str:
    if not value:  # a child without an ID has none to mistype
        return value
    index = rng.randrange(len(value))
    digit = rng.choice([d for d in "0123456789" if d != value[index]])
    return value[:index] + digit + value[index + 1 :]


def id_transposition(rng: random.Random, value: str) -> str:
    """Two neighbouring different digits swapped; an ID of one repeated digit is left alone."""
    pairs = [index for index in range(len(value) - 1) if value[index] != value[index + 1]]
    if not pairs:
        return value
    index = rng.choice(pairs)
    return value[:index] + value[index + 1] + value[index] + value[index + 2 :]


def shift_date(rng: random.Random, value: str) -> str:
    """An ISO date misread or mistyped: the day one to three off within its month, or the month one off.

    The year is kept, so the child's age group (and whether the record is an over-16) stays as true."""
    year, month, day = (int(part) for part in value.split("-"))
    if rng.random() < 0.7:
        options = [d for d in range(max(1, day - 3), min(28, day + 3) + 1) if d != day]
        return f"{year:04d}-{month:02d}-{rng.choice(options):02d}" if options else value
    month = month + 1 if month < 12 else month - 1
    return f"{year:04d}-{month:02d}-{min(day, 28):02d}"


def can_swap_day_month(day: date) -> bool:
    return day.day <= 12 and day.day != day.month


def swap_day_month(day: date) -> date:
    return date(day.year, day.day, day.month)
