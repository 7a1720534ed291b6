"""The three newer submission types end to end through discovery, loading and validation: every crafted
file (new_types_corpus.py) ends as it must, each rule fires on its bad row and stays quiet on good files,
reasons come in Vietnamese and English, and the outlier rules read the source's own history."""

from __future__ import annotations

import pytest
from new_types_corpus import HOTLINE_HEADER, PROGRAMME_HEADER, crafted, csv_text

from child_warehouse.feedback.report import write_feedback
from child_warehouse.ingest.stage import load_province
from child_warehouse.sources.discover import discover_submissions
from child_warehouse.validation.runner import validate_province

CRAFTED = crafted()
# The hotline's own history: five ordinary months, a spike, then an ordinary month again.
HISTORY = {f"2035-M{month:02d}": calls for month, calls in enumerate([100, 104, 98, 101, 99, 5000, 103], 1)}
# A province's swimming classes over the first halves of six years: the last reaches fifty times more.
SWIMMING = {
    f"{year}-H1": reached for year, reached in zip(range(2050, 2056), [90, 95, 88, 92, 91, 4500], strict=True)
}


def _land(root) -> None:
    for case in CRAFTED:
        folder = root / case.folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / case.file_name).write_bytes(case.content)
    for period, calls in HISTORY.items():
        folder = root / "national" / period
        folder.mkdir(parents=True)
        rows = [f"01,dien_thoai,bao_luc,{calls},50,1,1", f"79,zalo,tu_van,{90 + len(period)},40,0,0"]
        (folder / "hotline_calls.csv").write_text(csv_text(HOTLINE_HEADER, rows), encoding="utf-8")
    for period, reached in SWIMMING.items():
        folder = root / "01" / period
        folder.mkdir(parents=True)
        rows = [f"lop_hoc_boi,00004,3,{reached},15.000.000,", "tap_huan,,2,40,8.000.000,"]
        (folder / "programme_activities.csv").write_text(csv_text(PROGRAMME_HEADER, rows), encoding="utf-8")


@pytest.fixture(scope="module")
def outcomes(server_url, tmp_path_factory):
    """Every crafted file landed in a warehouse of its own, discovered, loaded and validated once:
    per file its status, reason, encoding, and each rule's rows with their bilingual reasons."""
    from child_warehouse.db import connection, template
    from nights import database_name

    name = database_name("new_types")
    warehouse = template.create_database(name, server_url)
    root = tmp_path_factory.mktemp("landing")
    _land(root)
    try:
        for province in discover_submissions("crafted", str(root), warehouse):
            load_province(province, "crafted", warehouse)
            validate_province(province, warehouse, "crafted")
        feedback = write_feedback("national", "2031-M02", root.parent / "feedback", warehouse)
        with connection.transaction(warehouse) as conn, conn.cursor() as cur:
            cur.execute(
                """select s.file_name, s.status, s.reason_en, s.encoding,
                          coalesce(jsonb_object_agg(i.rule, i.rows) filter (where i.rule is not null), '{}')
                   from ledger.submissions as s
                   left join (select submission_id, rule, jsonb_agg(jsonb_build_array(source_row, reason_vi,
                                     reason_en, severity) order by source_row) as rows
                              from dq.row_issues group by submission_id, rule) as i using (submission_id)
                   group by s.submission_id"""
            )
            yield {**{row[0]: row[1:] for row in cur.fetchall()}, "feedback": feedback}
    finally:
        connection.drop_database(name, server_url)


def test_at_least_twelve_crafted_files_for_the_new_types():
    assert len(CRAFTED) >= 12
    assert {c.file_name.split(".")[0] for c in CRAFTED} == {
        "commune_assessment",
        "hotline_calls",
        "programme_activities",
    }


@pytest.mark.parametrize("case", CRAFTED, ids=[c.name for c in CRAFTED])
def test_each_crafted_file_ends_as_it_must(outcomes, case):
    status, reason, encoding, rules = outcomes[f"{case.folder}/{case.file_name}"]
    assert status == case.status, (reason, sorted(rules))
    if case.reason_word:
        assert case.reason_word in reason
    if case.encoding:
        assert encoding == case.encoding
    for rule, rows in case.fires.items():
        assert rule in rules, sorted(rules)
        assert tuple(row[0] for row in rules[rule]) == rows
        for _, reason_vi, reason_en, _ in rules[rule]:
            assert reason_vi.startswith("Dòng ")
            assert reason_en.startswith("Row ")
    assert not set(case.quiet) & set(rules)
    if case.status == "accepted":
        assert rules == {}, sorted(rules)


def test_the_reasons_name_what_decides_recognition(outcomes):
    *_, rules = outcomes["01/2036-Y/commune_assessment.csv"]
    ((_, vi, en, severity),) = rules["recognition_agrees_with_rules"]
    assert severity == "warning"
    assert "criterion 13 scores 0" in en
    assert "tiêu chí 13 được 0 điểm" in vi
    *_, rules = outcomes["01/2037-Y/commune_assessment.csv"]
    ((_, _, en, _),) = rules["recognition_agrees_with_rules"]
    assert "the total 1040 reaches the minimum 900 for phuong" in en


def test_a_retired_commune_is_named_with_its_successor(outcomes):
    *_, rules = outcomes["01/2040-Y/commune_assessment.csv"]
    ((_, vi, en, _),) = rules["commune_code_before_reform"]
    assert "00097 Phường Hồng Hà" in en
    assert "00097 Phường Hồng Hà" in vi


def test_the_hotline_is_its_own_source_not_a_province(outcomes):
    status, *_ = outcomes["national/2031-M01/hotline_calls.csv"]
    assert status == "accepted"
    status, reason, *_ = outcomes["01/2031-M06/hotline_calls.csv"]
    assert status == "rejected"
    assert "belongs in the 'national' folder" in reason


def test_a_spike_against_the_hotlines_own_history_is_a_warning_and_the_usual_is_not(outcomes):
    for period in HISTORY:
        status, _, _, rules = outcomes[f"national/{period}/hotline_calls.csv"]
        spiked = period == "2035-M06"
        assert ("calls_outlier_against_history" in rules) == spiked, (period, sorted(rules))
        assert status == ("accepted_with_warnings" if spiked else "accepted")
    *_, rules = outcomes["national/2035-M06/hotline_calls.csv"]
    ((row, _, en, severity),) = rules["calls_outlier_against_history"]
    assert (row, severity) == (2, "warning")
    assert "usual 100" in en


def test_a_jump_in_children_reached_against_the_provinces_own_history_is_a_warning(outcomes):
    for period in SWIMMING:
        status, _, _, rules = outcomes[f"01/{period}/programme_activities.csv"]
        jumped = period == "2055-H1"
        assert ("children_reached_outlier_against_history" in rules) == jumped, (period, sorted(rules))
        assert status == ("accepted_with_warnings" if jumped else "accepted")
    *_, rules = outcomes["01/2055-H1/programme_activities.csv"]
    ((row, _, en, _),) = rules["children_reached_outlier_against_history"]
    assert row == 2  # the swimming classes, not the training on the same file
    assert "children_reached 4500 is far from this province's usual 90.0" in en


def test_the_hotline_operator_gets_its_own_feedback_workbook(outcomes):
    from openpyxl import load_workbook

    path = outcomes["feedback"]
    assert path.parts[-3:-1] == ("national", "2031-M02")
    book = load_workbook(path, read_only=True)
    cells = [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert any(
        "Tổng đài quốc gia bảo vệ trẻ em 111" in cell and "national child helpline 111" in cell
        for cell in cells
    )
    assert any("interventions 5 exceeds calls (3)" in cell for cell in cells)
