"""Re-identification risk on Spark (``local[2]``) equals the single-process figures."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.config import load_config
from review.core.config import SparkConfig
from review.scanners.desensitisation.config import ColumnPolicy, Thresholds
from review.scanners.desensitisation.service import DatasetSpec, verify_spec
from review.scanners.desensitisation.spark import SparkDataset, SparkVerifier
from review.scanners.desensitisation.verify import Verification
from tests.conftest import DEMO
from tests.spark.conftest import MASTER

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK = SparkConfig(master=MASTER)
# What both engines compute: every risk figure and the risk check's findings.
FIGURES = (
    "rows",
    "quasi_identifiers",
    "sensitive",
    "linkage_rate",
    "classes",
    "k",
    "l_distinct",
    "l_entropy",
    "t",
    "unique_share",
    "prosecutor",
    "journalist",
    "marketer",
    "suppressed",
    "suppression_rate",
    "c_needed",
    "population",
    "population_uniqueness",
    "attributes",
    "summary",
)


def _figures(verification: Verification) -> dict[str, Any]:
    record = verification.details.model_dump(mode="json")
    return {name: record[name] for name in FIGURES}


def _risk_findings(verification: Verification) -> list[dict[str, Any]]:
    risk_rules = {
        "k_anonymity",
        "reidentification_risk",
        "l_diversity",
        "l_entropy",
        "recursive_l_diversity",
        "t_closeness",
        "linkage",
        "risk_not_assessed",
    }
    return [
        f.model_dump(mode="json")
        for f in verification.findings
        if f.rule_id.split(".", 1)[1] in risk_rules
    ]


def _both(spec: DatasetSpec, base: Path) -> tuple[Verification, Verification]:
    local = verify_spec(spec, display=lambda p: p.relative_to(base).as_posix(), scanner=None)
    masked = spec.masked.relative_to(base).as_posix()
    raw = spec.raw.relative_to(base).as_posix() if spec.raw else None
    spark = SparkVerifier(SPARK, base=base).verify(SparkDataset(masked, raw, spec))
    return local, spark


def assert_same_risk(local: Verification, spark: Verification) -> None:
    assert _figures(spark) == _figures(local)
    assert _risk_findings(spark) == _risk_findings(local)
    assert spark.details.checks == tuple(
        c for c in local.details.checks if c.check == "quasi_identifier_risk"
    )


def test_demo_dataset_gives_identical_risk_figures(spark: SparkSession, tmp_path: Path) -> None:
    project = tmp_path / "demo"
    shutil.copytree(DEMO, project)
    loaded = load_config(project)
    (dataset,) = loaded.config.desensitisation.datasets
    local, on_spark = _both(DatasetSpec.from_config(dataset), project)
    assert_same_risk(local, on_spark)
    assert on_spark.details.k == 1 and on_spark.details.linkage_rate
    # The values were not checked: neither de-identified nor anonymised is claimed.
    assert local.level == "identifiable" and on_spark.level == "risk-measured"
    verdict = next(f for f in on_spark.findings if f.rule_id == "desensitisation.verdict")
    assert verdict.evidence == "risk-measured"


def _release(rows: int, seed: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A raw table and its release: generalised ages and postcodes, some suppressed rows."""
    rng = random.Random(seed)
    raw, masked = [], []
    for i in range(rows):
        age = rng.randrange(18, 90)
        record = {
            "id": f"U{i:05d}",
            "age": str(age),
            "sex": rng.choice("MF"),
            "postcode": f"{rng.randrange(100000, 100400)}",
            "diagnosis": rng.choice(["flu", "asthma", "diabetes", "cancer", "none"]),
            "income": str(rng.choice([1200, 2500, 4000, 5600, 8000, 12000])),
            "education": rng.choice(["primary", "secondary", "bachelor", "master"]),
        }
        raw.append(record)
        band = f"{age // 10 * 10}-{age // 10 * 10 + 9}"
        release = dict(record, age=band, postcode=record["postcode"][:3] + "***")
        if rng.random() < 0.03:
            release.update(age="*", sex="*", postcode="*")
        masked.append(release)
    rng.shuffle(masked)  # released in another order: rows match by key
    return raw, masked


POLICY = {
    "id": ColumnPolicy(action="keep"),
    "age": ColumnPolicy(action="generalise", role="quasi", rule="age-band:10"),
    "sex": ColumnPolicy(action="keep", role="quasi"),
    "postcode": ColumnPolicy(action="generalise", role="quasi", rule="prefix:3"),
    "diagnosis": ColumnPolicy(action="keep", role="sensitive"),
    "income": ColumnPolicy(action="keep", role="sensitive"),
    "education": ColumnPolicy(
        action="keep", role="sensitive", order=["primary", "secondary", "bachelor", "master"]
    ),
}


@pytest.mark.parametrize("population", [None, 50_000])
def test_generated_release_split_into_partitions(
    spark: SparkSession, tmp_path: Path, population: int | None
) -> None:
    raw, masked = _release(600, seed=17)
    pq.write_table(pa.Table.from_pylist(masked), tmp_path / "masked.parquet", row_group_size=100)
    with (tmp_path / "raw.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(raw[0]))
        writer.writeheader()
        writer.writerows(raw)
    spec = DatasetSpec(
        tmp_path / "masked.parquet",
        tmp_path / "raw.csv",
        key="id",
        policy=POLICY,
        thresholds=Thresholds(k=3, l=2, t=0.3, l_entropy=1.5, c=3.0),
        population=population,
    )
    local, on_spark = _both(spec, tmp_path)
    assert_same_risk(local, on_spark)
    details = on_spark.details
    assert details.suppressed and details.k is not None and details.linkage_rate is not None
    assert {a.distance for a in details.attributes} == {"equal", "ordered"}
    assert (details.population_uniqueness is not None) == (population is not None)


def test_hierarchical_distance_and_a_catalog_table(
    spark: SparkSession, tmp_path: Path, runner: CliRunner, spark_project: Path
) -> None:
    _, masked = _release(300, seed=23)
    frame = spark.createDataFrame(pa.Table.from_pylist(masked))
    spark.sql("CREATE DATABASE IF NOT EXISTS lake")
    frame.write.mode("overwrite").saveAsTable("lake.release")
    pq.write_table(pa.Table.from_pylist(masked), "release.parquet")
    (spark_project / "review.toml").write_text(
        f"""
[desensitisation]
engine = "spark"
[[desensitisation.datasets]]
masked = "release.parquet"
[desensitisation.datasets.columns]
age = {{ action = "keep", role = "quasi" }}
sex = {{ action = "keep", role = "quasi" }}
income = {{ action = "keep", role = "sensitive", hierarchy = "interval:2000,4000" }}
[[desensitisation.datasets]]
masked = "release-table"
masked_source = "table:lake.release"
[desensitisation.datasets.columns]
age = {{ action = "keep", role = "quasi" }}
sex = {{ action = "keep", role = "quasi" }}
income = {{ action = "keep", role = "sensitive", hierarchy = "interval:2000,4000" }}
[spark]
master = "{MASTER}"
""",
        encoding="utf-8",
    )
    loaded = load_config(spark_project)
    local = verify_spec(
        DatasetSpec.from_config(loaded.config.desensitisation.datasets[0]),
        display=lambda p: p.name,
        scanner=None,
    )
    result = runner.invoke(cli, ["run", ".", "--out", "out", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    review = json.loads((spark_project / "out" / "review.json").read_text("utf-8"))
    stage = next(s for s in review["stages"] if s["stage"] == "desensitisation")
    from_file, from_table = stage["details"]["datasets"]
    assert from_file["attributes"][0]["distance"] == "hierarchical"
    expected = _figures(local)
    for dataset in (from_file, from_table):
        assert {name: dataset[name] for name in FIGURES} == expected
        assert dataset["level"] == "risk-measured"
    assert from_table["masked"] == "table:lake.release"
    assert stage["inputs"] == ["release.parquet"]


def test_alignment_and_policy_errors_are_the_local_engine_s(
    spark: SparkSession, runner: CliRunner, spark_project: Path
) -> None:
    raw, masked = _release(300, seed=5)
    masked[40]["id"] = "U99999"  # matches no raw row
    pq.write_table(pa.Table.from_pylist(masked), "masked.parquet", row_group_size=50)
    raw[120]["id"] = raw[7]["id"]  # a raw key repeats
    pq.write_table(pa.Table.from_pylist(raw), "raw.parquet", row_group_size=50)
    args = ["desensitise", "check", "masked.parquet", "--raw", "raw.parquet", "--qi", "age,sex"]
    cases = [
        ([*args, "--key", "id"], "raw.parquet: row 121: key column 'id' repeats a value"),
        ([*args, "--key", "nope"], "masked.parquet: key column 'nope' not found"),
        ([*args[:3], "--qi", "age,weight"], "masked.parquet: column 'weight' named in the policy"),
    ]
    for arguments, expected in cases:
        outputs = []
        for engine in ("local", "spark"):
            result = runner.invoke(cli, [*arguments, "--engine", engine])
            assert result.exit_code == 2, (engine, result.output)
            outputs.append(result.stderr)
        assert outputs[0] == outputs[1], outputs
        assert expected in outputs[1]
    raw[120]["id"] = "U00120"
    pq.write_table(pa.Table.from_pylist(raw), "raw.parquet", row_group_size=50)
    for engine in ("local", "spark"):
        result = runner.invoke(cli, [*args, "--key", "id", "--engine", engine])
        assert result.exit_code == 2
        assert result.stderr.endswith(
            "masked.parquet: row 41: key column 'id' matches no raw row\n"
        )
