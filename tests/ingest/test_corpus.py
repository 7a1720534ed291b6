"""The corpus in one load: every crafted file ends loaded or rejected as expected, none affects another."""

import pytest
from corpus import CHILDREN, cases, manifest_for

from child_warehouse.ingest.stage import load_province
from child_warehouse.sources.discover import discover_submissions

CASES = cases()


def _period(index: int) -> str:
    return f"{2001 + index // 12}-M{index % 12 + 1:02d}"


@pytest.fixture(scope="module")
def outcomes(server_url, tmp_path_factory):
    """Land the whole corpus (plus manifest and path cases) in a fresh warehouse of its own and run
    discovery and loading once; each file's status, reason, rows and row rules."""
    from child_warehouse.db import connection, template
    from nights import database_name

    name = database_name("corpus")
    warehouse = template.create_database(name, server_url)
    try:
        yield _load_the_corpus(tmp_path_factory.mktemp("landing"), warehouse)
    finally:
        connection.drop_database(name, server_url)


def _load_the_corpus(root, warehouse_db) -> dict:
    from child_warehouse.db import connection

    for index, case in enumerate(CASES):
        folder = root / "01" / _period(index)
        folder.mkdir(parents=True)
        (folder / case.file_name).write_bytes(case.content)
    body = CHILDREN.encode()
    for period, rows in (("2030-Q1", 3), ("2030-Q2", 99)):
        (root / "01" / period).mkdir(parents=True)
        (root / "01" / period / "child_records.csv").write_bytes(body)
        (root / "01" / period / "manifest.json").write_bytes(manifest_for(body, "child_records.csv", rows))
    (root / "01" / "2030-Q3").mkdir()
    (root / "01" / "2030-Q3" / "child_records\x1b[2J.csv").write_bytes(body)
    (root / "01" / "child_records.csv").write_bytes(body)
    (root / "01" / "2030-Q4").mkdir()
    (root / "01" / "2030-Q4" / "child_records.csv").symlink_to(root.parent / "outside.csv")
    (root.parent / "outside.csv").write_bytes(body)
    discover_submissions("corpus", str(root), warehouse_db)
    load_province("01", "corpus", warehouse_db)
    with connection.transaction(warehouse_db) as conn, conn.cursor() as cur:
        cur.execute("""select s.file_name, s.status, s.reason_en, s.rows_in_file,
                              coalesce(array_agg(distinct i.rule) filter (where i.rule is not null), '{}'),
                              s.encoding, s.reason_code, s.sheet_name, s.header_row, s.delimiter,
                              (select array_agg(r.full_name order by r.source_row) from raw.child_records r
                               where r.submission_id = s.submission_id)
                       from ledger.submissions s left join dq.row_issues i using (submission_id)
                       group by s.submission_id""")
        return {row[0]: row[1:] for row in cur.fetchall()}


def test_the_corpus_has_forty_files(outcomes):
    assert len(outcomes) >= 40


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[c.name for c in CASES])
def test_each_file_ends_as_expected(outcomes, index, case):
    status, reason, rows, rules, encoding, *_ = outcomes[f"01/{_period(index)}/{case.file_name}"]
    assert status == case.status, reason
    if case.status == "rejected":
        assert case.reason_code in reason
    else:
        assert rows == case.rows
        assert set(case.warnings) <= set(rules)
    if case.encoding:
        assert encoding == case.encoding


def test_the_encoding_found_is_recorded_for_every_text_file(outcomes):
    recorded = {case.name: outcomes[f"01/{_period(i)}/{case.file_name}"][4] for i, case in enumerate(CASES)}
    assert recorded["tcvn3"] == "tcvn3"
    assert recorded["vni"] == "vni"
    assert recorded["windows-1258"] == "windows-1258"
    assert recorded["xlsx with title rows"] is None  # XLSX has no text encoding to detect
    facts = {case.name: outcomes[f"01/{_period(i)}/{case.file_name}"][6:9] for i, case in enumerate(CASES)}
    assert facts["utf-8 BOM, semicolons"] == (None, 1, ";")
    assert facts["utf-8"] == (None, 1, ",")
    sheet, header_row, delimiter = facts["xlsx with title rows"]
    assert (sheet, delimiter) == ("DuLieu", None)
    assert header_row > 1


def test_raw_keeps_names_as_sent_decomposed_or_not(outcomes):
    """A name typed decomposed (NFD, as macOS saves it) is stored so in raw; legacy fonts are
    composed (their bytes are glyph positions, not characters)."""
    import unicodedata

    names = {case.name: outcomes[f"01/{_period(i)}/{case.file_name}"][9] for i, case in enumerate(CASES)}
    sent = ["Nguyễn Thị Hoà", "Trần Văn Đức", "Đặng Thuỳ Dương"]
    assert names["NFD text"] == [unicodedata.normalize("NFD", n) for n in sent]
    assert names["NFD text"] != sent
    assert names["utf-8"] == sent
    assert names["tcvn3"] == sent
    assert names["vni"] == sent


def test_a_header_only_list_is_told_apart_from_an_empty_file(outcomes):
    codes = {case.name: outcomes[f"01/{_period(i)}/{case.file_name}"][5] for i, case in enumerate(CASES)}
    assert codes["empty file"] == "empty_file"
    assert codes["header only child list"] == "header_only"
    nil = next(i for i, c in enumerate(CASES) if c.name == "nil return of cases")
    assert outcomes[f"01/{_period(nil)}/protection_cases.csv"][:1] == ("loaded",)


def test_manifests_paths_and_links(outcomes):
    assert outcomes["01/2030-Q1/child_records.csv"][0] == "loaded"
    assert "rows 99 but the file has 3" in outcomes["01/2030-Q2/child_records.csv"][1]
    refused = {name: reason for name, (status, reason, *_) in outcomes.items() if status == "rejected"}
    assert "control characters" in refused["01/2030-Q3/child_records\x1b[2J.csv"]
    assert "wrong folder depth" in refused["01/child_records.csv"]
    assert "outside the landing root" in refused["01/2030-Q4/child_records.csv"]
