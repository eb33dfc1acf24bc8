"""A generated corpus of broken and hostile inputs, one ``Case`` per input and command.

Every reader of user files is covered: the data readers (CSV/TSV, JSON, JSON Lines,
Parquet, xlsx, text) through ``pii scan``, ``desensitise`` and ``review run``, and the
readers of config TOML, answers YAML, baselines, review.json, key files, PKCS#12 files,
report PDFs, trust anchors, lock files and SBOMs. Seeded values (``SEEDS``) are placed
in headers, keys, sheet names, file names and cells that make a reader fail; no file the
tool writes may hold one.
"""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.report.sample import build_sample

SEED_PHONE = "13912345678"
SEED_ID = "11010119900307803X"
# Not an RFC 2606 example domain: those are documentation, not personal data.
SEED_EMAIL = "seeded.person@163.com"
SEED_NAME = "欧阳锋"
SEEDS = (SEED_PHONE, SEED_ID, SEED_EMAIL, SEED_NAME)
"""Values that must never appear raw in anything the tool writes."""

Build = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    """One hostile input: ``build`` makes its files in a folder and returns the CLI args."""

    name: str
    reader: str
    build: Build
    codes: frozenset[int]
    env: dict[str, str] = field(default_factory=dict)
    forbidden: tuple[str, ...] = ()
    """Besides the seeds, text that must not appear in the Markdown and HTML outputs
    (e.g. ``<script>``)."""
    expect: str = ""
    """Text the one error line (exit 2) or the report on stdout (exit 0/1) must hold: the
    case ends for the reason it was built for, not an earlier, unrelated one."""


CASES: list[Case] = []


def case(
    reader: str,
    codes: set[int] | int,
    env: dict[str, str] | None = None,
    forbidden: tuple[str, ...] = (),
    expect: str = "",
) -> Callable[[Build], Build]:
    """Register the decorated builder as a case named after it."""

    def register(build: Build) -> Build:
        allowed = frozenset({codes} if isinstance(codes, int) else codes)
        CASES.append(Case(build.__name__, reader, build, allowed, env or {}, forbidden, expect))
        return build

    return register


def _write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def _random(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def _fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def _link(path: Path, target: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def _scan(path: Path | str) -> list[str]:
    return ["pii", "scan", str(path)]


def _ids(count: int) -> list[str]:
    # Synthetic resident IDs with a valid check character.
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    out = []
    for n in range(count):
        body = f"11010119900307{n % 1000:03d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
        out.append(body + check)
    return out


# ---------------------------------------------------------------- CSV / TSV


@case("csv", 2, expect="empty file")
def csv_empty(d: Path) -> list[str]:
    return _scan(_write(d / "empty.csv", ""))


@case("csv", 2)
def csv_only_newlines(d: Path) -> list[str]:
    return _scan(_write(d / "blank.csv", "\n\n\r\n"))


@case("csv", 1, expect="col[*** 139****5678]")
def csv_first_row_is_data(d: Path) -> list[str]:
    return _scan(_write(d / "a.csv", f"{SEED_NAME} {SEED_PHONE},id\n1,2\n"))


@case("csv", 1)
def csv_header_only_with_seeds(d: Path) -> list[str]:
    return _scan(_write(d / "h.csv", f"{SEED_EMAIL},{SEED_ID}\n"))


@case("csv", 2, expect="row 51: 1 fields but the header has 2")
def csv_ragged_last_row(d: Path) -> list[str]:
    rows = ["id,note", *(f"{i},x" for i in _ids(50)), SEED_ID]
    return _scan(_write(d / "ragged.csv", "\n".join(rows) + "\n"))


@case("csv", 2, expect="file ends inside a quoted field")
def csv_truncated_quote(d: Path) -> list[str]:
    return _scan(_write(d / "q.csv", f'a,b\n1,"{SEED_PHONE}\n'))


@case("csv", 2)
def csv_nul_bytes(d: Path) -> list[str]:
    return _scan(_write(d / "nul.csv", b"a,b\n1,\x00\x00\n"))


@case("csv", 2, expect="binary file, not text")
def csv_random_binary(d: Path) -> list[str]:
    return _scan(_write(d / "random.csv", _random(3000)))


@case("csv", 2)
def csv_short_random_binary(d: Path) -> list[str]:
    return _scan(_write(d / "short.csv", bytes(b for b in _random(200, 3) if b)))


@case("csv", 2, expect="40000 columns: more than the limit of 10000")
def csv_40000_columns(d: Path) -> list[str]:
    header = ",".join(f"c{i}" for i in range(40_000))
    return _scan(_write(d / "wide.csv", header + "\n" + ",".join("1" * 40_000) + "\n"))


@case("csv", 2)
def csv_columns_over_limit(d: Path) -> list[str]:
    return _scan(_write(d / "w.csv", ",".join(f"c{i}" for i in range(10_001)) + "\n"))


@case(
    "csv",
    2,
    env={"REVIEW_LIMITS__CELL_CHARS": "1000"},
    expect="longer than the limit of 1000 characters",
)
def csv_cell_over_limit(d: Path) -> list[str]:
    return _scan(_write(d / "cell.csv", f'a\n"{SEED_PHONE}{"x" * 2000}"\n'))


@case(
    "csv",
    2,
    env={"REVIEW_LIMITS__LINE_CHARS": "1000"},
    expect="line 2: longer than the limit of 1000",
)
def csv_line_over_limit(d: Path) -> list[str]:
    return _scan(_write(d / "line.csv", "a,b\n" + "y" * 5000 + ",1\n"))


@case("csv", 1)
def csv_gbk_header_with_seed(d: Path) -> list[str]:
    return _scan(_write(d / "gbk.csv", f"姓名 {SEED_PHONE},备注\n张,无\n", "gbk"))


@case("csv", 2, expect="bytes are not valid utf-8")
def csv_bad_bytes_after_first_megabyte(d: Path) -> list[str]:
    data = b"a,b\n" + b"1,2\n" * 300_000 + SEED_PHONE.encode() + b",\xff\xfe\n"
    return _scan(_write(d / "late.csv", data))


@case("csv", 1)
def csv_utf16_with_seeds(d: Path) -> list[str]:
    return _scan(_write(d / "u16.csv", f"phone\n{SEED_PHONE}\n", "utf-16"))


@case("csv", 2, expect="is a named pipe (FIFO)")
def csv_fifo(d: Path) -> list[str]:
    return _scan(_fifo(d / "fifo.csv"))


@case("csv", 2, expect="is a character device")
def csv_link_to_dev_zero(d: Path) -> list[str]:
    return _scan(_link(d / "zero.csv", "/dev/zero"))


@case("csv", 1)
def csv_file_name_with_seed_and_bad_byte(d: Path) -> list[str]:
    name = os.fsdecode(f"{SEED_NAME}_{SEED_PHONE}_".encode() + b"\xff.csv")
    return ["pii", "scan", "--format", "sarif", str(_write(d / name, "a,b\n1,2\n"))]


@case("csv", 1)
def csv_file_name_with_seed_json(d: Path) -> list[str]:
    path = _write(d / f"{SEED_EMAIL}.csv", f"phone\n{SEED_PHONE}\n")
    return ["pii", "scan", "--format", "json", str(path)]


@case("csv", {1, 2})
def csv_quote_in_unquoted_field(d: Path) -> list[str]:
    return _scan(_write(d / "bare.csv", f'a,b\n1,x"{SEED_PHONE}"y\n'))


@case("csv", 2)
def csv_directory_named_csv(d: Path) -> list[str]:
    (d / "dir.csv").mkdir()
    return _scan(d / "dir.csv")


@case("tsv", 2, expect="row 1: 3 fields but the header has 2")
def tsv_ragged(d: Path) -> list[str]:
    return _scan(_write(d / "r.tsv", f"a\tb\n1\t2\t{SEED_PHONE}\n"))


@case("tsv", 1)
def tsv_seed_header(d: Path) -> list[str]:
    return _scan(_write(d / "h.tsv", f"{SEED_PHONE}\tb\n1\t2\n"))


# ---------------------------------------------------------------- JSON


@case("json", 2)
def json_empty(d: Path) -> list[str]:
    return _scan(_write(d / "e.json", ""))


@case("json", 2)
def json_truncated(d: Path) -> list[str]:
    return _scan(_write(d / "t.json", f'[{{"phone": "{SEED_PHONE}"}}, {{"a": '))


@case("json", 2, expect="nested deeper than the limit of 100 levels")
def json_deep_arrays(d: Path) -> list[str]:
    return _scan(_write(d / "deep.json", "[" * 100_000 + "]" * 100_000))


@case("json", 2, expect="nested deeper than the limit of 100 levels")
def json_deep_objects(d: Path) -> list[str]:
    return _scan(_write(d / "deepo.json", '{"a":' * 100_000 + "1" + "}" * 100_000))


@case("json", 2, expect="a number too long")
def json_huge_integer(d: Path) -> list[str]:
    return _scan(_write(d / "int.json", '[{"n": ' + "7" * 5000 + "}]"))


@case("json", 1, expect="col[139****5678]")
def json_keyed_by_personal_data(d: Path) -> list[str]:
    doc = {SEED_PHONE: {"x": 1}, SEED_EMAIL: {"y": 2}}
    return _scan(_write(d / "keys.json", json.dumps(doc)))


@case("json", 1, expect="CN_RESIDENT_ID")
def json_duplicate_key_hides_an_id(d: Path) -> list[str]:
    return _scan(_write(d / "dup.json", f'{{"id": "{SEED_ID}", "id": "x"}}'))


@case("json", 2, expect="a value is longer than the limit of 1048576 characters")
def json_200_megabyte_element(d: Path) -> list[str]:
    path = d / "big.json"
    with path.open("wb") as handle:
        handle.write(b'["')
        chunk = b"a" * (1 << 20)
        for _ in range(200):
            handle.write(chunk)
        handle.write(b'"]')
    return _scan(path)


@case("json", 2, expect="more than the limit of 10000 fields")
def json_too_many_fields(d: Path) -> list[str]:
    record = {f"f{i}": i for i in range(20_000)}
    return _scan(_write(d / "fields.json", json.dumps([record])))


@case("json", 2)
def json_nan(d: Path) -> list[str]:
    return _scan(_write(d / "nan.json", '[{"a": NaN}]'))


@case("json", 2)
def json_trailing_garbage(d: Path) -> list[str]:
    return _scan(_write(d / "g.json", f'[{{"a": 1}}] {SEED_PHONE} x'))


@case("json", 1)
def json_lines_in_a_json_file(d: Path) -> list[str]:
    return _scan(_write(d / "l.json", f'{{"a": "{SEED_PHONE}"}}\n{{"a": 2}}\n'))


@case("json", {1, 2})  # read in the encoding its bytes fit, or refused
def json_invalid_utf8_in_string(d: Path) -> list[str]:
    return _scan(_write(d / "bad.json", b'[{"a": "' + SEED_PHONE.encode() + b'\xff\xfe"}]'))


@case("json", 1)
def json_gb18030_with_seed_key(d: Path) -> list[str]:
    return _scan(
        _write(d / "gb.json", json.dumps({SEED_PHONE: "手机"}, ensure_ascii=False), "gb18030")
    )


@case("json", 2)
def json_lone_surrogate_key(d: Path) -> list[str]:
    return _scan(_write(d / "s.json", '[{"\\ud800x": "1", "b": "\\udfff"}]'))


@case("json", 1)
def json_bom(d: Path) -> list[str]:
    return _scan(_write(d / "bom.json", f'[{{"phone": "{SEED_PHONE}"}}]', "utf-8-sig"))


@case("json", 1)
def json_nested_within_limit(d: Path) -> list[str]:
    doc: object = {"phone": SEED_PHONE}
    for _ in range(50):
        doc = {"k": doc}
    return _scan(_write(d / "nest.json", json.dumps(doc)))


@case("json", 1)
def json_bare_scalar(d: Path) -> list[str]:
    return _scan(_write(d / "scalar.json", json.dumps(SEED_PHONE)))


@case("json", 2)
def json_random_binary(d: Path) -> list[str]:
    return _scan(_write(d / "r.json", _random(5000, 11)))


@case("json", 2)
def json_array_not_closed(d: Path) -> list[str]:
    return _scan(_write(d / "open.json", "[1, 2, 3"))


@case("json", 2)
def json_one_record_million_items(d: Path) -> list[str]:
    return _scan(_write(d / "items.json", "[[" + ",".join(["1"] * 1_000_000) + "]]"))


# ---------------------------------------------------------------- JSON Lines


@case("jsonl", 2)
def jsonl_invalid_second_line(d: Path) -> list[str]:
    return _scan(_write(d / "b.jsonl", f'{{"a": "{SEED_PHONE}"}}\n{{"a": \n'))


@case("jsonl", 2, env={"REVIEW_LIMITS__LINE_CHARS": "1000"})
def jsonl_line_over_limit(d: Path) -> list[str]:
    return _scan(_write(d / "long.jsonl", json.dumps({"a": "x" * 5000}) + "\n"))


@case("jsonl", 2, expect="line 1: nested deeper than the limit")
def jsonl_deep_line(d: Path) -> list[str]:
    return _scan(_write(d / "deep.jsonl", "[" * 50_000 + "]" * 50_000 + "\n"))


@case("jsonl", 1)
def jsonl_seed_keys(d: Path) -> list[str]:
    return _scan(_write(d / "k.jsonl", json.dumps({SEED_EMAIL: 1}) + "\n"))


@case("jsonl", 2)
def jsonl_huge_integer(d: Path) -> list[str]:
    return _scan(_write(d / "i.jsonl", '{"n": ' + "9" * 6000 + "}\n"))


@case("jsonl", 2)
def jsonl_two_values_on_a_line(d: Path) -> list[str]:
    return _scan(_write(d / "two.jsonl", '{"a": 1} {"b": 2}\n'))


@case("jsonl", 0)
def jsonl_blank_lines_only(d: Path) -> list[str]:
    return _scan(_write(d / "blank.jsonl", "\n   \n\n"))


@case("jsonl", 1, expect="CN_RESIDENT_ID")
def jsonl_duplicate_keys(d: Path) -> list[str]:
    return _scan(_write(d / "dup.jsonl", f'{{"id": "{SEED_ID}", "id": "x"}}\n'))


@case("jsonl", 2)
def jsonl_fifo(d: Path) -> list[str]:
    return _scan(_fifo(d / "f.ndjson"))


# ---------------------------------------------------------------- Parquet


def _parquet(path: Path, table: object, **options: object) -> Path:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **options)
    return path


@case("parquet", 2, expect="not a valid Parquet file")
def parquet_zero_length(d: Path) -> list[str]:
    return _scan(_write(d / "empty.parquet", b""))


@case("parquet", 2)
def parquet_magic_and_garbage(d: Path) -> list[str]:
    return _scan(_write(d / "g.parquet", b"PAR1" + _random(4000) + b"PAR1"))


@case("parquet", 2)
def parquet_truncated(d: Path) -> list[str]:
    import pyarrow as pa

    path = _parquet(d / "full.parquet", pa.table({"phone": [SEED_PHONE] * 1000}))
    data = path.read_bytes()
    path.unlink()
    return _scan(_write(d / "cut.parquet", data[: len(data) // 2]))


@case("parquet", 2, expect="(a decompression bomb?)")
def parquet_two_million_digits(d: Path) -> list[str]:
    import pyarrow as pa

    table = pa.table({"n": ["1234567890" * 200_000]})
    return _scan(_parquet(d / "digits.parquet", table, compression="zstd", use_dictionary=False))


@case("parquet", 1)
def parquet_seed_column_names(d: Path) -> list[str]:
    import pyarrow as pa

    return _scan(_parquet(d / "n.parquet", pa.table({SEED_PHONE: ["a"], "b": ["c"]})))


@case("parquet", 1)
def parquet_struct_with_seed_keys(d: Path) -> list[str]:
    import pyarrow as pa

    table = pa.table({"user": [{SEED_EMAIL: "x", "phone": SEED_PHONE}]})
    return _scan(_parquet(d / "s.parquet", table))


@case("parquet", 0)
def parquet_one_long_value_repeated(d: Path) -> list[str]:
    import pyarrow as pa

    return _scan(_parquet(d / "rep.parquet", pa.table({"t": ["a" * 500_000] * 20_000})))


@case("parquet", 2)
def parquet_columns_over_limit(d: Path) -> list[str]:
    import pyarrow as pa

    return _scan(_parquet(d / "wide.parquet", pa.table({f"c{i}": [1] for i in range(10_001)})))


@case("parquet", 2)
def parquet_fifo(d: Path) -> list[str]:
    return _scan(_fifo(d / "f.parquet"))


# ---------------------------------------------------------------- xlsx


def _xlsx(path: Path, sheets: dict[str, str], strings: str | None = None) -> Path:
    """A minimal workbook from raw sheet XML (cells as given), written by hand so that
    cells can lie about their types."""
    names = list(sheets)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicati'
            'on/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conten'
            'tType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="appli'
            'cation/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd'
                '.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(names) + 1)
            )
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxm'
                'lformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if strings is not None
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schem'
            'as.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl'
            '/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlforma'
            'ts.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeD'
            'ocument/2006/relationships"><sheets>'
            + "".join(
                f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in enumerate(names, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocum'
                f'ent/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + (
                f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.or'
                'g/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                if strings is not None
                else ""
            )
            + "</Relationships>"
        ),
    }
    for i, body in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlform'
            f'ats.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
        )
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return _write(path, buffer.getvalue())


def _row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


@case("xlsx", 2, expect="not a valid .xlsx workbook (not a zip file)")
def xlsx_zero_length(d: Path) -> list[str]:
    return _scan(_write(d / "empty.xlsx", b""))


@case("xlsx", 2)
def xlsx_random_bytes(d: Path) -> list[str]:
    return _scan(_write(d / "r.xlsx", b"PK\x03\x04" + _random(5000)))


@case("xlsx", 2)
def xlsx_zip_without_workbook(d: Path) -> list[str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", SEED_PHONE)
    return _scan(_write(d / "z.xlsx", buffer.getvalue()))


@case("xlsx", 2)
def xlsx_truncated(d: Path) -> list[str]:
    path = _xlsx(d / "full.xlsx", {"S": _row(1, _inline("A1", "phone"))})
    data = path.read_bytes()
    path.unlink()
    return _scan(_write(d / "cut.xlsx", data[: len(data) * 2 // 3]))


@case("xlsx", 2, expect="(malformed XML)")
def xlsx_corrupt_sheet_xml(d: Path) -> list[str]:
    body = (
        _row(1, _inline("A1", "phone")) + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{SEED_PHONE}'
    )
    return _scan(_xlsx(d / "bad.xlsx", {"S": body}))


@case("xlsx", 2, expect="sheet S, row 2, column A: a cell's value does not match its type")
def xlsx_numeric_cell_holding_text(d: Path) -> list[str]:
    body = _row(1, _inline("A1", "id")) + _row(2, f'<c r="A2" t="n"><v>{SEED_ID}</v></c>')
    return _scan(_xlsx(d / "type.xlsx", {"S": body}))


@case("xlsx", {0, 2})  # openpyxl reads any other value as false
def xlsx_bool_cell_holding_text(d: Path) -> list[str]:
    body = _row(1, _inline("A1", "ok")) + _row(2, f'<c r="A2" t="b"><v>{SEED_PHONE}</v></c>')
    return _scan(_xlsx(d / "bool.xlsx", {"S": body}))


@case("xlsx", 2, expect="sheet S, row 2, column A: a cell's value does not match its type")
def xlsx_date_cell_holding_text(d: Path) -> list[str]:
    body = _row(1, _inline("A1", "d")) + _row(2, f'<c r="A2" t="d"><v>{SEED_EMAIL}</v></c>')
    return _scan(_xlsx(d / "date.xlsx", {"S": body}))


@case("xlsx", 2, expect="row 2, column A: a cell refers to a shared string")
def xlsx_shared_string_index_out_of_range(d: Path) -> list[str]:
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{SEED_PHONE}</t></si></sst>'
    )
    body = _row(1, '<c r="A1" t="s"><v>0</v></c>') + _row(2, '<c r="A2" t="s"><v>99</v></c>')
    return _scan(_xlsx(d / "sst.xlsx", {"S": body}, strings))


@case("xlsx", 2, expect="(a zip bomb?)")
def xlsx_shared_strings_bomb(d: Path) -> list[str]:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" count="20000000" uniqueCount="20000000">'
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member,
    ):
        member.write(head.encode())
        chunk = b"<si><t>a</t></si>" * 100_000
        for _ in range(200):
            member.write(chunk)
        member.write(b"</sst>")
    path = _xlsx(d / "template.xlsx", {"S": _row(1, '<c r="A1" t="s"><v>0</v></c>')}, "<sst/>")
    with zipfile.ZipFile(path) as template:
        parts = {i.filename: template.read(i) for i in template.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/sharedStrings.xml":
                archive.writestr(name, data)
        with zipfile.ZipFile(buffer) as bomb:
            info = bomb.getinfo("xl/sharedStrings.xml")
            archive.writestr(info, bomb.read(info))
    path.unlink()
    return _scan(_write(d / "bomb.xlsx", out.getvalue()))


@case("xlsx", 1)
def xlsx_sheet_names_with_seeds(d: Path) -> list[str]:
    sheets = {SEED_PHONE: _row(1, _inline("A1", "a")), "other": _row(1, _inline("A1", "b"))}
    return _scan(_xlsx(d / "sheets.xlsx", sheets))


@case("xlsx", 1)
def xlsx_header_with_seed(d: Path) -> list[str]:
    body = _row(1, _inline("A1", f"{SEED_NAME} {SEED_PHONE}")) + _row(2, _inline("A2", "x"))
    return _scan(_xlsx(d / "h.xlsx", {"S": body}))


@case("xlsx", 2, expect="unsafe XML refused")
def xlsx_entity_expansion(d: Path) -> list[str]:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&lol3;</t></si></sst>"
    )
    body = _row(1, '<c r="A1" t="s"><v>0</v></c>')
    return _scan(_xlsx(d / "xxe.xlsx", {"S": body}, bomb))


@case("xlsx", 1)
def xlsx_inline_seed_cell(d: Path) -> list[str]:
    body = _row(1, _inline("A1", "phone")) + _row(2, _inline("A2", SEED_PHONE))
    return _scan(_xlsx(d / "ok.xlsx", {"S": body}))


@case("xlsx", 2)
def xlsx_fifo(d: Path) -> list[str]:
    return _scan(_fifo(d / "f.xlsx"))


# ---------------------------------------------------------------- text


@case("text", 2)
def text_random_binary(d: Path) -> list[str]:
    return _scan(_write(d / "r.txt", _random(8000, 5)))


@case("text", 2, env={"REVIEW_LIMITS__LINE_CHARS": "1000"})
def text_line_over_limit(d: Path) -> list[str]:
    return _scan(_write(d / "long.log", f"{SEED_PHONE} " * 500))


@case("text", 1)
def text_gb18030_with_seeds(d: Path) -> list[str]:
    return _scan(_write(d / "gb.txt", f"客户{SEED_NAME}，手机号{SEED_PHONE}，\n", "gb18030"))


@case("text", 2)
def text_encoding_changes_after_a_megabyte(d: Path) -> list[str]:
    data = b"ok\n" * 400_000 + f"{SEED_NAME}".encode("gb18030") + b"\n"
    return _scan(_write(d / "mixed.md", data))


@case("text", 1, expect="CN_MOBILE_PHONE")
def text_twenty_thousand_phones_in_one_line(d: Path) -> list[str]:
    line = " ".join(f"138{n:08d}" for n in range(20_000))
    return _scan(_write(d / "phones.txt", line + f" {SEED_PHONE}\n"))


@case("text", 2)
def text_control_characters(d: Path) -> list[str]:
    return _scan(_write(d / "ctl.txt", bytes(range(1, 32)) * 200))


@case("text", 0)
def text_empty(d: Path) -> list[str]:
    return _scan(_write(d / "empty.txt", b""))


@case("text", 1)
def text_unknown_suffix_named_directly(d: Path) -> list[str]:
    return _scan(_write(d / "customers.dat", f"{SEED_EMAIL}\n"))


@case("text", 1)
def text_one_megabyte_digit_line(d: Path) -> list[str]:
    return _scan(_write(d / "digits.txt", "1234567890" * 100_000 + f" {SEED_PHONE}\n"))


# ---------------------------------------------------------------- special files, folders


@case("special", 2, expect="is a named pipe (FIFO), not a data file; refused")
def special_fifo_argument(d: Path) -> list[str]:
    return _scan(_fifo(d / "pipe"))


@case("special", 2, expect="/dev/zero: is a character device, not a data file; refused")
def special_dev_zero(d: Path) -> list[str]:
    return _scan("/dev/zero")


@case("special", 2)
def special_dev_null(d: Path) -> list[str]:
    return _scan("/dev/null")


@case("folder", 2, expect="unknown format, not read")
def folder_of_unknown_suffixes(d: Path) -> list[str]:
    _write(d / "in" / "customers.dat", f"{SEED_PHONE}\n")
    _write(d / "in" / "export.csv.bak", f"phone\n{SEED_PHONE}\n")
    return _scan(d / "in")


@case("folder", 2)
def folder_empty(d: Path) -> list[str]:
    (d / "in").mkdir()
    return _scan(d / "in")


@case("folder", 2)
def folder_with_broken_link(d: Path) -> list[str]:
    _link(d / "in" / "gone.csv", str(d / "nowhere.csv"))
    return _scan(d / "in")


@case("folder", 2, expect="pipe.csv: is a named pipe (FIFO)")
def folder_with_fifo(d: Path) -> list[str]:
    _write(d / "in" / "ok.csv", "a\n1\n")
    _fifo(d / "in" / "pipe.csv")
    return _scan(d / "in")


# ---------------------------------------------------------------- review run


def _project(d: Path, toml: str, **files: bytes | str) -> list[str]:
    for name, data in files.items():
        _write(d / "p" / name, data)
    _write(d / "p" / "review.toml", toml)
    return ["run", str(d / "p"), "--out", str(d / "out")]


_PII = '[checklist]\nenabled = false\n[pii]\npaths = ["{}"]\n'


@case("run", 1, expect="data.csv  0 rows  NOT READ IN FULL / 未完整读取: is a named pipe (FIFO)")
def run_fifo_in_pii_paths(d: Path) -> list[str]:
    _fifo(d / "p" / "data.csv")
    return _project(d, _PII.format("data.csv"))


@case("run", 1, expect="/dev/zero  0 rows  NOT READ IN FULL")
def run_dev_zero_in_pii_paths(d: Path) -> list[str]:
    return _project(d, _PII.format("/dev/zero"))


@case("run", 1, expect="data/r.csv  0 rows  NOT READ IN FULL / 未完整读取: binary file")
def run_random_binary(d: Path) -> list[str]:
    return _project(d, _PII.format("data/r.csv"), **{"data/r.csv": _random(4000)})


@case("run", 1, expect="data/e.parquet  0 rows  NOT READ IN FULL")
def run_zero_length_parquet(d: Path) -> list[str]:
    return _project(d, _PII.format("data/e.parquet"), **{"data/e.parquet": b""})


@case("run", 1, expect="data/e.xlsx  0 rows  NOT READ IN FULL")
def run_zero_length_xlsx(d: Path) -> list[str]:
    return _project(d, _PII.format("data/e.xlsx"), **{"data/e.xlsx": b""})


@case("run", 1, expect="2 个输入未能完整读取")
def run_folder_of_unknown_suffixes(d: Path) -> list[str]:
    files = {"data/customers.dat": SEED_PHONE, "data/export.csv.bak": f"p\n{SEED_PHONE}\n"}
    return _project(d, _PII.format("data"), **files)


@case("run", 1, expect="data/r.csv  50 rows  NOT READ IN FULL / 未完整读取: row 51")
def run_ragged_csv(d: Path) -> list[str]:
    rows = "\n".join(["id,n", *(f"{i},x" for i in _ids(50)), "1"]) + "\n"
    return _project(d, _PII.format("data/r.csv"), **{"data/r.csv": rows})


@case("run", 1, expect="pii.cn_resident_id ×1")
def run_duplicate_json_key(d: Path) -> list[str]:
    doc = f'{{"id": "{SEED_ID}", "id": "x"}}'
    return _project(d, _PII.format("data/d.json"), **{"data/d.json": doc})


@case("run", 1, expect="data/139****5678.csv  1 rows")
def run_seeded_names_in_every_output(d: Path) -> list[str]:
    files = {
        f"data/{SEED_PHONE}.csv": f"{SEED_NAME} {SEED_PHONE},id\n1,2\n",
        "data/k.json": json.dumps({SEED_EMAIL: {"id": SEED_ID}}),
    }
    args = _project(d, _PII.format("data"), **files)
    return [*args, "--format", "sarif", "--format", "junit", "--format", "markdown"]


@case("run", {0, 1}, forbidden=("<script>", "<img"))
def run_markup_in_project_name(d: Path) -> list[str]:
    toml = '[checklist]\nenabled = false\n[project]\nname = "<script>x</script><img src=y>"\n'
    return [*_project(d, toml), "--format", "markdown"]


@case("config", 2, expect="TOML nested too deeply")
def config_deep_nesting(d: Path) -> list[str]:
    return _project(d, "a = " + "[" * 50_000 + "]" * 50_000 + "\n")


@case("config", 2)
def config_not_utf8(d: Path) -> list[str]:
    _write(d / "p" / "review.toml", "[project]\nname = '客服'\n".encode("gb18030"))
    return ["run", str(d / "p"), "--out", str(d / "out")]


@case("config", 2, expect="more than 4300 digits")
def config_huge_integer(d: Path) -> list[str]:
    return _project(d, "[gate]\nrisk_appetite = " + "9" * 5000 + "\n")


@case("config", 2, expect="is a named pipe (FIFO), not a TOML file")
def config_is_a_fifo(d: Path) -> list[str]:
    _fifo(d / "p" / "review.toml")
    return ["run", str(d / "p"), "--out", str(d / "out")]


@case("config", 2)
def config_random_bytes(d: Path) -> list[str]:
    return _project(d, _random(2000, 9).decode("latin-1"))


@case("run", 2, expect="is a file; --out names a directory")
def run_out_is_a_file(d: Path) -> list[str]:
    _write(d / "out", "x")
    return _project(d, "[checklist]\nenabled = false\n")


@case("baseline", 2)
def baseline_fifo(d: Path) -> list[str]:
    _fifo(d / "b.json")
    return [*_project(d, "[checklist]\nenabled = false\n"), "--baseline", str(d / "b.json")]


@case("baseline", 2, expect="duplicate key 'schema'")
def baseline_duplicate_keys(d: Path) -> list[str]:
    _write(d / "b.json", '{"schema": "review.baseline/1", "schema": "x", "entries": []}')
    return [*_project(d, "[checklist]\nenabled = false\n"), "--baseline", str(d / "b.json")]


@case("baseline", 2, expect="JSON nested too deeply")
def baseline_deep(d: Path) -> list[str]:
    _write(d / "b.json", "[" * 100_000 + "]" * 100_000)
    return [*_project(d, "[checklist]\nenabled = false\n"), "--baseline", str(d / "b.json")]


@case("baseline", 2)
def baseline_dev_zero(d: Path) -> list[str]:
    return [*_project(d, "[checklist]\nenabled = false\n"), "--baseline", "/dev/zero"]


# ---------------------------------------------------------------- answers YAML


def _answers(d: Path, text: str | bytes) -> list[str]:
    return ["checklist", "validate", str(_write(d / "answers.yaml", text))]


@case("answers", 2, expect="not a finite number (.nan and .inf are not accepted)")
def answers_nan(d: Path) -> list[str]:
    return _answers(d, "answers:\n  pipl.pia:\n    status: yes\n    measured: {x: .nan}\n")


@case("answers", 2, expect="not a finite number (.nan and .inf are not accepted)")
def answers_inf_measured(d: Path) -> list[str]:
    return _answers(d, "answers:\n  pipl.pia:\n    status: yes\n    measured: {x: .inf}\n")


@case("answers", 2, expect="binary values (!!binary) are not accepted")
def answers_binary(d: Path) -> list[str]:
    return _answers(d, "answers:\n  pipl.pia:\n    status: !!binary aGVsbG8=\n")


@case("answers", 2, expect="duplicate key 'pipl.pia'")
def answers_duplicate_key(d: Path) -> list[str]:
    return _answers(d, "answers:\n  pipl.pia: {status: yes}\n  pipl.pia: {status: no}\n")


@case("answers", 2, expect="(a YAML bomb)")
def answers_billion_laughs(d: Path) -> list[str]:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return _answers(d, "\n".join(lines) + "\n")


@case("answers", 2, expect="YAML nested too deeply")
def answers_deep_nesting(d: Path) -> list[str]:
    return _answers(d, "answers: " + "[" * 100_000 + "]" * 100_000 + "\n")


@case("answers", 2)
def answers_fifo(d: Path) -> list[str]:
    return ["checklist", "validate", str(_fifo(d / "answers.yaml"))]


@case("answers", 2, expect="more than 4300 digits")
def answers_huge_integer(d: Path) -> list[str]:
    return _answers(
        d, "answers:\n  pipl.pia:\n    status: yes\n    measured: {x: " + "9" * 5000 + "}\n"
    )


@case("answers", 2)
def answers_not_utf8(d: Path) -> list[str]:
    return _answers(d, f"answers:\n  pipl.pia:\n    note: {SEED_NAME}\n".encode("gb18030"))


@case("answers", 2, expect="recursive")
def answers_recursive_alias(d: Path) -> list[str]:
    return _answers(d, "a: &a [*a]\n")


# ---------------------------------------------------------------- review.json, reports


def _render(d: Path, data: bytes | str) -> list[str]:
    path = _write(d / "review.json", data)
    return ["report", "render", str(path), "--out", str(d / "out" / "report.pdf")]


@case("review.json", 2)
def review_json_dev_zero(d: Path) -> list[str]:
    return ["report", "render", "/dev/zero", "--out", str(d / "report.pdf")]


@case("review.json", 2, expect="JSON nested too deeply")
def review_json_deep(d: Path) -> list[str]:
    return _render(d, "[" * 100_000 + "]" * 100_000)


@case("review.json", 2, expect="duplicate key 'schema'")
def review_json_duplicate_keys(d: Path) -> list[str]:
    return _render(d, '{"schema": "review/2", "schema": "review/2"}')


@case("review.json", 2)
def review_json_random(d: Path) -> list[str]:
    return _render(d, _random(3000, 13))


@case("review.json", 2)
def review_json_huge_integer(d: Path) -> list[str]:
    return _render(d, '{"schema": "review/2", "n": ' + "1" * 5000 + "}")


@case("review.json", 2)
def review_json_fifo(d: Path) -> list[str]:
    return ["report", "render", str(_fifo(d / "review.json"))]


@case("pdf", 2, expect="/dev/zero: is a character device, not a report PDF")
def verify_dev_zero(d: Path) -> list[str]:
    return ["verify", "/dev/zero"]


@case("pdf", 2)
def verify_fifo(d: Path) -> list[str]:
    return ["verify", str(_fifo(d / "r.pdf"))]


@case("pdf", 2)
def verify_random(d: Path) -> list[str]:
    return ["verify", str(_write(d / "r.pdf", _random(4000, 17)))]


@case("pdf", {1, 2})
def verify_pdf_header_and_garbage(d: Path) -> list[str]:
    return ["verify", str(_write(d / "g.pdf", b"%PDF-1.7\n" + _random(4000, 19)))]


@case("trust", 2, expect="ca.pem: is a named pipe (FIFO), not a certificate")
def verify_trust_fifo(d: Path) -> list[str]:
    pdf = _write(d / "g.pdf", b"%PDF-1.7\n%%EOF\n")
    return ["verify", str(pdf), "--trust", str(_fifo(d / "ca.pem"))]


@case("trust", 2)
def verify_trust_random(d: Path) -> list[str]:
    pdf = _write(d / "g.pdf", b"%PDF-1.7\n%%EOF\n")
    return ["verify", str(pdf), "--trust", str(_write(d / "ca.pem", _random(900, 23)))]


@case("pkcs12", 2, expect="k.p12: is a named pipe (FIFO)")
def render_sign_with_fifo(d: Path) -> list[str]:
    # A valid review.json, so that the command reaches the signing key.
    return [*_render(d, build_sample().review.to_json()), "--sign", str(_fifo(d / "k.p12"))]


@case("pkcs12", 2, expect="not a PKCS#12 file")
def signoff_with_dev_zero_key(d: Path) -> list[str]:
    pdf = _write(d / "r.pdf", b"%PDF-1.7\n")
    return [
        "signoff", str(pdf), "--reviewer", "x", "--decision", "approve",
        "--key", "/dev/zero",
    ]  # fmt: skip


# demo-cert encrypts the key store it writes: the password comes from the environment
@case("cert", 2, expect="1 to 64 characters", env={"REVIEW_SIGNING_PASSWORD": "not-secret"})
def demo_cert_long_name(d: Path) -> list[str]:
    return ["report", "demo-cert", str(d / "k.p12"), "--name", "名" * 200]


@case("cert", 2)
def demo_cert_out_is_a_directory(d: Path) -> list[str]:
    (d / "outdir").mkdir()
    return ["report", "demo-cert", str(d / "outdir"), "--name", "demo"]


# ---------------------------------------------------------------- desensitisation


_DES = """[checklist]
enabled = false
[[desensitisation.datasets]]
masked = "masked.csv"
raw = "raw.csv"
[desensitisation.datasets.columns]
phone = {{ action = "{action}", role = "direct" }}
"""


def _des_files(d: Path, masked: str | bytes = "phone\nabc\n") -> None:
    _write(d / "raw.csv", f"phone\n{SEED_PHONE}\n")
    if not (d / "masked.csv").exists():
        _write(d / "masked.csv", masked)


@case("desensitise", 1, expect="col[139****5678]")
def desensitise_masked_header_holds_seed(d: Path) -> list[str]:
    _write(d / "masked.csv", f"{SEED_PHONE}\nabc\n")
    _write(d / "raw.csv", "x\n1\n")
    return ["desensitise", "check", str(d / "masked.csv"), "--raw", str(d / "raw.csv")]


@case("desensitise", 2, expect="row 2: 2 fields but the header has 1")
def desensitise_masked_ragged(d: Path) -> list[str]:
    _des_files(d, f"phone\n1\n2,{SEED_PHONE}\n")
    return ["desensitise", "check", str(d / "masked.csv")]


@case("desensitise", 2)
def desensitise_masked_fifo(d: Path) -> list[str]:
    return ["desensitise", "check", str(_fifo(d / "m.csv"))]


@case("desensitise", 2)
def desensitise_raw_dev_zero(d: Path) -> list[str]:
    _des_files(d)
    return ["desensitise", "check", str(d / "masked.csv"), "--raw", "/dev/zero"]


@case("desensitise", 0)
def desensitise_suggest_masks_names(d: Path) -> list[str]:
    _write(d / "raw.csv", f"{SEED_NAME} {SEED_PHONE},{SEED_EMAIL}\n1,2\n")
    return ["desensitise", "suggest", str(d / "raw.csv")]


@case("desensitise", 2)
def desensitise_suggest_xlsx_not_a_zip(d: Path) -> list[str]:
    return ["desensitise", "suggest", str(_write(d / "raw.xlsx", _random(3000, 29)))]


@case("key file", 2, expect="k.key: is a named pipe (FIFO), not a key file")
def desensitise_key_file_fifo(d: Path) -> list[str]:
    _des_files(d)
    _write(d / "review.toml", _DES.format(action="pseudonymise"))
    return [
        "desensitise", "apply", str(d / "raw.csv"), "--out", str(d / "o.csv"),
        "--config", str(d / "review.toml"), "--key-file", str(_fifo(d / "k.key")),
    ]  # fmt: skip


@case("key file", 2)
def desensitise_key_file_dev_zero(d: Path) -> list[str]:
    _des_files(d)
    _write(d / "review.toml", _DES.format(action="pseudonymise"))
    return [
        "desensitise", "apply", str(d / "raw.csv"), "--out", str(d / "o.csv"),
        "--config", str(d / "review.toml"), "--key-file", "/dev/zero",
    ]  # fmt: skip


@case("desensitise", 2)
def desensitise_apply_out_is_a_directory(d: Path) -> list[str]:
    _des_files(d)
    _write(d / "review.toml", _DES.format(action="drop"))
    (d / "o.csv").mkdir()
    return [
        "desensitise", "apply", str(d / "raw.csv"), "--out", str(d / "o.csv"),
        "--config", str(d / "review.toml"),
    ]  # fmt: skip


# ---------------------------------------------------------------- lock files, SBOMs


def _licenses(d: Path) -> list[str]:
    # The outbound license is given so the scan reaches the hostile input.
    return ["licenses", "scan", "--project", str(d), "--license", "MIT"]


@case("lockfile", 2, expect="package-lock.json: is a named pipe (FIFO)")
def lockfile_fifo(d: Path) -> list[str]:
    return [
        *_licenses(d),
        "--lockfile",
        str(_fifo(d / "package-lock.json")),
    ]


@case("lockfile", 2, expect="JSON nested too deeply")
def lockfile_deep(d: Path) -> list[str]:
    lock = _write(d / "package-lock.json", '{"packages":' * 50_000 + "{}" + "}" * 50_000)
    return [*_licenses(d), "--lockfile", str(lock)]


@case("lockfile", 2, expect="poetry.lock")
def lockfile_random(d: Path) -> list[str]:
    lock = _write(d / "poetry.lock", _random(3000, 31))
    return [*_licenses(d), "--lockfile", str(lock)]


@case("sbom", 2, expect="is a character device")
def sbom_dev_zero(d: Path) -> list[str]:
    _link(d / "bom.json", "/dev/zero")
    return [*_licenses(d), "--sbom", str(d / "bom.json")]


@case("sbom", 2, expect="unsafe XML refused")
def sbom_xml_entity_expansion(d: Path) -> list[str]:
    xml = (
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component type="library">'
        "<name>&c;</name><version>1</version></component></components></bom>"
    )
    sbom = _write(d / "bom.xml", xml)
    return [*_licenses(d), "--sbom", str(sbom)]


@case("sbom", 2, expect="is not a valid ComponentType")
def sbom_cyclonedx_seed_in_a_checked_field(d: Path) -> list[str]:
    # The library's message quotes the value it refuses: the boundary leaves it out.
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "components": [{"type": f"{SEED_EMAIL} {SEED_PHONE}", "name": "a"}],
    }
    return [*_licenses(d), "--sbom", str(_write(d / "bom.json", json.dumps(doc)))]


@case("sbom", 2, expect="not a valid SPDX document")
def sbom_spdx_seed_in_a_wrong_type(d: Path) -> list[str]:
    package = {
        "SPDXID": "SPDXRef-a",
        "name": "a",
        "downloadLocation": "NONE",
        "supplier": f"Person: {SEED_NAME} ({SEED_EMAIL})",
        "licenseConcluded": [f"MIT {SEED_ID}"],
    }
    doc = {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "x",
        "dataLicense": "CC0-1.0",
        "documentNamespace": "https://example.org/x",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: x"]},
        "packages": [package],
    }
    return [*_licenses(d), "--sbom", str(_write(d / "bom.spdx.json", json.dumps(doc)))]


@case("run", {0, 1})  # a phone number alone is below the default fail_on (high)
def run_file_name_not_utf8_with_sarif(d: Path) -> list[str]:
    name = os.fsdecode(b"data/\xff\xfe_" + SEED_PHONE.encode() + b".csv")
    args = _project(d, _PII.format("data"), **{name: f"phone\n{SEED_PHONE}\n"})
    return [*args, "--format", "sarif", "--format", "junit"]


@case("run", 1, expect="masked.csv  -  NOT READ IN FULL")
def run_desensitised_dataset_is_a_fifo(d: Path) -> list[str]:
    _fifo(d / "p" / "masked.csv")
    _write(d / "p" / "raw.csv", f"phone\n{SEED_PHONE}\n")
    return _project(d, _DES.format(action="drop"))
