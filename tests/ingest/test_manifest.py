"""manifest.json: province, period, sha256 and row counts checked against the folder and the file."""

import hashlib
import json

import fsspec
import pytest

from child_warehouse.contract.reasons import FileRejected
from child_warehouse.ingest import manifest

DIGEST = hashlib.sha256(b"x").hexdigest()
STATED = manifest.Manifest("66", "2026-H1", {"child_records.csv": {"rows": 3, "sha256": DIGEST}})


def test_a_matching_manifest_has_no_problem():
    assert manifest.identity_problem(STATED, "child_records.csv", "66", "2026-H1", DIGEST) is None
    assert manifest.rows_problem(STATED, "child_records.csv", 3) is None
    assert manifest.rows_problem(STATED, "protection_cases.csv", 99) is None  # not listed: nothing stated


@pytest.mark.parametrize(
    ("province", "period", "sha", "words"),
    [
        ("01", "2026-H1", DIGEST, "province_code 66"),
        ("66", "2026-Y", DIGEST, "period 2026-H1"),
        ("66", "2026-H1", "0" * 64, "sha256"),
    ],
)
def test_identity_mismatches_are_named(province, period, sha, words):
    problem = manifest.identity_problem(STATED, "child_records.csv", province, period, sha)
    assert problem.code == "manifest_mismatch"
    assert words in problem.en
    assert "child_records.csv" in problem.vi


def test_a_row_count_mismatch_is_named():
    problem = manifest.rows_problem(STATED, "child_records.csv", 2)
    assert "rows 3 but the file has 2" in problem.en


def test_the_manifest_beside_a_file_is_found_and_a_broken_one_refuses():
    fs = fsspec.filesystem("memory")
    fs.pipe("/mf/66/2026-H1/manifest.json", json.dumps({"province_code": "66", "files": {}}).encode())
    assert manifest.load_beside("memory:///mf/66/2026-H1/child_records.csv").province_code == "66"
    assert manifest.load_beside("memory:///mf/66/2026-Y/child_records.csv") is None
    fs.pipe("/mf/66/2026-H1/manifest.json", b"{not json")
    with pytest.raises(FileRejected) as caught:
        manifest.load_beside("memory:///mf/66/2026-H1/child_records.csv")
    assert caught.value.reason.code == "manifest_mismatch"
    fs.rm("/mf", recursive=True)
