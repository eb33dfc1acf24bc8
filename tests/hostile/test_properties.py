"""Property-based tests of every reader: random bytes, truncations and mutations of valid
files either read or fail with an InputError that names the file and quotes no value.

Examples are few (``max_examples``) so the suite stays fast; Hypothesis keeps finding
different ones from run to run.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.core.documents import parse_json, parse_toml, parse_yaml
from review.core.errors import InputError
from review.scanners.datafiles import NameGuard, open_dataset
from review.scanners.licenses.sources.registry import build, lockfile_kind, sbom_kind
from tests.hostile.corpus import SEED_EMAIL, SEED_ID, SEED_PHONE

EXAMPLES = settings(
    max_examples=int(os.environ.get("REVIEW_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _csv() -> bytes:
    return f"phone,id\n{SEED_PHONE},{SEED_ID}\n{SEED_EMAIL},x\n".encode()


def _json() -> bytes:
    return json.dumps([{"phone": SEED_PHONE, "n": {"id": SEED_ID}}, [SEED_EMAIL]]).encode()


def _jsonl() -> bytes:
    return (json.dumps({"phone": SEED_PHONE}) + "\n" + json.dumps({SEED_EMAIL: 1}) + "\n").encode()


def _parquet() -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"phone": [SEED_PHONE] * 3, "id": [SEED_ID] * 3}), buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["phone", "id"])
    book.active.append([int(SEED_PHONE), SEED_ID])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text() -> bytes:
    return f"客户手机号{SEED_PHONE}，邮箱 {SEED_EMAIL}\n".encode("gb18030")


VALID: dict[str, Callable[[], bytes]] = {
    ".csv": _csv,
    ".tsv": lambda: _csv().replace(b",", b"\t"),
    ".json": _json,
    ".jsonl": _jsonl,
    ".parquet": _parquet,
    ".xlsx": _xlsx,
    ".txt": _text,
}


@cache
def valid(suffix: str) -> bytes:
    """One valid file per format, made once: a strategy must not depend on the clock
    (xlsx files record when they were written)."""
    return VALID[suffix]()


def _read_all(path: Path) -> None:
    """Open and read a file to the end, as a scan does (names screened)."""
    guard = NameGuard(lambda text: [])
    try:
        dataset = open_dataset(path, names=guard)
        _ = dataset.columns
        rows = dataset.iter_lines() if dataset.kind == "text" else dataset.iter_rows()
        for _ in rows:
            pass
    except InputError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message
        for seed in (SEED_PHONE, SEED_ID, SEED_EMAIL):
            assert seed not in message.replace(str(path), ""), message


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` (a valid file), cut short or with bytes changed, inserted or deleted."""
    data = bytearray(base)
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if kind == "truncate":
        return bytes(data[:at])
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            spot = draw(st.integers(0, len(data) - 1))
            data[spot] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "insert":
        return bytes(data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:])
    return bytes(data[:at] + data[at + draw(st.integers(1, 64)) :])


@pytest.mark.parametrize("suffix", sorted(VALID))
def test_valid_base_files_read(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"valid{suffix}"
    path.write_bytes(valid(suffix))
    dataset = open_dataset(path)
    rows = list(dataset.iter_lines() if dataset.kind == "text" else dataset.iter_rows())
    assert rows


@pytest.mark.parametrize("suffix", sorted(VALID))
def test_random_bytes_read_or_fail_cleanly(suffix: str, tmp_path: Path) -> None:
    @EXAMPLES
    @given(data=st.binary(max_size=4096))
    def check(data: bytes) -> None:
        path = tmp_path / f"random{suffix}"
        path.write_bytes(data)
        _read_all(path)

    check()


@pytest.mark.parametrize("suffix", sorted(VALID))
def test_mutations_of_valid_files_read_or_fail_cleanly(suffix: str, tmp_path: Path) -> None:
    @EXAMPLES
    @given(data=mutated(valid(suffix)))
    def check(data: bytes) -> None:
        path = tmp_path / f"mutated{suffix}"
        path.write_bytes(data)
        _read_all(path)

    check()


_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="[]{}\"':,-=.\n 0123456789abc&*!|>", max_size=300),
)


@pytest.mark.parametrize(
    "parse", [parse_json, parse_yaml, parse_toml], ids=["json", "yaml", "toml"]
)
def test_documents_parse_or_fail_cleanly(parse: Callable[..., object]) -> None:
    @EXAMPLES
    @given(text=_TEXT)
    def check(text: str) -> None:
        try:
            parse(text, "doc")
        except InputError as exc:
            assert str(exc).startswith("doc: ")

    check()


def test_documents_refuse_what_no_reader_should_take() -> None:
    deep = "[" * 10_000 + "]" * 10_000
    for text, parse in [
        (deep, parse_json),
        (deep, parse_yaml),
        ("a = " + deep, parse_toml),
        ('{"a": 1, "a": 2}', parse_json),
        ("a: 1\na: 2\n", parse_yaml),
        ("x: .nan\n", parse_yaml),
        ("x: !!binary aGk=\n", parse_yaml),
        ("[" + "9" * 5000 + "]", parse_json),
    ]:
        with pytest.raises(InputError):
            parse(text, "doc")


LICENSE_DATA = Path(__file__).parent.parent / "licenses" / "data"
DEPENDENCY_FILES = {
    "package-lock.json": LICENSE_DATA / "npm-demo" / "package-lock.json",
    "bom.cdx.json": LICENSE_DATA / "npm-demo" / "bom.cdx.json",
    "bom.spdx.json": LICENSE_DATA / "npm-demo" / "bom.spdx.json",
    "poetry.lock": LICENSE_DATA / "py-demo" / "poetry.lock",
    "uv.lock": LICENSE_DATA / "py-demo" / "uv.lock",
    "pyproject.toml": LICENSE_DATA / "py-demo" / "pyproject.toml",
}


def _read_dependencies(path: Path, sbom: bool) -> None:
    """Read a lock file or SBOM as ``licenses scan`` does: its packages and cycles."""
    try:
        source = build(sbom_kind(path) if sbom else lockfile_kind(path), path, None, path.name)
        source.collect()
        source.dependency_cycles()
    except InputError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        assert "\n" not in str(exc)


@pytest.mark.parametrize("name", sorted(DEPENDENCY_FILES))
def test_lock_files_and_sboms_read_or_fail_cleanly(name: str, tmp_path: Path) -> None:
    base = DEPENDENCY_FILES[name].read_bytes()
    sbom = name.startswith("bom.")
    path = tmp_path / name
    path.write_bytes(base)
    kind = sbom_kind(path) if sbom else lockfile_kind(path)
    assert build(kind, path, None, name).collect()  # the valid file itself reads

    @EXAMPLES
    @given(data=st.one_of(mutated(base), st.binary(max_size=2048)))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        _read_dependencies(path, sbom)

    check()
