"""Vietnamese full names (NFC, with diacritics) drawn with realistic surname shares and structure."""

from __future__ import annotations

import random
import unicodedata
from itertools import accumulate

# Shares in percent from domain.md section 7.2; Hoàng/Huỳnh and Vũ/Võ are split between the northern
# and southern spellings; the remaining ~10 % is spread over less common surnames.
_SURNAME_TABLE = """
Nguyễn 38.0, Trần 11.0, Lê 9.5, Phạm 7.1, Hoàng 2.6, Huỳnh 2.5, Phan 4.5, Vũ 2.0, Võ 1.9, Đặng 2.1,
Bùi 2.0, Đỗ 1.4, Hồ 1.3, Ngô 1.3, Dương 1.0, Lý 0.5, Trương 1.0, Đinh 1.0, Đoàn 0.8, Lâm 0.7, Mai 0.7,
Trịnh 0.7, Lương 0.6, Cao 0.6, Hà 0.6, Tạ 0.4, Chu 0.4, Kiều 0.3, Lại 0.3, Quách 0.3, Vương 0.3,
Triệu 0.3, Tô 0.3, Phùng 0.3
"""
SURNAME_WEIGHTS: dict[str, float] = {
    name: float(share) for name, share in (item.split() for item in _SURNAME_TABLE.split(","))
}
_SURNAMES = tuple(SURNAME_WEIGHTS)
_SURNAME_CUM = tuple(accumulate(SURNAME_WEIGHTS.values()))

TRADITIONAL_MIDDLE = {"male": "Văn", "female": "Thị"}
MIDDLE = {
    "male": (
        "Hữu", "Đức", "Thành", "Công", "Minh", "Quang", "Gia", "Anh", "Xuân", "Đình", "Ngọc", "Bảo", "Trọng",
        "Quốc", "Nhật", "Hoàng", "Tuấn", "Duy",
    ),
    "female": (
        "Ngọc", "Thu", "Thanh", "Bảo", "Khánh", "Minh", "Phương", "Hồng", "Mai", "Kim", "Diệu", "Hoài",
        "Quỳnh", "Thùy", "Bích", "Tuyết", "Gia", "Hải",
    ),
}  # fmt: skip
GIVEN = {
    "male": (
        "An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
        "Khang", "Khánh", "Khoa", "Khôi", "Kiên", "Lâm", "Long", "Minh", "Nam", "Nghĩa", "Phúc", "Phong",
        "Quân", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Thịnh", "Lộc",
        "Hưng", "Tiến",
    ),
    "female": (
        "An", "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hân", "Hằng", "Hạnh", "Hoa", "Hương", "Huyền",
        "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh", "Phương", "Quyên",
        "Quỳnh", "Thảo", "Thư", "Trang", "Trâm", "Uyên", "Vân", "Vy", "Yến", "Hoà", "Thuỷ", "Ly",
    ),
}  # fmt: skip
# Two-syllable given names (domain.md 7.1: Trường Sơn, Mỹ Dạ, Hoa Điệp).
GIVEN_TWO = {
    "male": (
        "Trường Sơn", "Gia Huy", "Minh Khôi", "Đăng Khoa", "Bảo An", "Hoàng Nam", "Thiên Ân",
    ),
    "female": (
        "Mỹ Dạ", "Hoa Điệp", "Bảo Ngọc", "Khánh Linh", "Minh Châu", "Thanh Trúc", "Ngọc Anh",
    ),
}  # fmt: skip


def pick_surname(rng: random.Random) -> str:
    return rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]


def _middle(rng: random.Random, sex: str, born: int) -> list[str]:
    # Văn/Thị are fading among urban parents, so children get them less often than their parents.
    traditional = 0.45 if born < 2000 else 0.2
    roll = rng.random()
    if roll < 0.05:
        return []  # no middle name at all, e.g. "Nguyễn Trãi"
    if roll < 0.05 + traditional:
        return [TRADITIONAL_MIDDLE[sex]]
    if roll < 0.12 + traditional:
        return [TRADITIONAL_MIDDLE[sex], rng.choice(MIDDLE[sex])]
    return [rng.choice(MIDDLE[sex])]


def _given(rng: random.Random, sex: str) -> str:
    return rng.choice(GIVEN_TWO[sex]) if rng.random() < 0.08 else rng.choice(GIVEN[sex])


def full_name(rng: random.Random, sex: str, born: int, surname: str | None = None) -> str:
    """Surname, optional middle name(s), one- or two-syllable given name; NFC-normalised."""
    parts = [surname or pick_surname(rng), *_middle(rng, sex, born), _given(rng, sex)]
    return unicodedata.normalize("NFC", " ".join(parts))
