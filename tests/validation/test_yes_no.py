"""The contract's x/empty pair: empty yes/no cells read as "no" only where a file ticks yes with x
and never writes no in that column; the feedback says so with a note, and no verdict changes."""

from child_warehouse.validation.runner import validate_province


def _submit(db, make_submission, rows: list[tuple[str | None, str | None]]) -> int:
    submission_id = make_submission(province="01")
    with db, db.cursor() as cur:
        cur.execute(
            """update ledger.submissions set headers = '{"has_disability": "Khuyết tật"}'
               where submission_id = %s""",
            (submission_id,),
        )
        for number, (disability, insured) in enumerate(rows, start=2):
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, commune_code,
                           full_name, date_of_birth, sex, has_disability, has_health_insurance)
                   values (%s, %s, %s, '00004', 'Lò Văn An', '05/03/2015', 'Nam', %s, %s)""",
                (submission_id, number, f"HN-{number}", disability, insured),
            )
    return submission_id


def _outcome(db, submission_id):
    with db.cursor() as cur:
        cur.execute(
            "select status, empty_means_no from ledger.submissions where submission_id = %s", (submission_id,)
        )
        status, columns = cur.fetchone()
        cur.execute(
            "select column_name, severity, reason_vi, reason_en from dq.row_issues where submission_id = %s",
            (submission_id,),
        )
        return status, columns, cur.fetchall()


def test_a_column_ticked_with_x_reads_its_empty_cells_as_no_and_says_so(db, warehouse_db, make_submission):
    submission = _submit(db, make_submission, [("x", "Có"), ("", "Không"), (None, ""), ("X", None)])
    validate_province("01", warehouse_db)
    status, columns, issues = _outcome(db, submission)
    assert status == "accepted"  # a note is not a warning
    assert columns == ["has_disability"]  # has_health_insurance writes Không: its empty stays "not stated"
    [(column, severity, vi, en)] = issues
    assert (column, severity) == ("has_disability", "note")
    assert "Cột Khuyết tật" in vi
    assert "2 ô trống được hiểu là 'Không'" in vi
    assert "Khuyết tật (has_disability)" in en
    assert "its 2 empty cells are read as no" in en


def test_a_file_without_x_keeps_empty_as_not_stated(db, warehouse_db, make_submission):
    submission = _submit(db, make_submission, [("Có", "1"), ("", "0"), ("Không", "")])
    validate_province("01", warehouse_db)
    assert _outcome(db, submission) == ("accepted", [], [])


def test_a_column_mixing_x_and_no_keeps_empty_as_not_stated(db, warehouse_db, make_submission):
    submission = _submit(db, make_submission, [("x", None), ("Không", None), ("", None)])
    validate_province("01", warehouse_db)
    assert _outcome(db, submission)[1] == []


def test_a_sheet_sent_with_x_is_read_so_through_the_nights_stages(db, warehouse_db, tmp_path):
    """From the file on: discovery, loading and validation; raw keeps the cells as sent."""
    from child_warehouse.ingest.stage import load_province
    from child_warehouse.sources.discover import discover_submissions

    folder = tmp_path / "01" / "2026-Q3"
    folder.mkdir(parents=True)
    lines = ["Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính,Khuyết tật,Có thẻ BHYT"] + [
        f"HS-{n},00004,Lê Văn An,05/03/2015,Nam,{'x' if n == 1 else ''},{'Có' if n < 3 else ''}"
        for n in range(1, 5)
    ]
    (folder / "child_records.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    load_province("01", "run-1", warehouse_db)
    validate_province("01", warehouse_db)
    with db.cursor() as cur:
        cur.execute("select status, empty_means_no, headers ->> 'has_disability' from ledger.submissions")
        assert cur.fetchone() == ("accepted", ["has_disability"], "Khuyết tật")
        cur.execute("select has_disability, has_health_insurance from raw.child_records order by source_row")
        assert cur.fetchall() == [("x", "Có"), (None, "Có"), (None, None), (None, None)]
