"""Readers know the physical line each record starts on, and read JSON with comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.scanners.datafiles import InputError, open_dataset
from review.scanners.datafiles.formats import json_value_lines


def _lines(path: Path) -> list[tuple[int, int]]:
    return list(open_dataset(path).row_lines())


def test_csv_record_lines_count_line_breaks_inside_quoted_fields(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        'id,note\n1,"one\ntwo\nthree"\n\n2,plain\n3,"a\r\nb"\n4,last\n', encoding="utf-8"
    )
    assert _lines(path) == [(1, 2), (2, 6), (3, 7), (4, 9)]
    assert [row for row, _ in open_dataset(path).iter_rows()] == [1, 2, 3, 4]


def test_jsonl_and_text_record_lines(tmp_path: Path) -> None:
    jsonl = tmp_path / "events.jsonl"
    jsonl.write_text('{"a": 1}\n\n{"a": 2}\n{"a": 3}\n', encoding="utf-8")
    assert _lines(jsonl) == [(1, 1), (2, 3), (3, 4)]
    text = tmp_path / "notes.txt"
    text.write_text("one\ntwo\n", encoding="utf-8")
    assert _lines(text) == [(1, 1), (2, 2)]


def test_json_array_record_lines_match_the_records_read(tmp_path: Path) -> None:
    records = [
        {"name": "x", "tags": ["[", "]", "{"], "note": 'quote " and , comma'},
        {"nested": {"deep": [1, 2, {"k": "v"}]}},
        7,
        "text with \\ backslash",
    ]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    lines = _lines(path)
    text = path.read_text(encoding="utf-8").splitlines()
    assert [row for row, _ in lines] == [row for row, _ in open_dataset(path).iter_rows()]
    assert [text[line - 1].strip()[:1] for _, line in lines] == ["{", "{", "7", '"']
    assert lines[1][1] > lines[0][1] + 5  # the first record spans several lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": [1, 2]}', [(1, 1)]),  # one object: one record
        ('{"a": 1}\n{"a": 2}\n', [(1, 1), (2, 2)]),  # JSON Lines in a .json file
        ("[\n]\n", []),
        ('[1,\n 2, [3,\n 4], {"k":\n "v"}]', [(1, 1), (2, 2), (3, 2), (4, 3)]),
    ],
)
def test_json_value_lines(text: str, expected: list[tuple[int, int]]) -> None:
    assert list(json_value_lines(text.splitlines(keepends=True))) == expected


def test_json_with_comments_is_read_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        '// editor settings\n[\n  {"path": "a // not a comment"}, /* one */\n'
        '  {"path": "b", /* [ { */ },\n]\n',
        encoding="utf-8",
    )
    rows = list(open_dataset(path).iter_rows())
    assert rows == [(1, {"path": "a // not a comment"}), (2, {"path": "b"})]
    assert _lines(path) == [(1, 3), (2, 4)]


def test_broken_json_is_still_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('// a comment\n{"a": 1,, "b": 2}\n', encoding="utf-8")
    with pytest.raises(InputError, match="invalid JSON"):
        list(open_dataset(path).iter_rows())
