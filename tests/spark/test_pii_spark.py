"""The PII scan on Spark (``local[2]``) gives what the one-process scan gives, and no more."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from review.cli.main import cli
from review.core.config import SampleConfig, SparkConfig
from review.core.models import Finding
from review.scanners.datafiles.spark import parse_source, read, run_partitions
from review.scanners.pii.results import CellHit, ScanReport
from review.scanners.pii.scan import scan_paths
from review.scanners.pii.spark import PiiJob, scan_sources
from review.scanners.pii.stage import scan_result
from tests import people
from tests.conftest import DEMO
from tests.spark.conftest import MASTER

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK = SparkConfig(master=MASTER)


def _both(paths: list[str], base: Path) -> tuple[ScanReport, ScanReport]:
    local = scan_paths([base / p for p in paths], base=base)
    spark, _ = scan_sources(paths, SPARK, base=base)
    return local, spark


def _findings(report: ScanReport) -> list[dict[str, Any]]:
    result = scan_result(report, ())
    return [f.model_dump(mode="json") for f in result.findings]


def _details(report: ScanReport) -> dict[str, Any]:
    return scan_result(report, ()).details.model_dump(mode="json", exclude={"engine"})


def assert_same(local: ScanReport, spark: ScanReport) -> None:
    assert _findings(spark) == _findings(local)
    assert _details(spark) == _details(local)
    assert spark.files == local.files
    assert spark.engine is not None and spark.engine.name == "spark"


def test_demo_data_gives_identical_findings_and_figures(spark: SparkSession) -> None:
    paths = ["data/customers_raw.csv", "data/chat_logs.jsonl", "data/tickets_gb18030.csv"]
    local, on_spark = _both(paths, DEMO)
    assert_same(local, on_spark)
    # The demo holds what the comparison must cover: ID cards, phones, nested JSON.
    assert {"CN_RESIDENT_ID", "CN_MOBILE_PHONE", "EMAIL_ADDRESS"} <= set(on_spark.entities)
    assert any(c.column == "messages[*].text" for c in on_spark.columns)


def test_a_file_split_into_partitions_is_numbered_as_one(
    spark: SparkSession, tmp_path: Path
) -> None:
    table = people.people(1000, seed=11)
    pq.write_table(table, tmp_path / "people.parquet", row_group_size=100)
    rows = [json.dumps(r, ensure_ascii=False) for r in people.people(300, seed=12).to_pylist()]
    rows.insert(40, "")  # a blank line is no record
    (tmp_path / "people.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for name in ("people.parquet", "people.jsonl"):
        source = parse_source(name, tmp_path)
        assert read(spark, source, {}).rdd.getNumPartitions() > 1, name
    local, on_spark = _both(["people.parquet", "people.jsonl"], tmp_path)
    assert_same(local, on_spark)
    ids = next(c for c in on_spark.columns if c.column == "id_no")
    assert ids.rows_scanned == 1000 and ids.counts["CN_RESIDENT_ID"] == 1000


def test_csv_text_and_json_documents_read_as_the_local_readers_do(
    spark: SparkSession, tmp_path: Path
) -> None:
    records = people.people(300, seed=3).to_pylist()
    with (tmp_path / "quoted.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "notes", "mobile"])
        for i, r in enumerate(records):
            notes = f'第一行\n第二行 "引号" {r["mobile"]}' if i % 9 == 0 else r["notes"]
            writer.writerow([r["name"], notes, r["mobile"]])
    with (tmp_path / "gbk.tsv").open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["姓名", "身份证号", "地址"])
        writer.writerows([r["name"], r["id_no"], r["address"]] for r in records)
    (tmp_path / "doc.json").write_text(
        json.dumps(records[:50], ensure_ascii=False, indent=2), encoding="utf-8"
    )
    text = "\n".join(f"客户{r['name']}来电，手机号{r['mobile']}。" for r in records) + "\n\n"
    (tmp_path / "notes.txt").write_text(text, encoding="utf-8")
    paths = ["quoted.csv", "gbk.tsv", "doc.json", "notes.txt"]
    local, on_spark = _both(paths, tmp_path)
    assert_same(local, on_spark)
    assert [f.kind for f in on_spark.files] == ["table", "table", "table", "text"]


def test_partitioned_parquet_dataset_with_a_nested_struct(
    spark: SparkSession, tmp_path: Path
) -> None:
    table = people.people(600, seed=5, nested=True)
    root = tmp_path / "lake" / "people"
    pq.write_to_dataset(table, root, partition_cols=["city"], row_group_size=100)
    report, inputs = scan_sources(["lake/people"], SPARK, base=tmp_path)
    (dataset,) = report.files
    assert dataset.path == "lake/people" and dataset.rows_scanned == 600
    columns = {c.column: c for c in report.columns}
    assert columns["contact.phone"].counts["CN_MOBILE_PHONE"] == 600
    assert columns["contact.email"].counts["EMAIL_ADDRESS"] == 600
    assert columns["id_no"].counts["CN_RESIDENT_ID"] == 600
    # Each part file scanned alone finds the same hits in total.
    parts = sorted(root.rglob("*.parquet"))
    assert inputs == tuple(p.relative_to(tmp_path).as_posix() for p in parts)
    local = scan_paths(parts, base=tmp_path)
    assert report.entities.items() >= {(e, n) for e, n in local.entities.items() if e != "LOCATION"}
    for column in ("contact.phone", "id_no", "notes"):
        for entity, count in columns[column].counts.items():
            assert count == sum(
                c.counts.get(entity, 0) for c in local.columns if c.column == column
            )


def test_catalog_table_by_name(
    spark: SparkSession, tmp_path: Path, runner: CliRunner, spark_project: Path
) -> None:
    spark.sql("CREATE DATABASE IF NOT EXISTS lake")
    frame = spark.createDataFrame(people.people(600, seed=9, nested=True))
    frame.write.mode("overwrite").partitionBy("status").saveAsTable("lake.people")
    result = runner.invoke(
        cli, ["pii", "scan", "--engine", "spark", "--format", "json", "table:lake.people"]
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["findings"] is None
    assert document["engine"]["name"] == "spark"
    assert document["files"] == [
        {"path": "table:lake.people", "kind": "table", "rows_scanned": 600}
    ]
    columns = {(c["column"], c["entity_type"]) for c in document["columns"]}
    assert {("contact.phone", "CN_MOBILE_PHONE"), ("id_no", "CN_RESIDENT_ID")} <= columns
    missing = runner.invoke(cli, ["pii", "scan", "--engine", "spark", "table:lake.nothing"])
    assert missing.exit_code == 2
    assert missing.stderr.strip().splitlines() == [
        "review: error: table:lake.nothing: no such table in the Spark catalog"
    ]


def _phone_rows(path: Path) -> set[int]:
    rows: set[int] = set()

    def keep(hit: CellHit) -> None:
        if hit.column == "notes" and hit.entity_type == "CN_MOBILE_PHONE":
            rows.add(hit.row)

    scan_paths([path], on_hit=keep)
    return rows


def test_sample_is_stated_and_keeps_row_numbers(
    spark: SparkSession, tmp_path: Path, runner: CliRunner, spark_project: Path
) -> None:
    pq.write_table(people.people(800, seed=21), "people.parquet", row_group_size=100)
    truth = _phone_rows(Path("people.parquet"))
    for flags in (["--sample-fraction", "0.3"], ["--sample-rows", "40"]):
        result = runner.invoke(
            cli, ["pii", "scan", "--engine", "spark", "--format", "json", *flags, "people.parquet"]
        )
        assert result.exit_code == 1, result.output
        (file,) = json.loads(result.stdout)["files"]
        assert file["sample"]["rows_total"] == 800
        assert 0 < file["rows_scanned"] < 800
        if flags[0] == "--sample-fraction":
            assert file["sample"]["method"] == "random 0.3 of the rows (seed 0)"
            assert 150 < file["rows_scanned"] < 330
        else:
            assert file["sample"]["method"] == "first 40 rows of each partition"
            assert file["rows_scanned"] % 40 == 0
    report, _ = scan_sources(
        ["people.parquet"],
        SparkConfig(master=MASTER, sample=SampleConfig(fraction=0.5, seed=3)),
        base=tmp_path,
    )
    notes = next(c for c in report.columns if c.column == "notes")
    sampled = notes.first_rows["CN_MOBILE_PHONE"]
    # A sampled row keeps its number in the whole file: the same rows hold phones there.
    assert set(sampled) <= truth and list(sampled) == sorted(sampled)
    table = runner.invoke(
        cli, ["pii", "scan", "--engine", "spark", "--sample-rows", "5", "people.parquet"]
    )
    assert "sample: first 5 rows of each partition, of 800 rows" in table.stdout


def test_only_counts_and_masked_evidence_leave_the_executors(
    spark: SparkSession, tmp_path: Path, runner: CliRunner, spark_project: Path
) -> None:
    table = people.people(500, seed=31, nested=True)
    pq.write_table(table, "people.parquet", row_group_size=100)
    raw = {
        value
        for column in ("id_no", "bank_card", "name", "address")
        for value in table.column(column).to_pylist()
    }
    raw |= {c["phone"] for c in table.column("contact").to_pylist()}
    source = parse_source("people.parquet", tmp_path)
    frame = read(spark, source, {})
    job = PiiJob("table", None, None, dt.date(2026, 1, 1), tuple(frame.columns))
    collected = run_partitions(source, frame, job, None)
    sent = json.dumps([p.payload for p in collected.partitions], ensure_ascii=False)
    assert len(collected.partitions) > 1
    assert not any(value in sent for value in raw)
    outputs = []
    for fmt in ("json", "table", "sarif", "markdown"):
        result = runner.invoke(
            cli, ["pii", "scan", "--engine", "spark", "--format", fmt, "people.parquet"]
        )
        assert result.exit_code == 1, result.output
        outputs.append(result.stdout + result.stderr)
    leaked = [value for value in raw for text in outputs if value in text]
    assert not leaked


def test_names_holding_personal_data_are_masked_as_the_local_reader_masks_them(
    spark: SparkSession, tmp_path: Path
) -> None:
    phone, email = "13812345678", "zhang.wei@qq.com"
    contact = pa.array([{email: "x", "city": "北京"}] * 30)
    table = pa.table({phone: ["a"] * 30, "note": ["无"] * 30, "contact": contact})
    pq.write_table(table, tmp_path / f"export_{phone}.parquet", row_group_size=10)
    local, on_spark = _both([f"export_{phone}.parquet"], tmp_path)
    assert_same(local, on_spark)
    (file,) = on_spark.files
    assert file.names and phone not in file.path
    written = json.dumps(_details(on_spark), ensure_ascii=False)
    assert phone not in written and email not in written
    assert "col[138****5678]" in written


def test_exclude_is_refused_with_the_spark_engine(runner: CliRunner, spark_project: Path) -> None:
    Path("people.csv").write_text("phone\n13812345678\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["pii", "scan", "--engine", "spark", "--exclude", "*.log", "people.csv"]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "review: error: --exclude filters the local engine's folder walk; with --engine "
        "spark name the files or directories to read"
    ]


def test_unreadable_sources_exit_2_with_one_line(
    spark: SparkSession, runner: CliRunner, spark_project: Path
) -> None:
    lines = [json.dumps({"phone": f"1380013{i:04d}"}) for i in range(3000)]
    lines[2500] = '{"phone": "13800138000", '  # cut short: in a later partition
    Path("broken.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    Path("short.csv").write_text("a,b\n1,2\n3\n", encoding="utf-8")
    Path("book.xlsx").write_bytes(b"PK")
    cases = {
        "broken.jsonl": "review: error: broken.jsonl: line 2501: invalid JSON",
        "short.csv": "review: error: short.csv: Spark could not read the csv data",
        "book.xlsx": "review: error: book.xlsx: the Spark engine reads Parquet, ORC, CSV",
        "missing.parquet": "review: error: missing.parquet: no such file or directory",
        "s3a://bucket/data": "review: error: s3a://bucket/data: the Spark engine reads",
    }
    for path, expected in cases.items():
        result = runner.invoke(cli, ["pii", "scan", "--engine", "spark", path])
        assert result.exit_code == 2, (path, result.output)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(expected), line
        assert "13800138000" not in result.output


def test_review_run_with_the_spark_engine_matches_the_local_run(
    spark: SparkSession, demo_project: Path, runner: CliRunner
) -> None:
    out = {}
    for engine in ("local", "spark"):
        config = demo_project / "review.toml"
        text = config.read_text(encoding="utf-8")
        if engine == "spark":
            text = text.replace("[pii]\n", '[pii]\nengine = "spark"\n', 1)
            text += f'\n[spark]\nmaster = "{MASTER}"\n'
        config.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["run", str(demo_project), "--out", str(demo_project / engine)])
        assert result.exit_code == 1, result.output
        out[engine] = json.loads((demo_project / engine / "review.json").read_text("utf-8"))
    stages = {e: {s["stage"]: s for s in out[e]["stages"]} for e in out}
    local, on_spark = stages["local"]["pii"], stages["spark"]["pii"]
    assert [Finding.model_validate(f) for f in on_spark["findings"]] == [
        Finding.model_validate(f) for f in local["findings"]
    ]
    assert on_spark["details"].pop("engine") == {"name": "spark", "master": MASTER}
    assert on_spark["details"] == local["details"]
    assert on_spark["inputs"] == local["inputs"]
    assert stages["spark"]["checklist"]["findings"] == stages["local"]["checklist"]["findings"]


def test_config_names_sources_only_with_the_spark_engine(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "review.toml").write_text(
        '[pii]\nsources = ["table:lake.users"]\n', encoding="utf-8"
    )
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2
    assert 'pii: sources are read by Spark: set engine = "spark"' in result.stderr
    (tmp_path / "review.toml").write_text(
        '[pii]\nengine = "spark"\nexclude = ["*.log"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "review.toml: pii: include/exclude filter the local engine's directory walk; "
        'with engine = "spark" list the files or directories to read\n'
    )
    (tmp_path / "review.toml").write_text("[spark.sample]\nfraction = 2\n", encoding="utf-8")
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "review.toml: spark.sample.fraction: input should be less than or equal to 1\n"
    )


def test_directory_of_several_formats_is_scanned_file_by_file(
    spark: SparkSession, tmp_path: Path
) -> None:
    shutil.copytree(DEMO / "data", tmp_path / "data")
    (tmp_path / "data" / "customers_masked.csv").unlink()
    local = scan_paths([tmp_path / "data"], base=tmp_path)
    on_spark, _ = scan_sources(["data"], SPARK, base=tmp_path)
    assert_same(local, on_spark)
    assert len(on_spark.files) == 3


def test_arrow_batches_keep_types_as_the_local_reader_shows_them(
    spark: SparkSession, tmp_path: Path
) -> None:
    table = pa.table(
        {
            "phone": pa.array([13800138000, None, 13900139000], pa.int64()),
            "score": pa.array([1.0, 2.5, None]),
            "when": pa.array([None, "2024-01-02", "2024-03-04"]).cast(pa.date32()),
            "flag": pa.array([True, False, None]),
            "tags": pa.array([["a", "13800138000"], [], None]),
        }
    )
    pq.write_table(table, tmp_path / "types.parquet")
    local, on_spark = _both(["types.parquet"], tmp_path)
    assert_same(local, on_spark)
    assert {c.column for c in on_spark.columns} >= {"phone", "tags[*]"}
