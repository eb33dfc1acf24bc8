"""File readers: every format and encoding, streaming, malformed input as InputError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.scanners.datafiles import FORMATS, InputError, open_dataset

HEADER = ["姓名", "手机号", "note"]
ROWS = [["张三", "13812345678", "a, quoted; note"], ["李四", "13912345678", "x"]]


def _csv_text(delimiter: str) -> str:
    def quote(cell: str) -> str:
        return f'"{cell}"' if delimiter in cell or "," in cell else cell

    lines = [delimiter.join(HEADER)] + [delimiter.join(quote(c) for c in r) for r in ROWS]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030")],
)
@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t"), (".csv", ";")])
def test_csv_encodings_and_delimiters(
    tmp_path: Path, encoding: str, expected: str, suffix: str, delimiter: str
) -> None:
    path = tmp_path / f"data{suffix}"
    path.write_bytes(_csv_text(delimiter).encode(encoding))
    dataset = open_dataset(path)
    assert dataset.kind == "table"
    assert dataset.encoding == expected
    assert dataset.columns == HEADER
    rows = list(dataset.iter_rows())
    assert rows == [(i, dict(zip(HEADER, r, strict=True))) for i, r in enumerate(ROWS, 1)]


def test_jsonl_flattens_nested_records(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    records = [
        {"user": {"contact": {"phone": "13812345678"}}, "items": [{"phone": 1}, {"phone": 2.0}]},
        {"ok": True, "none": None},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n")
    dataset = open_dataset(path)
    assert list(dataset.iter_rows()) == [
        (1, {"user.contact.phone": "13812345678", "items[0].phone": "1", "items[1].phone": "2"}),
        (2, {"ok": "true"}),
    ]
    assert dataset.columns == ["user.contact.phone", "items[0].phone", "items[1].phone", "ok"]


def test_json_array_streams_records_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    records = [{"id": i, "text": "x" * 5000, "n": 123456789} for i in range(60)]
    path.write_text(json.dumps(records, indent=1))
    rows = list(open_dataset(path).iter_rows())
    assert len(rows) == 60
    assert rows[-1] == (60, {"id": "59", "text": "x" * 5000, "n": "123456789"})


def test_json_object_is_one_record_and_misnamed_jsonl_is_read(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text('{"a": {"b": "c"}}')
    assert list(open_dataset(single).iter_rows()) == [(1, {"a.b": "c"})]
    lines = tmp_path / "lines.json"
    lines.write_text('{"a": 1}\n{"a": 2}\n')
    assert [r for r, _ in open_dataset(lines).iter_rows()] == [1, 2]


def test_parquet_batches(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "d.parquet"
    table = pa.table({"phone": [f"138{i:08d}" for i in range(10_000)], "n": list(range(10_000))})
    pq.write_table(table, path)
    dataset = open_dataset(path)
    assert dataset.columns == ["phone", "n"]
    rows = list(dataset.iter_rows())
    assert len(rows) == 10_000
    assert rows[9_999] == (10_000, {"phone": "13800009999", "n": "9999"})


def test_excel_sheets(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "d.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(["姓名", "手机号"])
    sheet.append(["张三", 13812345678])
    sheet.append([None, None])
    sheet.append(["李四", "13912345678"])
    book.save(path)
    dataset = open_dataset(path)
    assert dataset.columns == ["姓名", "手机号"]
    assert list(dataset.iter_rows()) == [
        (1, {"姓名": "张三", "手机号": "13812345678"}),
        (2, {"姓名": "李四", "手机号": "13912345678"}),
    ]


def test_text_lines(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    path.write_bytes("第一行\r\n手机号13812345678，\n".encode("gb18030"))
    dataset = open_dataset(path)
    assert (dataset.kind, dataset.encoding) == ("text", "gb18030")
    assert list(dataset.iter_lines()) == [(1, "第一行"), (2, "手机号13812345678，")]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("trunc.csv", "a,b\n1,2\n3", "row 2: 1 fields"),
        ("quote.csv", 'a,b\n1,"2\n', "file ends inside a quoted field"),
        ("bad.jsonl", '{"a": 1}\n{"a": \n', "line 2: invalid JSON"),
        ("bad.json", '[{"a": 1}, {"a": ', "record 2: invalid JSON"),
        ("empty.csv", "", "empty file"),
        ("binary.csv", b"a,b\n\x00\x01\x02", "binary file"),
        ("claim.csv", b"\xef\xbb\xbfa\n" + "张三".encode("gb18030"), "not valid utf-8-sig"),
        ("late.txt", b"ok\n" * (1 << 19) + "张".encode("gb18030"), "not valid utf-8"),
        ("bad.xlsx", b"PK\x03\x04 not a zip", "not a valid .xlsx"),
        ("bad.parquet", b"PAR1 nope", "Parquet"),
    ],
)
def test_malformed_files_raise_input_error(
    tmp_path: Path, name: str, content: str | bytes, problem: str
) -> None:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        dataset = open_dataset(path)
        list(dataset.iter_lines() if dataset.kind == "text" else dataset.iter_rows())
    assert problem in str(info.value)
    assert str(path) in str(info.value)


def test_ten_megabyte_single_line_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("手机号13812345678，" * 700_000)
    with pytest.raises(InputError, match="line 1: longer than"):
        list(open_dataset(path).iter_lines())


def test_error_messages_never_show_content(tmp_path: Path) -> None:
    path = tmp_path / "secret.csv"
    path.write_text("a,b\n13812345678,x,extra\n")
    with pytest.raises(InputError) as info:
        list(open_dataset(path).iter_rows())
    assert "13812345678" not in str(info.value)


def test_registry_is_exhaustive_and_readers_agree_with_suffix(tmp_path: Path) -> None:
    assert set(FORMATS) == {
        ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet", ".xlsx",
        ".txt", ".text", ".md", ".markdown", ".log",
    }  # fmt: skip
    other = tmp_path / "notes.unknown"
    other.write_text("hello\n")
    assert open_dataset(other).kind == "text"
    with pytest.raises(InputError, match="no such file"):
        open_dataset(tmp_path / "missing.csv")
