"""settings.py is the only reader of the environment, and .env.example lists every setting it reads."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETTING = re.compile(r"CHILD_WAREHOUSE_[A-Z_]+[A-Z]")
# The dbt profile's variables are derived from CHILD_WAREHOUSE_DB_URL whenever the project runs dbt.
DERIVED = re.compile(r"CHILD_WAREHOUSE_DBT_(HOST|PORT|USER|PASSWORD|DBNAME)$")


def test_every_setting_is_in_env_example_with_a_comment():
    read = set(SETTING.findall((ROOT / "include" / "child_warehouse" / "settings.py").read_text()))
    example = (ROOT / ".env.example").read_text()
    assert read, "no setting found in settings.py"
    missing = sorted(name for name in read if name not in example)
    assert missing == [], f"settings missing from .env.example: {missing}"
    lines = example.splitlines()
    definition = re.compile(r"^#? ?(CHILD_WAREHOUSE_[A-Z_]+)=")
    for name in read:
        at = next(i for i, line in enumerate(lines) if (m := definition.match(line)) and m.group(1) == name)
        above = at - 1
        while above >= 0 and definition.match(lines[above]):  # settings grouped under one comment
            above -= 1
        assert lines[above].startswith("# "), f"{name} has no explanation above it"


def test_only_settings_reads_the_environment():
    readers = re.compile(r"os\.environ\.get|os\.getenv|os\.environ\[")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "include").rglob("*.py")
        if path.name != "settings.py" and readers.search(path.read_text())
    ]
    assert offenders == []


def test_env_example_names_only_settings_that_exist():
    read = set(SETTING.findall((ROOT / "include" / "child_warehouse" / "settings.py").read_text()))
    listed = set(SETTING.findall((ROOT / ".env.example").read_text()))
    assert sorted(name for name in listed - read if not DERIVED.match(name)) == []


def test_the_linkage_memory_limit_is_a_size_or_refused(monkeypatch):
    from child_warehouse import settings

    assert settings.linkage_memory_limit() == "768MiB"
    monkeypatch.setenv("CHILD_WAREHOUSE_LINKAGE_MEMORY", "2GB")
    assert settings.linkage_memory_limit() == "2GB"
    monkeypatch.setenv("CHILD_WAREHOUSE_LINKAGE_MEMORY", "2GB'; attach 'x")
    with pytest.raises(ValueError, match="CHILD_WAREHOUSE_LINKAGE_MEMORY"):
        settings.linkage_memory_limit()


@pytest.mark.parametrize("value", ["0", "-5", "1e5", "²", "200k"])
def test_the_linkage_slice_size_is_a_whole_number_or_refused(monkeypatch, value):
    from child_warehouse import settings

    assert settings.linkage_chunk_records() == 200_000
    monkeypatch.setenv("CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS", "50000")
    assert settings.linkage_chunk_records() == 50_000
    monkeypatch.setenv("CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS", value)
    with pytest.raises(ValueError, match="CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS"):
        settings.linkage_chunk_records()
