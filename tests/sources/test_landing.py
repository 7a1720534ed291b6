"""The landing root through fsspec: local folders and memory://, path tricks refused with reasons."""

import fsspec
import pytest

from child_warehouse.sources.landing import scan, unsafe_path_problem
from child_warehouse.storage import Blob, sha256_of

GOOD = "record_id,commune_code,full_name,date_of_birth,sex\nHS-1,00004,Lê Thị Mai,05/03/2015,Nữ\n"


@pytest.fixture
def memory_root():
    fs = fsspec.filesystem("memory")
    root = "/landing-test"
    yield fs, f"memory://{root}"
    if fs.exists(root):
        fs.rm(root, recursive=True)


def test_an_in_memory_root_is_scanned_like_a_folder(memory_root):
    fs, root = memory_root
    fs.pipe(f"{root}/01/2026-Q3/child_records.csv", GOOD.encode())
    fs.pipe(f"{root}/01/2026-Q3/manifest.json", b"{}")
    (landed,) = list(scan(root))
    assert landed.relative_path == "01/2026-Q3/child_records.csv"
    assert landed.uri == f"{root}/01/2026-Q3/child_records.csv"
    assert (landed.province_code, landed.period, landed.submission_type) == ("01", "2026-Q3", "child_records")
    assert landed.sha256 == sha256_of(Blob(landed.uri))
    assert landed.size_bytes == len(GOOD.encode())
    assert landed.problem is None


def test_a_missing_root_lists_nothing(tmp_path):
    assert list(scan(tmp_path / "absent")) == []
    assert list(scan("memory://no-such-root")) == []


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("01/2026-Q3/child\x07records.csv", "control characters"),
        ("01/2026-Q3/child_records\u202egpj.csv", "control characters"),  # right-to-left override
        ("01/../../etc/child_records.csv", "leaves its folder"),
        ("/etc/01/2026-Q3/child_records.csv", "leaves its folder"),
        ("01\\2026-Q3\\child_records.csv", "leaves its folder"),
        ("01/2026-Q3/" + "a" * 300 + ".csv", "too long"),
    ],
)
def test_path_tricks_are_named(name, why):
    problem = unsafe_path_problem(name)
    assert problem is not None
    assert why in problem.en
    assert "\x07" not in problem.en  # the reason shows the name escaped, never the raw control byte


def test_tricky_names_in_object_storage_are_refused_not_read(memory_root):
    fs, root = memory_root
    fs.pipe(f"{root}/01/2026-Q3/child_records\x1b[31m.csv", GOOD.encode())
    (landed,) = list(scan(root))
    assert landed.problem.code == "bad_landing_path"
    assert landed.sha256.startswith("unread:")


def test_a_symlink_escaping_the_root_is_refused(tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text(GOOD)
    root = tmp_path / "landing"
    (root / "01" / "2026-Q3").mkdir(parents=True)
    (root / "01" / "2026-Q3" / "child_records.csv").symlink_to(outside)
    (landed,) = list(scan(root))
    assert landed.problem is not None
    assert "outside the landing root" in landed.problem.en
    assert landed.sha256.startswith("unread:")


def test_an_oversize_file_is_recorded_without_being_hashed(tmp_path, monkeypatch):
    monkeypatch.setenv("CHILD_WAREHOUSE_MAX_FILE_BYTES", "10")
    (tmp_path / "01" / "2026-Q3").mkdir(parents=True)
    (tmp_path / "01" / "2026-Q3" / "child_records.csv").write_text(GOOD)
    (landed,) = list(scan(tmp_path))
    assert landed.problem.code == "file_too_large"
    assert landed.province_code == "01"
    assert landed.sha256.startswith("unread:")


@pytest.mark.chaos
def test_a_file_under_an_upload_tools_temporary_name_is_not_read(tmp_path, caplog):
    for name in ("child_records.csv.part", "child_records.csv.filepart", "~$child_records.xlsx"):
        (tmp_path / "01" / "2026-Q3").mkdir(parents=True, exist_ok=True)
        (tmp_path / "01" / "2026-Q3" / name).write_text(GOOD[:20], encoding="utf-8")
    with caplog.at_level("INFO", logger="child_warehouse.sources.landing"):
        assert list(scan(tmp_path)) == []
    assert "left for the next run: 01/2026-Q3/child_records.csv.part" in caplog.text


@pytest.mark.chaos
def test_a_file_still_growing_waits_for_the_next_run_and_a_settled_one_is_read(tmp_path, monkeypatch):
    """Discovery looks again at a file written within the settle time; one that grew meanwhile (an
    upload in progress) is left, whole files are read. The wait is the settle time, not longer."""
    monkeypatch.setenv("CHILD_WAREHOUSE_SETTLE_SECONDS", "1.5")
    folder = tmp_path / "01" / "2026-Q3"
    folder.mkdir(parents=True)
    growing = folder / "child_records.csv"
    growing.write_text(GOOD.splitlines()[0] + "\n", encoding="utf-8")  # the upload has written the header
    (folder / "protection_cases.csv").write_text("case_id\n", encoding="utf-8")

    def upload_more(seconds: float) -> None:  # the upload goes on while discovery waits
        assert seconds <= 1.5
        with growing.open("a", encoding="utf-8") as handle:
            handle.write(GOOD.splitlines()[1] + "\n")

    from child_warehouse.sources import landing

    monkeypatch.setattr(landing.time, "sleep", upload_more)
    assert [f.relative_path for f in scan(tmp_path)] == ["01/2026-Q3/protection_cases.csv"]
    monkeypatch.setattr(landing.time, "sleep", lambda seconds: None)
    import os
    import time

    old = time.time() - 60  # the upload finished a minute ago
    os.utime(growing, (old, old))
    assert sorted(f.relative_path for f in scan(tmp_path)) == [
        "01/2026-Q3/child_records.csv",
        "01/2026-Q3/protection_cases.csv",
    ]


@pytest.mark.parametrize(
    ("path", "refused_because"),
    [
        ("national/2026-M10/hotline_calls.csv", None),
        ("national/2026-Q4/hotline_calls.csv", "is sent for a month"),
        ("79/2026-M10/hotline_calls.csv", "belongs in the 'national' folder"),
        ("national/2026-M10/child_records.csv", "takes only hotline_calls"),
        ("01/2025-Y/commune_assessment.xlsx", None),
        ("01/2025-H1/commune_assessment.csv", "is sent for a whole year"),
        ("01/2026-H1/programme_activities.json", None),
        ("nationwide/2026-M10/hotline_calls.csv", "not a 2-digit province code"),
    ],
)
def test_the_hotline_has_its_own_folder_and_the_assessment_its_own_period(path, refused_because):
    from child_warehouse.sources.landing import classify

    *_, problem = classify(path)
    if refused_because is None:
        assert problem is None
    else:
        assert refused_because in problem.en
        assert problem.vi
