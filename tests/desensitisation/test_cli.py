"""``review desensitise`` and the stage, on the demo project and on tmp files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from faker import Faker

from review.cli.main import cli
from review.config import load_config
from review.pipeline import STAGES, run_review
from review.scanners.desensitisation.details import DesensitisationResult
from review.scanners.desensitisation.stage import DesensitisationStage
from review.scanners.desensitisation.suggest import suggest_policy
from review.scanners.desensitisation.table import Table

DIRECT = ["姓名", "身份证号", "手机号", "email", "bank_card", "address"]


def _raw_values(demo: Path) -> set[str]:
    with (demo / "data" / "customers_raw.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {row[c] for row in rows for c in DIRECT if len(row[c]) >= 2}


def _check(runner: CliRunner, demo: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        cli,
        ["desensitise", "check", str(demo / "data" / "customers_masked.csv"), *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.output


def test_stage_is_registered() -> None:
    assert isinstance(STAGES["desensitisation"], DesensitisationStage)


def test_demo_shows_each_planted_defect_and_nothing_else(
    runner: CliRunner, demo_project: Path
) -> None:
    config = str(demo_project / "review.toml")
    code, out = _check(runner, demo_project, "--config", config, "--format", "json")
    assert code == 1
    document = json.loads(out)
    found = {
        (f["rule_id"], f["location"].get("column"))
        for f in document["findings"]
        if f["rule_id"] != "desensitisation.verdict"
    }
    planted = {
        ("desensitisation.raw_leak", "email"),  # e-mail left raw
        ("desensitisation.over_revealing_mask", "身份证号"),  # ID mask keeps birth date
        ("desensitisation.reversible_token", "手机号"),  # unsalted SHA-256 phone hash
        ("desensitisation.k_anonymity", None),  # the k = 1 record
        ("desensitisation.raw_leak", "notes"),  # phone in a free-text note
    }
    assert planted <= found
    flagged_columns = {column for _, column in found}
    for clean in ("姓名", "bank_card", "address", "postcode"):
        assert clean not in flagged_columns
    (dataset,) = document["datasets"]
    assert dataset["k"] == 1
    assert dataset["level"] == "identifiable"
    assert dataset["linkage_rate"] == pytest.approx(1 / 121, abs=1e-6)
    k_finding = next(f for f in document["findings"] if f["rule_id"].endswith("k_anonymity"))
    assert k_finding["location"]["row"] == 121


def test_table_output_and_no_raw_value_anywhere(runner: CliRunner, demo_project: Path) -> None:
    raw_values = _raw_values(demo_project)
    outputs = []
    for fmt in ("table", "json"):
        code, out = _check(
            runner, demo_project, "--config", str(demo_project / "review.toml"), "--format", fmt
        )
        assert code == 1
        outputs.append(out)
    loaded = load_config(demo_project)
    review = run_review(loaded)
    outputs.append(review.to_json())
    for text in outputs:
        leaked = sorted(v for v in raw_values if v in text)
        assert leaked == [], f"{len(leaked)} raw values leaked"


def test_check_without_config_still_finds_hash_and_risk_free(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "m.csv"
    data.write_text(
        "phone,age\n" + "".join(f"{'ab' * 32},30-39\n" for _ in range(3)), encoding="utf-8"
    )
    result = runner.invoke(cli, ["desensitise", "check", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["datasets"][0]["level"] == "de-identified"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("a,b\n", "no data rows"),
    ],
)
def test_bad_input_is_a_clear_error(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    data = tmp_path / "m.csv"
    data.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["desensitise", "check", str(data)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_file_and_mismatched_raw(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["desensitise", "check", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "no such file" in result.output
    masked = tmp_path / "m.csv"
    raw = tmp_path / "r.csv"
    masked.write_text("k,v\n1,a\n2,b\n", encoding="utf-8")
    raw.write_text("k,v\n1,a\n", encoding="utf-8")
    result = runner.invoke(cli, ["desensitise", "check", str(masked), "--raw", str(raw)])
    assert result.exit_code == 2 and "has 2 rows but the raw file" in result.output
    result = runner.invoke(
        cli, ["desensitise", "check", str(masked), "--raw", str(raw), "--key", "id"]
    )
    assert result.exit_code == 2 and "key column 'id' not found" in result.output


def _write_raw(path: Path, rows: int) -> list[dict[str, str]]:
    fake = Faker("zh_CN")
    fake.seed_instance(11)
    records = []
    for i in range(rows):
        records.append(
            {
                "id": f"R{i:03d}",
                "name": fake.name(),
                "id_no": fake.ssn(),
                "phone": fake.phone_number(),
                "gender": "男" if i % 2 else "女",
                "age": str(30 + i % 3),
            }
        )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return records


APPLY_CONFIG = """
[[desensitisation.datasets]]
masked = "masked.csv"
raw = "raw.csv"
key = "id"
[desensitisation.datasets.columns]
id = { action = "keep" }
name = { action = "mask", role = "direct", shape = "1*" }
id_no = { action = "mask", role = "direct", shape = "6*4" }
phone = { action = "pseudonymise", role = "direct" }
gender = { action = "keep", role = "quasi" }
age = { action = "generalise", role = "quasi", rule = "age-band:10" }
[desensitisation.datasets.thresholds]
k = 2
l = 1
"""


def test_apply_then_verify_own_output(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _write_raw(tmp_path / "raw.csv", 12)
    (tmp_path / "review.toml").write_text(APPLY_CONFIG, encoding="utf-8")
    key = "canary-secret-key-0123456789"
    monkeypatch.setenv("REVIEW_PSEUDONYM_KEY", key)
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "raw.csv").read_bytes()
    result = runner.invoke(
        cli, ["desensitise", "apply", "raw.csv", "--out", "masked.csv", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "raw.csv").read_bytes() == before
    written = (tmp_path / "masked.csv").read_text(encoding="utf-8")
    document = json.loads(result.output)
    assert document["datasets"][0]["level"] == "de-identified"
    assert document["datasets"][0]["k"] == 6
    for text in (written, result.output):
        assert key not in text
        for record in records:
            for column in ("name", "id_no", "phone"):
                assert record[column] not in text
    # Same raw value, same pseudonym: rerunning gives the same file.
    again = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "masked2.csv"])
    assert again.exit_code == 0
    assert (tmp_path / "masked2.csv").read_text(encoding="utf-8") == written
    # And the check command agrees with apply's own verification.
    check = runner.invoke(cli, ["desensitise", "check", "masked.csv"])
    assert check.exit_code == 0, check.output


def test_apply_refuses_to_overwrite_input_and_needs_key(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_raw(tmp_path / "raw.csv", 4)
    (tmp_path / "review.toml").write_text(APPLY_CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEW_PSEUDONYM_KEY", raising=False)
    result = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "raw.csv"])
    assert result.exit_code == 2 and "refusing to overwrite" in result.output
    result = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "m.csv"])
    assert result.exit_code == 2 and "REVIEW_PSEUDONYM_KEY" in result.output
    key_file = tmp_path / "key.txt"
    key_file.write_text("x" * 32, encoding="utf-8")
    result = runner.invoke(
        cli, ["desensitise", "apply", "raw.csv", "--out", "m.csv", "--key-file", str(key_file)]
    )
    assert result.exit_code == 0, result.output


def test_suggest_policy(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_raw(tmp_path / "raw.csv", 6)
    result = runner.invoke(
        cli, ["desensitise", "suggest", str(tmp_path / "raw.csv"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    columns = json.loads(result.output)["columns"]
    assert columns["age"] == {"action": "generalise", "role": "quasi", "hierarchy": "age"}
    assert columns["gender"] == {"action": "generalise", "role": "quasi", "hierarchy": "suppress"}
    assert columns["id_no"] == {
        "action": "mask",
        "role": "direct",
        "shape": "6*4",
        "entity": "CN_RESIDENT_ID",
    }
    assert columns["name"]["shape"] == "1*"
    # The TOML is a whole dataset entry that loads, and apply runs with it as it is.
    monkeypatch.chdir(tmp_path)
    toml = runner.invoke(cli, ["desensitise", "suggest", "raw.csv"])
    assert toml.output.startswith("[[desensitisation.datasets]]\n")
    (tmp_path / "review.toml").write_text(toml.output, encoding="utf-8")
    loaded = load_config(tmp_path)
    (dataset,) = loaded.config.desensitisation.datasets
    assert dataset.masked == tmp_path / "raw_masked.csv"
    (tmp_path / "review.toml").write_text(
        toml.output + "[desensitisation.datasets.thresholds]\nk = 2\nl = 1\n", encoding="utf-8"
    )
    applied = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "raw_masked.csv"])
    assert applied.exit_code in (0, 1), applied.output


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("education", "quasi"), ("marital-status", "quasi"), ("occupation", "quasi"),
        ("race", "quasi"), ("native-country", "quasi"), ("postcode", "quasi"), ("job", "quasi"),
        ("employer", "quasi"), ("学历", "quasi"), ("婚姻状况", "quasi"), ("职业", "quasi"),
        ("民族", "quasi"), ("国籍", "quasi"), ("邮编", "quasi"), ("工作单位", "quasi"),
        ("salary-class", "sensitive"), ("诊断", "sensitive"), ("notes", "other"),
    ],
)  # fmt: skip
def test_suggest_knows_quasi_identifiers_by_header(header: str, role: str) -> None:
    table = Table.from_rows("raw.csv", [(1, {header: "x"})], [header])
    assert suggest_policy(table, {})[header].role == role


def test_residual_identifiers_found_by_the_pii_scan_in_gb18030(
    runner: CliRunner, tmp_path: Path
) -> None:
    phone, email = "13912345678", "zhang.san@example.com"
    masked = tmp_path / "m.csv"
    masked.write_bytes(
        (
            "联系人,邮箱,备注\n"
            "张*,z***@example.com,客户咨询退款进度\n"
            f"李*,{email},客户来电，手机号{phone}，要求回拨\n"
        ).encode("gb18030")
    )
    config = tmp_path / "review.toml"
    config.write_text(
        '[[desensitisation.datasets]]\nmasked = "m.csv"\n'
        "[desensitisation.datasets.columns]\n"
        '"联系人" = { action = "mask", role = "direct", shape = "1*" }\n'
        '"邮箱" = { action = "mask", role = "direct", shape = "1*@" }\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["desensitise", "check", str(masked), "--config", str(config), "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    found = {(f["rule_id"], f["location"].get("column")) for f in document["findings"]}
    assert ("desensitisation.residual_identifier", "备注") in found
    assert ("desensitisation.unmasked", "邮箱") in found
    assert not any(column == "联系人" for _, column in found)
    assert phone not in result.output and email not in result.output


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (None, "客户来电，手机号<CN_MOBILE_PHONE>，要求回拨"),
        ('"type"', "客户来电，手机号<CN_MOBILE_PHONE>，要求回拨"),
        ('"mask"', "客户来电，手机号139****5678，要求回拨"),
    ],
)
def test_apply_redacts_free_text(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    replace: str | None,
    expected: str,
) -> None:
    phone = "13912345678"
    (tmp_path / "raw.csv").write_text(
        f"k,note\n1,客户来电，手机号{phone}，要求回拨\n2,客户咨询退款进度\n", encoding="utf-8"
    )
    option = f", replace = {replace}" if replace else ""
    (tmp_path / "review.toml").write_text(
        '[[desensitisation.datasets]]\nmasked = "out.jsonl"\nraw = "raw.csv"\n'
        "[desensitisation.datasets.columns]\n"
        'k = { action = "keep" }\n'
        f'note = {{ action = "redact", role = "other"{option} }}\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "out.jsonl"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"k": "1", "note": expected}
    assert json.loads(lines[1]) == {"k": "2", "note": "客户咨询退款进度"}
    assert phone not in result.output


def test_apply_redacts_with_typed_pseudonyms_and_keeps_keep_columns(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = "13912345678"
    (tmp_path / "raw.csv").write_text(
        "session,note\n"
        f"S20250001,请回拨 {phone}\n"
        f"S20250002,号码 {phone} 已停机\n"
        "S20250003,客户咨询退款进度\n",
        encoding="utf-8",
    )
    (tmp_path / "review.toml").write_text(
        '[[desensitisation.datasets]]\nmasked = "out.csv"\nraw = "raw.csv"\nkey = "session"\n'
        "[desensitisation.datasets.columns]\n"
        'session = { action = "keep" }\n'
        'note = { action = "redact", replace = "pseudonym" }\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REVIEW_PSEUDONYM_KEY", "k" * 32)
    result = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "out.csv"])
    assert result.exit_code == 0, result.output
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # The join key is released exactly as it was; the same phone, the same pseudonym.
    assert [r["session"] for r in rows] == ["S20250001", "S20250002", "S20250003"]
    first = rows[0]["note"].removeprefix("请回拨 ")
    assert first.startswith("<CN_MOBILE_PHONE_") and first.endswith(">")
    assert rows[1]["note"] == f"号码 {first} 已停机"
    check = runner.invoke(cli, ["desensitise", "check", "out.csv", "--format", "json"])
    assert check.exit_code == 0, check.output


CONTRACT_KEYS = {
    "masked",
    "raw",
    "rows",
    "level",
    "quasi_identifiers",
    "sensitive",
    "k",
    "l_distinct",
    "l_entropy",
    "t",
    "unique_share",
    "prosecutor",
    "journalist",
    "marketer",
    "linkage_rate",
    "checks",
}


def test_stage_details_follow_the_contract(demo_project: Path) -> None:
    review = run_review(load_config(demo_project))
    stage = review.result(DesensitisationResult)
    assert stage is not None
    (record,) = stage.details.datasets
    dataset = record.model_dump(mode="json")
    assert set(dataset) >= CONTRACT_KEYS
    assert dataset["masked"] == "data/customers_masked.csv"
    assert dataset["quasi_identifiers"] == ["address", "age", "city", "gender"]
    assert set(dataset["prosecutor"]) == {"highest", "average", "records_at_risk"}
    assert stage.inputs == ("data/customers_masked.csv", "data/customers_raw.csv")
    assert stage.summary is not None and "identifiable" in stage.summary.en


def test_nested_jsonl_masked_file(runner: CliRunner, tmp_path: Path) -> None:
    masked = tmp_path / "m.jsonl"
    records = [
        {"user": {"name": "张*", "contact": {"phone": "138****5678"}}, "age": "30-39"},
        {"user": {"name": "王*", "contact": {"phone": "13912345678"}}, "age": "30-39"},
    ]
    masked.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    config = tmp_path / "review.toml"
    config.write_text(
        '[[desensitisation.datasets]]\nmasked = "m.jsonl"\n'
        "[desensitisation.datasets.columns]\n"
        '"user.name" = { action = "mask", role = "direct", shape = "1*" }\n'
        '"user.contact.phone" = { action = "mask", role = "direct", shape = "3*4" }\n'
        'age = { action = "generalise", role = "quasi", rule = "age-band:10" }\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["desensitise", "check", str(masked), "--config", str(config), "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    found = {
        (f["rule_id"], f["location"].get("column"), f["location"].get("row"))
        for f in document["findings"]
        if f["rule_id"] != "desensitisation.verdict"
    }
    # Default thresholds ask for k = 5; both records share one class of 2.
    assert found == {
        ("desensitisation.unmasked", "user.contact.phone", 2),
        ("desensitisation.k_anonymity", None, 1),
    }
    assert document["datasets"][0]["k"] == 2
    assert "13912345678" not in result.output


def _risky(path: Path) -> None:
    # 12 records: classes of 3 on (age, sex); the 40-49 women all have the same diagnosis.
    rows = ["age,sex,postcode,diagnosis"]
    for i in range(12):
        age = "30-39" if i < 6 else "40-49"
        sex = "M" if i % 2 else "F"
        diagnosis = "flu" if (age == "40-49" and sex == "F") else ["flu", "cold", "hiv"][i % 3]
        rows.append(f"{age},{sex},1000{i % 2},{diagnosis}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_one_off_check_with_qi_and_sa_flags_explains_like_a_dpo(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "m.csv"
    _risky(data)
    base = ["desensitise", "check", str(data)]
    silent = runner.invoke(cli, base)
    assert "Re-identification risk was not assessed" in silent.output
    assert "risk_not_assessed" in silent.output
    table = runner.invoke(cli, [*base, "--qi", "age,sex", "--sa", "diagnosis", "--k", "3"])
    assert table.exit_code == 1, table.output
    assert "0.0% of records are unique on age, sex" in table.output
    assert "re-identifies 1 in 3 on average" in table.output
    assert "the least diverse group holds 1 distinct values (l FAILS ≥ 2)" in table.output
    assert "desensitisation.l_diversity" in table.output
    markdown = runner.invoke(
        cli, [*base, "--qi", "age", "--qi", "sex", "--sa", "diagnosis", "--k", "3", "--format",
              "markdown"],
    )  # fmt: skip
    assert "FAIL" in markdown.output and "PASS" not in markdown.output
    assert "l-diversity of 'diagnosis' is 1" in markdown.output
    assert "### Re-identification risk / 重识别风险" in markdown.output
    document = json.loads(
        runner.invoke(
            cli, [*base, "--qi", "age,sex,postcode", "--sa", "diagnosis", "--format", "json"]
        ).output
    )
    (dataset,) = document["datasets"]
    assert dataset["quasi_identifiers"] == ["age", "postcode", "sex"]
    assert dataset["k"] == 3
    assert dataset["summary"][0]["en"].startswith("0.0% of records are unique")


def test_population_flag_gives_journalist_and_marketer_risk(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "m.csv"
    _risky(data)
    result = runner.invoke(
        cli,
        ["desensitise", "check", str(data), "--qi", "age,sex", "--k", "3", "--population",
         "1200", "--format", "json"],
    )  # fmt: skip
    (dataset,) = json.loads(result.output)["datasets"]
    assert dataset["population"] == 1200
    assert dataset["journalist"]["highest"] == pytest.approx(1 / 300, abs=1e-6)
    assert dataset["marketer"]["average"] == pytest.approx(4 * 0.01 / 12, abs=1e-6)
    assert dataset["prosecutor"]["highest"] == pytest.approx(1 / 3)
