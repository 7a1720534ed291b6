"""Pseudonyms: the same child gets the same one everywhere; without the key nobody can make them."""

from child_warehouse.linkage.deterministic import link_submissions
from child_warehouse.linkage.pseudonyms import assign_pseudonyms, key_id, pseudonym


def test_a_linked_child_has_one_pseudonym_across_provinces_and_an_unlinked_record_its_own():
    key = b"k" * 32
    assert pseudonym(key, "01", "HN-1", "001215000001") == pseudonym(key, "79", "SG-9", "001215000001")
    assert pseudonym(key, "01", "HN-1", None) != pseudonym(key, "79", "HN-1", None)
    assert pseudonym(key, "01", "HN-1", "001215000001") != pseudonym(b"x" * 32, "01", "HN-1", "001215000001")
    assert "001215000001" not in pseudonym(key, "01", "HN-1", "001215000001")


def test_assigned_in_the_warehouse_without_the_key_reaching_it(
    db, warehouse_db, make_submission, monkeypatch
):
    monkeypatch.setenv("CHILD_WAREHOUSE_PSEUDONYM_KEY", "test-key-" + "0" * 40)
    with db, db.cursor() as cur:
        cur.execute("""insert into register.persons (personal_id, full_name, date_of_birth, sex)
                       values ('001215000001', 'Nguyễn Văn An', '2015-03-05', 'male')""")
    first = make_submission(province="01", status="accepted")
    second = make_submission(province="79", status="accepted")
    with db, db.cursor() as cur:
        for submission, record in ((first, "HN-1"), (second, "SG-1")):
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, personal_id,
                           date_of_birth, sex) values (%s, 2, %s, '001215000001', '05/03/2015', 'Nam'),
                                                      (%s, 3, %s, null, '05/03/2015', 'Nam')""",
                (submission, record, submission, record + "b"),
            )
    link_submissions([first, second], warehouse_db)
    assert assign_pseudonyms([first, second], warehouse_db) == 4
    with db.cursor() as cur:
        cur.execute("select record_id, child_pseudonym, pseudonym_key_id from links.child_links order by 1")
        rows = {record: (value, kid) for record, value, kid in cur.fetchall()}
    assert rows["HN-1"][0] == rows["SG-1"][0]  # the same child in two provinces
    assert len({value for value, _ in rows.values()}) == 3
    assert {kid for _, kid in rows.values()} == {key_id(b"test-key-" + b"0" * 40)}
