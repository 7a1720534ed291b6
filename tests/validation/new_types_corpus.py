"""Crafted files of the three newer submission types (contract §3.4–3.6): commune assessments, the
hotline 111's months and programme activities, each bad in one way (or good), with what must become
of it: the file's status, the rules that must fire (and on which rows), and the rules that must not."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

from openpyxl import Workbook

from child_warehouse.ingest.vietnamese import to_tcvn3, to_vni

CRITERIA_VI = ",".join(f"Tiêu chí {i}" for i in range(1, 14))
ASSESSMENT_HEADER = f"Mã xã,Loại xã,{CRITERIA_VI},Tổng điểm,Được công nhận,Số quyết định công nhận"
HOTLINE_HEADER = (
    'Mã tỉnh,Kênh,Nội dung,Số cuộc gọi,Số cuộc tư vấn,Số ca chuyển tuyến,"Số ca can thiệp, hỗ trợ"'
)
PROGRAMME_HEADER = "Loại hoạt động,Mã xã,Số hoạt động,Số lượt trẻ em tham gia,Kinh phí (đồng),Ghi chú"

# Communes of Hà Nội (01) after the July 2025 reform, all wards (phường: minimum total 900).
WARDS = ("00004", "00008", "00025", "00070", "00082", "00091", "00097", "00103", "00118", "00127", "00136")
RETIRED = "00001"  # Phường Phúc Xá, merged into 00097 Phường Hồng Hà in 2025
ELSEWHERE = "25747"  # Phường Thủ Dầu Một, of Thành phố Hồ Chí Minh (79)


def assessment_row(commune: str, scores: list[int], total: int | None = None, recognised: str = "") -> str:
    total = sum(scores) if total is None else total
    decided = recognised or ("Có" if min(scores) > 0 and sum(scores) >= 900 else "Không")
    number = "12/QĐ-UBND" if decided == "Có" else ""
    return f"{commune},phuong,{','.join(map(str, scores))},{total},{decided},{number}"


STRONG = [80] * 13  # 1040: recognised
WEAK = [60] * 13  # 780: below 900
ZERO = [90] * 12 + [0]  # 1080 but criterion 13 at 0


def good_assessment_rows() -> list[str]:
    """Eight communes (file rows 2-9), recognised or not as the rules say."""
    scores = [STRONG, WEAK, ZERO, [70] * 12 + [100], [75] * 13, [69] * 13, STRONG, WEAK]  # 940, 975, 897
    return [assessment_row(commune, score) for commune, score in zip(WARDS, scores, strict=False)]


def with_bad_row(row: str) -> bytes:
    """The eight good rows and one bad one (row 10): one row in nine stays under the 20 % threshold."""
    return csv_text(ASSESSMENT_HEADER, [*good_assessment_rows(), row]).encode()


def csv_text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def xlsx(header: list[str], rows: list[list], title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "DuLieu"
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Crafted:
    """One crafted file: where it lands (folder under the root), its bytes, what must become of it."""

    name: str
    folder: str  # <province or national>/<period>
    file_name: str
    content: bytes
    status: str  # accepted | accepted_with_warnings | rejected
    fires: dict[str, tuple[int, ...]] = field(default_factory=dict)  # rule -> the rows it names
    quiet: tuple[str, ...] = ()  # rules that must not fire on this file
    reason_word: str | None = None  # a word of the English reason when rejected
    encoding: str | None = None


def assessments() -> list[Crafted]:
    good = good_assessment_rows()
    header = ASSESSMENT_HEADER.split(",")
    as_cells = [[int(c) if c.isdigit() and len(c) < 5 else c for c in row.split(",")] for row in good]
    spare = WARDS[8]
    return [
        Crafted(
            "assessment good",
            "01/2031-Y",
            "commune_assessment.csv",
            csv_text(ASSESSMENT_HEADER, good).encode(),
            "accepted",
            quiet=("recognition_agrees_with_rules", "total_is_sum_of_criteria", "commune_in_province"),
            encoding="utf-8",
        ),
        Crafted(
            "assessment tcvn3",
            "01/2032-Y",
            "commune_assessment.csv",
            to_tcvn3(csv_text(ASSESSMENT_HEADER, good)),
            "accepted",
            encoding="tcvn3",
        ),
        Crafted(
            "assessment xlsx with a title row",
            "01/2033-Y",
            "commune_assessment.xlsx",
            xlsx(header, as_cells, title="BIỂU ĐÁNH GIÁ XÃ, PHƯỜNG PHÙ HỢP VỚI TRẺ EM NĂM 2033"),
            "accepted",
        ),
        Crafted(
            "assessment json",
            "01/2034-Y",
            "commune_assessment.json",
            json.dumps(
                {
                    "province_code": "01",
                    "period": "2034-Y",
                    "records": [
                        {
                            "commune_code": WARDS[0],
                            "commune_type": "phuong",
                            **{f"criterion_{i:02d}": 80 for i in range(1, 14)},
                            "total_score": 1040,
                            "recognised": True,
                        }
                    ],
                },
                ensure_ascii=False,
            ).encode(),
            "accepted",
        ),
        Crafted(
            "assessment total is not the sum",
            "01/2035-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(spare, STRONG, total=1000)),
            "accepted_with_warnings",
            fires={"total_is_sum_of_criteria": (10,)},
        ),
        Crafted(
            "assessment recognised with a criterion at 0",
            "01/2036-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(spare, ZERO, recognised="Có")),
            "accepted_with_warnings",
            fires={"recognition_agrees_with_rules": (10,)},
        ),
        Crafted(
            "assessment not recognised though the rules recognise it",
            "01/2037-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(spare, STRONG, recognised="Không")),
            "accepted_with_warnings",
            fires={"recognition_agrees_with_rules": (10,)},
        ),
        Crafted(
            "assessment criterion above its maximum",
            "01/2038-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(spare, [101, *STRONG[1:]])),
            "accepted_with_warnings",
            fires={"criterion_01_in_range": (10,)},
        ),
        Crafted(
            "assessment commune outside the province",
            "01/2039-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(ELSEWHERE, STRONG)),
            "accepted_with_warnings",
            fires={"commune_in_province": (10,)},
            quiet=("commune_code_before_reform",),
        ),
        Crafted(
            "assessment pre-reform commune code after the reform",
            "01/2040-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(RETIRED, STRONG)),
            "accepted_with_warnings",
            fires={"commune_code_before_reform": (10,)},
        ),
        Crafted(
            "assessment commune assessed twice",
            "01/2041-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(WARDS[0], WEAK)),
            "rejected",  # both rows of the commune are errors: 2 of 9
            fires={"commune_code_unique": (2, 10)},
            reason_word="threshold",
        ),
        Crafted(
            "assessment unknown commune type",
            "01/2042-Y",
            "commune_assessment.csv",
            with_bad_row(assessment_row(spare, STRONG).replace(",phuong,", ",thi_tran,")),
            "accepted_with_warnings",
            fires={"commune_type_code": (10,)},
        ),
        Crafted(
            "assessment for a half year",
            "01/2043-H1",
            "commune_assessment.csv",
            csv_text(ASSESSMENT_HEADER, good).encode(),
            "rejected",
            reason_word="whole year",
        ),
    ]


def _hotline(rows: list[str]) -> bytes:
    return csv_text(HOTLINE_HEADER, rows).encode()


GOOD_HOTLINE = [
    "01,dien_thoai,bao_luc,120,100,10,8",
    "01,zalo,tu_van,40,40,0,0",
    "79,dien_thoai,xam_hai_tinh_duc,35,20,3,2",
    "79,ung_dung,thong_tin,1.234,1.000,0,0",  # 1234 calls, the Vietnamese way
    "00,khac,khac,15,2,0,0",
    "48,dien_thoai,bo_roi,60,40,5,5",
]


def hotline() -> list[Crafted]:
    header = HOTLINE_HEADER.replace('"', "").split(",")
    header = [*header[:6], "Số ca can thiệp, hỗ trợ"]
    return [
        Crafted(
            "hotline good",
            "national/2031-M01",
            "hotline_calls.csv",
            _hotline(GOOD_HOTLINE),
            "accepted",
            quiet=("interventions_within_calls", "province_code_known", "calls_count"),
        ),
        Crafted(
            "hotline interventions above calls",
            "national/2031-M02",
            "hotline_calls.csv",
            _hotline([*GOOD_HOTLINE, "46,dien_thoai,bao_luc,3,2,1,5"]),
            "accepted_with_warnings",
            fires={"interventions_within_calls": (8,)},
        ),
        Crafted(
            "hotline unknown province and a repeated row",
            "national/2031-M03",
            "hotline_calls.csv",
            _hotline([*GOOD_HOTLINE, "99,dien_thoai,tu_van,7,7,0,0", "01,zalo,tu_van,4,4,0,0"]),
            "rejected",  # two rows of eight: above the 20 % threshold
            fires={"province_code_known": (8,), "one_row_per_province_channel_topic": (9,)},
            reason_word="threshold",
        ),
        Crafted(
            "hotline bad codes",
            "national/2031-M04",
            "hotline_calls.csv",
            _hotline([*GOOD_HOTLINE, "01,fax,bao_luc,3,2,1,0"]),
            "accepted_with_warnings",
            fires={"channel_code": (8,)},
        ),
        Crafted(
            "hotline xlsx",
            "national/2031-M05",
            "hotline_calls.xlsx",
            xlsx(header, [row.split(",") for row in GOOD_HOTLINE[:3]], title="TỔNG ĐÀI 111 - THÁNG 5/2031"),
            "accepted",
        ),
        Crafted(
            "hotline in a province folder",
            "01/2031-M06",
            "hotline_calls.csv",
            _hotline(GOOD_HOTLINE),
            "rejected",
            reason_word="national",
        ),
    ]


def _programme(rows: list[str]) -> bytes:
    return csv_text(PROGRAMME_HEADER, rows).encode()


GOOD_PROGRAMME = [
    "thang_hanh_dong,,12,4.500,120.000.000,Tháng hành động vì trẻ em",
    f"lop_hoc_boi,{WARDS[0]},3,90,15.000.000,",
    f"lop_hoc_boi,{WARDS[1]},2,60,10000000,",
    "diem_vui_choi,,1,,250.000.000,",
    "tap_huan,,4,,32.500.000,Tập huấn cán bộ",
    "khac,,1,20,0,",
]


def programme() -> list[Crafted]:
    return [
        Crafted(
            "programme good",
            "01/2031-H1",
            "programme_activities.csv",
            _programme(GOOD_PROGRAMME),
            "accepted",
            quiet=("children_reached_count", "spending_vnd_amount", "commune_in_province"),
        ),
        Crafted(
            "programme vni",
            "01/2032-H1",
            "programme_activities.csv",
            to_vni(csv_text(PROGRAMME_HEADER, GOOD_PROGRAMME)),
            "accepted",
            encoding="vni",
        ),
        Crafted(
            "programme negative children and text spending",
            "01/2033-H1",
            "programme_activities.csv",
            _programme([*GOOD_PROGRAMME, "tap_huan,,1,-3,abc,"]),
            "accepted_with_warnings",
            fires={"children_reached_count": (8,), "spending_vnd_amount": (8,)},
        ),
        Crafted(
            "programme unknown activity and a retired commune",
            "01/2034-H1",
            "programme_activities.csv",
            _programme(
                [*GOOD_PROGRAMME, *GOOD_PROGRAMME[:3], "bơi lội,,1,10,0,", f"lop_hoc_boi,{RETIRED},1,10,0,"]
            ),
            "accepted_with_warnings",
            fires={"activity_type_code": (11,), "commune_code_before_reform": (12,)},
        ),
        Crafted(
            "programme nil return",
            "01/2035-H1",
            "programme_activities.csv",
            (PROGRAMME_HEADER + "\n").encode(),
            "accepted",
        ),
    ]


def every_row_breaks_one_rule() -> list[Crafted]:
    """One file per type whose every row breaks one more rule (rejected whole, each rule on its row):
    the rules no other crafted file shows failing."""
    good = good_assessment_rows()[0].split(",")

    def changed(**cells: str) -> str:
        row = list(good)
        for position, value in cells.items():
            row[int(position[1:])] = value
        return ",".join(row)

    assessment_rows = [
        changed(c0=""),  # row 2: no commune code
        changed(c0="ABC12"),  # 3
        changed(c0=WARDS[1], c1=""),  # 4: no commune type
        changed(c0=WARDS[2], c6=""),  # 5: criterion 5 empty
        changed(c0=WARDS[3], c15=""),  # 6: no total
        changed(c0=WARDS[4], c15="một nghìn"),  # 7
        changed(c0=WARDS[5], c16=""),  # 8: recognised empty
        changed(c0=WARDS[6], c16="chắc chắn"),  # 9
    ]
    hotline_rows = [
        ",dien_thoai,bao_luc,10,5,1,1",  # 2: no province
        "01,,bao_luc,10,5,1,1",  # 3: no channel
        "01,zalo,,10,5,1,1",  # 4: no topic
        "01,zalo,ca_hat,10,5,1,1",  # 5: not a topic
        "79,zalo,tu_van,,0,0,0",  # 6: no calls
        "79,dien_thoai,tu_van,2.5,1,0,0",  # 7: not a whole number
        "79,ung_dung,tu_van,10,11,0,0",  # 8: counselling above calls
        "79,khac,tu_van,10,5,12,0",  # 9: referrals above calls
        "48,zalo,tu_van,10,-1,x,1.5",  # 10: negative counselling, referrals and interventions unreadable
    ]
    programme_rows = [
        ",,1,10,0,",  # 2: no activity type
        "tap_huan,ABC,1,10,0,",  # 3: not a commune code
        f"tap_huan,{ELSEWHERE},1,10,0,",  # 4: another province's commune
        "tap_huan,,,10,0,",  # 5: no count
        "tap_huan,,1.5,10,0,",  # 6: not a whole number
        *(f"lop_hoc_boi,{ward},1,10,0," for ward in WARDS[:3]),  # most communes are the province's own
    ]
    return [
        Crafted(
            "assessment every row breaks one rule",
            "01/2044-Y",
            "commune_assessment.csv",
            csv_text(ASSESSMENT_HEADER, assessment_rows).encode(),
            "rejected",
            fires={
                "commune_code_required": (2,),
                "commune_code_format": (3,),
                "commune_type_required": (4,),
                "criterion_05_required": (5,),
                "total_score_required": (6,),
                "total_score_count": (7,),
                "recognised_required": (8,),
                "recognised_yes_no": (9,),
            },
            reason_word="threshold",
        ),
        Crafted(
            "hotline every row breaks one rule",
            "national/2031-M07",
            "hotline_calls.csv",
            csv_text(HOTLINE_HEADER, hotline_rows).encode(),
            "rejected",
            fires={
                "province_code_required": (2,),
                "channel_required": (3,),
                "topic_required": (4,),
                "topic_code": (5,),
                "calls_required": (6,),
                "calls_count": (7,),
                "counselling_calls_within_calls": (8,),
                "referrals_within_calls": (9,),
                "counselling_calls_count": (10,),
                "referrals_count": (10,),
                "interventions_count": (10,),
            },
            reason_word="threshold",
        ),
        Crafted(
            "programme every row breaks one rule",
            "01/2036-H1",
            "programme_activities.csv",
            csv_text(PROGRAMME_HEADER, programme_rows).encode(),
            "rejected",
            fires={
                "activity_type_required": (2,),
                "commune_code_format": (3,),
                "commune_in_province": (4,),
                "activities_required": (5,),
                "activities_count": (6,),
            },
            reason_word="threshold",
        ),
    ]


def crafted() -> list[Crafted]:
    return [*assessments(), *hotline(), *programme(), *every_row_breaks_one_rule()]
