"""Key rotation: every pseudonym is recomputed with the new key in one go, and the old key is gone."""

import pytest

from child_warehouse.linkage.deterministic import link_submissions
from child_warehouse.linkage.pseudonyms import (
    assign_pseudonyms,
    install_local_key,
    key_id,
    keys_in_use,
    pseudonym,
    read_key_file,
    rotate,
)

OLD, NEW = "old-key-" + "0" * 40, "new-key-" + "1" * 40


@pytest.fixture
def linked(db, warehouse_db, make_submission, monkeypatch):
    """Two provinces' records, one child in both, pseudonymised with the old key."""
    monkeypatch.setenv("CHILD_WAREHOUSE_PSEUDONYM_KEY", OLD)
    with db, db.cursor() as cur:
        cur.execute("""insert into register.persons (personal_id, full_name, date_of_birth, sex)
                       values ('001215000001', 'Nguyễn Văn An', '2015-03-05', 'male')""")
    submissions = [make_submission(province=p, status="accepted") for p in ("01", "79")]
    with db, db.cursor() as cur:
        for submission, record in zip(submissions, ("HN-1", "SG-1"), strict=True):
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, personal_id,
                           date_of_birth, sex) values (%s, 2, %s, '001215000001', '05/03/2015', 'Nam'),
                                                      (%s, 3, %s, null, '05/03/2015', 'Nam')""",
                (submission, record, submission, record + "b"),
            )
    link_submissions(submissions, warehouse_db)
    assign_pseudonyms(submissions, warehouse_db)
    return submissions


def _pseudonyms(db) -> dict[str, tuple[str, str]]:
    with db.cursor() as cur:
        cur.execute("select record_id, child_pseudonym, pseudonym_key_id from links.child_links")
        return {record: (value, kid) for record, value, kid in cur.fetchall()}


def test_rotation_recomputes_every_pseudonym_with_the_new_key(db, warehouse_db, linked):
    before = _pseudonyms(db)
    assert keys_in_use(warehouse_db) == {key_id(OLD.encode()): 4}
    assert rotate(NEW.encode(), warehouse_db) == 4
    after = _pseudonyms(db)
    assert keys_in_use(warehouse_db) == {key_id(NEW.encode()): 4}
    assert after["HN-1"][0] == after["SG-1"][0]  # still one child across provinces
    assert after["HN-1"][0] == pseudonym(NEW.encode(), "01", "HN-1", "001215000001")
    assert after["HN-1b"][0] == pseudonym(NEW.encode(), "01", "HN-1b", None)
    assert not {v for v, _ in before.values()} & {v for v, _ in after.values()}


def test_rotation_is_idempotent_and_refuses_a_short_key(db, warehouse_db, linked):
    rotate(NEW.encode(), warehouse_db)
    once = _pseudonyms(db)
    rotate(NEW.encode(), warehouse_db)
    assert _pseudonyms(db) == once
    with pytest.raises(ValueError, match="at least 32"):
        rotate(b"short", warehouse_db)


def test_the_key_file_and_the_local_key(tmp_path, monkeypatch):
    path = tmp_path / "new.key"
    path.write_text(NEW + "\n")
    assert read_key_file(path) == NEW.encode()
    monkeypatch.delenv("CHILD_WAREHOUSE_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("CHILD_WAREHOUSE_DB_URL", raising=False)
    monkeypatch.setenv("CHILD_WAREHOUSE_LOCAL_DIR", str(tmp_path / "local"))
    assert install_local_key(NEW.encode()) is True
    assert (tmp_path / "local" / "pseudonym.key").read_text().strip() == NEW
    monkeypatch.setenv("CHILD_WAREHOUSE_PSEUDONYM_KEY", OLD)
    assert install_local_key(NEW.encode()) is False  # a configured key is the operator's to change


def test_a_rotation_without_the_rebuild_says_the_marts_keep_old_pseudonyms(
    warehouse_db, linked, tmp_path, monkeypatch, capsys
):
    """The nightly dbt build is incremental: it would not replace them, so the operator is told."""
    from child_warehouse.cli import main

    path = tmp_path / "new.key"
    path.write_text(NEW + "\n")
    monkeypatch.setenv("CHILD_WAREHOUSE_DB_URL", warehouse_db)
    assert main(["pseudonyms", "rotate", "--new-key-file", str(path), "--no-rebuild"]) == 0
    assert keys_in_use(warehouse_db) == {key_id(NEW.encode()): 4}
    assert "run `child-warehouse dbt run --full-refresh`" in capsys.readouterr().out
