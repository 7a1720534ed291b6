"""JSON submissions are read one record at a time: memory stays bounded, nothing is lost."""

import io
import json
import tracemalloc

import pytest

from child_warehouse.contract.reasons import FileRejected
from child_warehouse.ingest import jsonstream
from child_warehouse.ingest.readers import read_table


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 7 characters put every token boundary at a buffer edge somewhere."""
    monkeypatch.setattr(jsonstream, "CHUNK_CHARS", 7)


def _stream(document: str):
    return jsonstream.read_document(io.StringIO(document))


def test_records_and_fields_in_any_order(small_chunks):
    document = (
        '{"province_code": "66", "records": [{"record_id": "A", "n": 12345},'
        ' {"record_id": "B", "n": -0.5e3}], "period": "2026-H1"}'
    )
    fields, items = _stream(document)
    assert list(items) == [{"record_id": "A", "n": 12345}, {"record_id": "B", "n": -500.0}]
    assert fields == {"province_code": "66", "period": "2026-H1"}


def test_numbers_split_across_chunks_are_not_cut(small_chunks):
    _, items = _stream('{"values":[123456789012,  98.6 ,7]}')
    assert list(items) == [123456789012, 98.6, 7]


def test_empty_array_and_missing_array_give_no_rows(small_chunks):
    assert list(_stream('{"records": []}')[1]) == []
    assert list(_stream('{"province_code": "01"}')[1]) == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[1, 2]", "must be an object"),
        ('{"records": [{"a": 1} {"a": 2}]}', "after records item 1"),
        ('{"records": [{"a": 1}, {"a": ]}', "records item 2"),
        ('{"records": [{"a": 1}]} trailing', "text after the end"),
        ('{"records": [{"a": 1}', "end of file"),
        ('{"records": [' + "[" * 100_000 + "]" * 100_000 + "]}", "nested too deeply"),
    ],
)
def test_damaged_documents_say_where(small_chunks, document, message):
    with pytest.raises(jsonstream.JsonShapeError, match=message):
        list(_stream(document)[1])


def test_an_oversized_record_is_refused_without_reading_on(monkeypatch):
    monkeypatch.setattr(jsonstream, "MAX_ITEM_CHARS", 1000)
    monkeypatch.setattr(jsonstream, "CHUNK_CHARS", 100)
    document = '{"records": [{"a": "' + "x" * 5000
    text = io.StringIO(document + '"}]}' + " " * 100_000)
    with pytest.raises(jsonstream.JsonShapeError, match="over 1,000 characters"):
        list(jsonstream.read_document(text)[1])
    assert text.tell() < 2000


def test_a_large_file_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "child_records.json"
    record = {"record_id": "", "commune_code": "00004", "full_name": "Nguyễn Thị Hoà", "sex": "Nữ"}
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"province_code": "01", "period": "2026-H1", "records": [')
        for number in range(200_000):
            handle.write(("," if number else "") + json.dumps({**record, "record_id": f"HN-{number}"}))
        handle.write("]}")
    assert path.stat().st_size > 15_000_000
    tracemalloc.start()
    table = read_table(path, "child_records")
    count = sum(1 for _ in table.rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 200_000
    assert peak < 10_000_000  # a few MiB of buffers, not the 15 MB document nor its objects


def test_keys_only_later_records_use_are_kept(tmp_path):
    path = tmp_path / "child_records.json"
    path.write_text(json.dumps({"records": [{"record_id": "A"}, {"record_id": "B", "ghi_chu": "mới"}]}))
    table = read_table(path, "child_records")
    assert table.headers == ["record_id", "ghi_chu"]
    assert list(table.rows) == [(1, ["A", ""]), (2, ["B", "mới"])]


def test_a_damaged_file_is_rejected_with_its_name(tmp_path):
    path = tmp_path / "child_records.json"
    path.write_text('{"records": [{"record_id": "A"}, oops]}')
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert "child_records.json" in caught.value.reason.en
    assert "records item 2" in caught.value.reason.en
