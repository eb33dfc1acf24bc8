"""``review pii scan`` and the ``pii`` stage: contract, formats, errors, no raw values out."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from faker import Faker

from review.cli.main import cli
from review.config import load_config
from review.pipeline import STAGES, run_review
from review.scanners.pii.scan import ColumnScanner, scan_paths
from review.scanners.pii.stage import PiiStage, scan_result
from tests import synthetic as syn

HEADER = ["姓名", "身份证号", "手机号", "email", "bank_card", "诊断", "notes"]


def _records(n: int, seed: int = 5) -> list[list[str]]:
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            [
                fake.name(),
                fake.ssn(),
                syn.mobile(rng),
                fake.free_email(),
                syn.bank_card(rng),
                rng.choice(["哮喘", "糖尿病"]),
                f"手机号{syn.mobile(rng)}，请回电" if i % 7 == 0 else "无",
            ]
        )
    return rows


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def _scan_json(runner: CliRunner, *args: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(cli, ["pii", "scan", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def test_json_contract_and_column_classification(runner: CliRunner, tmp_path: Path) -> None:
    rows = _records(60)
    path = tmp_path / "users.csv"
    _write_csv(path, rows, "gb18030")
    code, doc = _scan_json(runner, str(path))
    assert code == 1
    assert doc["schema"] == "review.pii/1"
    columns = {c["column"]: c for c in doc["columns"]}  # type: ignore[attr-defined]
    assert columns["身份证号"]["entity_type"] == "CN_RESIDENT_ID"
    assert columns["身份证号"]["hit_ratio"] == 1.0
    assert columns["手机号"]["entity_type"] == "CN_MOBILE_PHONE"
    assert columns["email"]["entity_type"] == "EMAIL_ADDRESS"
    assert columns["bank_card"]["entity_type"] == "CN_BANK_CARD"
    assert columns["姓名"]["entity_type"] == "PERSON"
    assert columns["诊断"]["sensitive_category"] == "health"
    first = next(f for f in doc["findings"] if f["column"] == "身份证号")  # type: ignore[attr-defined]
    assert set(first) == {"entity_type", "path", "row", "column", "start", "end", "score", "masked"}
    assert first["row"] == 1 and first["start"] == 0 and first["end"] == 18
    assert first["masked"] == rows[0][1][:6] + "********" + rows[0][1][-4:]
    notes = [f for f in doc["findings"] if f["column"] == "notes"]  # type: ignore[attr-defined]
    assert [f["row"] for f in notes] == list(range(1, 61, 7))
    assert all(f["start"] == 3 for f in notes)  # glued to 手机号


def test_canary_no_raw_value_reaches_any_output(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    rows = _records(40, seed=11)
    data = demo_project / "data" / "canary.csv"
    _write_csv(data, rows)
    config = demo_project / "review.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'paths = ["data/customers_raw.csv"',
            'paths = ["data/canary.csv", "data/customers_raw.csv"',
        ),
        encoding="utf-8",
    )
    outputs = []
    for fmt in ("json", "table"):
        result = runner.invoke(cli, ["pii", "scan", "--format", fmt, str(data)])
        outputs.append(result.output)
    run = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "out")])
    outputs.append(run.output)
    outputs.append((tmp_path / "out" / "review.json").read_text(encoding="utf-8"))
    everything = "\n".join(outputs)
    assert '"path": "data/canary.csv"' in outputs[-1]
    for row in rows:
        for value in row[:5]:
            assert value not in everything, "raw value leaked"


def test_demo_run_reports_findings_by_column(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    review = json.loads((tmp_path / "o" / "review.json").read_text(encoding="utf-8"))
    stage = next(s for s in review["stages"] if s["stage"] == "pii")
    details = stage["details"]
    by_column = {(c["path"], c["column"]): c["entity_type"] for c in details["columns"]}
    assert by_column[("data/customers_raw.csv", "身份证号")] == "CN_RESIDENT_ID"
    assert by_column[("data/chat_logs.jsonl", "user.contact.phone")] == "CN_MOBILE_PHONE"
    assert by_column[("data/tickets_gb18030.csv", "内容")] == "CN_RESIDENT_ID"
    assert {"path": "data/tickets_gb18030.csv", "kind": "table", "rows_scanned": 16,
            "encoding": "gb18030", "error": None} in details["files"]  # fmt: skip
    assert details["sensitive_categories"] == ["financial_account", "health", "identity_document"]
    assert details["gdpr_special_categories"] == ["health"]
    assert details["ner"] == {"model": None, "not_covered": ["LOCATION", "NRP", "ORGANIZATION"]}
    rules = {f["rule_id"] for f in stage["findings"]}
    assert {"pii.cn_resident_id", "pii.cn_bank_card", "pii.sensitive.health"} <= rules
    high = [f for f in stage["findings"] if f["rule_id"] == "pii.cn_resident_id"]
    assert all(f["severity"] == "high" for f in high)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("trunc.csv", "a,b\n1,2\n3"),
        ("bad.jsonl", '{"a": 1}\n{"a": \n'),
        ("binary.csv", b"\x00\x01\x02\x03"),
        ("claim.csv", b"\xef\xbb\xbfa\n" + "张三".encode("gb18030")),
    ],
)
def test_malformed_file_exit_2_in_cli_and_error_finding_in_stage(
    runner: CliRunner, demo_project: Path, tmp_path: Path, name: str, content: str | bytes
) -> None:
    path = demo_project / "data" / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    result = runner.invoke(cli, ["pii", "scan", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("review: error: ") and name in result.stderr
    assert "Traceback" not in result.output
    config = demo_project / "review.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('paths = ["', f'paths = ["data/{name}", "'),
        encoding="utf-8",
    )
    review = run_review(load_config(demo_project), stages=["pii"])
    errors = [f for f in review.stages[0].findings if f.rule_id == "pii.unreadable_file"]
    assert len(errors) == 1 and errors[0].location and errors[0].location.path == f"data/{name}"


def test_every_format_through_the_cli(runner: CliRunner, tmp_path: Path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    phone = "13812345678"
    (tmp_path / "a.json").write_text(json.dumps([{"user": {"contact": {"phone": phone}}}]))
    (tmp_path / "b.jsonl").write_text(json.dumps({"items": [{}, {"phone": phone}]}) + "\n")
    (tmp_path / "c.tsv").write_text(f"id\tphone\n1\t{phone}\n")
    (tmp_path / "d.md").write_text(f"# 联系\n\n手机号{phone}，\n")
    pq.write_table(pa.table({"phone": [phone]}), tmp_path / "e.parquet")
    book = openpyxl.Workbook()
    book.active.append(["phone"])
    book.active.append([int(phone)])
    book.save(tmp_path / "f.xlsx")
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    unknown = runner.invoke(cli, ["pii", "scan", str(tmp_path)])
    assert unknown.exit_code == 2 and "skip.bin: unknown format, not read" in unknown.stderr
    code, doc = _scan_json(runner, str(tmp_path), "--exclude", "*.bin")
    assert code == 1
    got = {(f["path"].rsplit("/", 1)[-1], f["row"], f["column"]) for f in doc["findings"]}  # type: ignore[attr-defined]
    assert got == {
        ("a.json", 1, "user.contact.phone"),
        ("b.jsonl", 1, "items[1].phone"),
        ("c.tsv", 1, "phone"),
        ("d.md", 3, None),
        ("e.parquet", 1, "phone"),
        ("f.xlsx", 1, "phone"),
    }


def test_clean_file_exits_0_and_bad_entity_is_usage_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "clean.csv"
    path.write_text("gender,amount\n男,68736.26\n")
    assert runner.invoke(cli, ["pii", "scan", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["pii", "scan", "--entities", "NOPE", str(path)])
    assert result.exit_code == 2 and "NOPE" in result.stderr
    assert runner.invoke(cli, ["pii", "scan", str(tmp_path / "missing.csv")]).exit_code == 2


def test_a_city_alone_is_a_low_location_not_an_address(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_text("city,gender\n上海市,男\n")
    result = runner.invoke(cli, ["pii", "scan", "--format", "json", str(path)])
    assert [c["entity_type"] for c in json.loads(result.stdout)["columns"]] == ["LOCATION"]
    assert result.exit_code == 1  # low reaches the default --fail-on low
    assert runner.invoke(cli, ["pii", "scan", "--fail-on", "medium", str(path)]).exit_code == 0


def test_entities_option_restricts(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    _write_csv(path, _records(10))
    _, doc = _scan_json(runner, "--entities", "EMAIL_ADDRESS,CN_BANK_CARD", str(path))
    assert {f["entity_type"] for f in doc["findings"]} == {"EMAIL_ADDRESS", "CN_BANK_CARD"}  # type: ignore[attr-defined]


def test_column_shortcut_gives_the_same_hits_as_full_analysis(tmp_path: Path) -> None:
    rows = _records(300, seed=3)
    path = tmp_path / "u.csv"
    _write_csv(path, rows)
    fast: list[object] = []
    scan_paths([path], on_hit=fast.append)
    from review.scanners.pii import scan as scan_module

    slow: list[object] = []
    original = ColumnScanner._learn
    try:
        ColumnScanner._learn = lambda self, value, hits: None  # type: ignore[method-assign]
        scan_paths([path], on_hit=slow.append)
    finally:
        ColumnScanner._learn = original  # type: ignore[method-assign]
    assert scan_module.SAMPLE_CELLS < 300
    assert fast == slow


def test_minor_from_resident_id_and_age_column(tmp_path: Path) -> None:
    rng = random.Random(2)
    child = syn.resident_id(rng)
    child = child[:6] + "2020" + child[10:17]
    from review.scanners.pii.validators import resident_id_check_char

    child += resident_id_check_char(child)
    path = tmp_path / "kids.csv"
    path.write_text(f"身份证号,年龄\n{child},9\n")
    report = scan_paths([path])
    minors = {c.column: c.minors for c in report.columns}
    assert minors == {"身份证号": 1, "年龄": 1}
    assert "minor" in report.sensitive_categories


def test_minor_boundary_is_the_fourteenth_birthday(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Today is 2026-06-15: born 2012-06-16 is 13, born 2012-06-15 is 14.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1781481600")
    from review.scanners.pii.validators import resident_id_check_char

    rows = []
    for born in ("20120616", "20120615", "20111231", "20250101"):
        head = "110101" + born + "123"
        rows.append(head + resident_id_check_char(head))
    path = tmp_path / "ids.csv"
    path.write_text("身份证号\n" + "\n".join(rows) + "\n")
    report = scan_paths([path])
    assert [(c.counts, c.minors) for c in report.columns] == [({"CN_RESIDENT_ID": 4}, 2)]


def test_stage_registered_first() -> None:
    assert next(iter(STAGES)) == "pii" and isinstance(STAGES["pii"], PiiStage)


def test_unknown_entity_in_config_is_a_config_error(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    config = demo_project / "review.toml"
    text = config.read_text(encoding="utf-8").replace("[pii]\n", '[pii]\nentities = ["NOPE"]\n')
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "pii.entities: unknown entity NOPE" in result.stderr


def test_directory_walk_honours_include_and_exclude(tmp_path: Path) -> None:
    from review.scanners.pii.scan import iter_data_files

    for name in ("a.csv", "b.jsonl", "sub/c.csv", "sub/skip.csv", ".hidden/d.csv", "e.bin"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_data_files([tmp_path])]
    assert names == ["a.csv", "b.jsonl", "sub/c.csv", "sub/skip.csv"]
    picked = iter_data_files([tmp_path], include=["*.csv"], exclude=["sub/skip.csv"])
    assert [p.relative_to(tmp_path).as_posix() for p in picked] == ["a.csv", "sub/c.csv"]


def test_missing_spacy_model_is_an_input_error_never_a_download(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    config = demo_project / "review.toml"
    text = config.read_text(encoding="utf-8").replace("[pii]\n", '[pii]\nnlp_model = "xx_nope"\n')
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "xx_nope" in result.stderr and "never downloaded" in result.stderr


def test_the_chinese_summary_and_statements_name_categories_and_entities_in_chinese(
    tmp_path: Path,
) -> None:
    path = tmp_path / "users.csv"
    _write_csv(path, _records(30))
    result = scan_result(scan_paths([path]), ("users.csv",))
    summary = result.summary
    assert summary is not None
    assert "identity documents" in summary.en  # labels in English too
    texts = [summary.zh, *(a.justification.zh for a in result.attestations if a.justification)]
    assert len(texts) > 2
    for text in texts:
        for raw in ("health", "identity_document", "financial_account", "LOCATION", "PERSON"):
            assert raw not in text, text
    assert "医疗健康信息" in summary.zh and "身份证件信息" in summary.zh
    assert "未覆盖地名" in summary.zh
