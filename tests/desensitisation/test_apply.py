"""desensitise apply: hierarchies and the lattice search, keep, dates, drop, missing cells."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from faker import Faker

from review.cli.main import cli
from review.scanners.datafiles import open_dataset
from review.scanners.desensitisation.anonymise import Levels, Targets, information_loss, search
from review.scanners.desensitisation.hierarchy import Dates, DivisionCodes, Intervals, Postcodes
from review.scanners.desensitisation.risk import Sensitive, assess
from review.scanners.desensitisation.table import Table, load_table

# Adult hierarchies written the way ARX users write them (leaf;group;*), shared with
# benchmarks/anonymise_adult.py.
DATA = Path(__file__).parent / "data"


ADULT_CONFIG = """
[[desensitisation.datasets]]
masked = "adult_out.csv"
raw = "{raw}"
[desensitisation.datasets.columns]
age = {{ action = "generalise", role = "quasi", hierarchy = "age" }}
sex = {{ action = "generalise", role = "quasi", hierarchy = "suppress" }}
race = {{ action = "generalise", role = "quasi", hierarchy = "suppress" }}
education = {{ action = "generalise", role = "quasi", hierarchy = "education.csv" }}
marital-status = {{ action = "generalise", role = "quasi", hierarchy = "marital.csv" }}
salary-class = {{ action = "keep", role = "sensitive" }}
[desensitisation.datasets.thresholds]
k = 5
l = 2
"""


def test_apply_on_adult_meets_k5_l2_and_passes_its_own_check(
    runner: CliRunner, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = shared_data / "adult" / "adult.csv"
    shutil.copy(DATA / "adult_education.csv", tmp_path / "education.csv")
    shutil.copy(DATA / "adult_marital.csv", tmp_path / "marital.csv")
    (tmp_path / "review.toml").write_text(ADULT_CONFIG.format(raw=raw), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = raw.stat().st_mtime
    result = runner.invoke(cli, ["desensitise", "apply", str(raw), "--out", "adult_out.csv"])
    assert result.exit_code == 0, result.output
    assert "information loss: NCP" in result.output
    assert raw.stat().st_mtime == before
    check = runner.invoke(cli, ["desensitise", "check", "adult_out.csv", "--format", "json"])
    assert check.exit_code == 0, check.output
    (dataset,) = json.loads(check.output)["datasets"]
    assert dataset["k"] >= 5 and dataset["l_distinct"] >= 2
    # The same figures by the metric core on the written file (equal to pyCANON's on
    # Adult, see test_adult_reference), records '*' in every QI left out as ARX does.
    with (tmp_path / "adult_out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    quasi = ["age", "sex", "race", "education", "marital-status"]
    kept = [r for r in rows if not all(r[q] == "*" for q in quasi)]
    assert len(rows) - len(kept) <= 0.05 * len(rows)
    report = assess(
        {q: [r[q] for r in kept] for q in quasi},
        {"salary-class": Sensitive([r["salary-class"] for r in kept])},
        rows=len(kept),
    )
    assert report.k >= 5 and report.l_distinct is not None and report.l_distinct >= 2
    # Missing cells ('?') are Adult's own: the kept sensitive column is untouched.
    assert [r["salary-class"] for r in rows][:3] == ["<=50K", "<=50K", "<=50K"]


def _people(path: Path, rows: int) -> list[dict[str, str]]:
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    records = []
    for i in range(rows):
        records.append(
            {
                "session": f"S2025{i:04d}",
                "visited": f"2025-05-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}",
                "age": "?" if i % 17 == 0 else str(20 + i % 45),
                "region": fake.random_element(["110105", "110108", "310104", "440305"]),
                "postcode": fake.postcode(),
                "phone": fake.phone_number(),
                "diagnosis": fake.random_element(["flu", "cold", "asthma", "diabetes"]),
            }
        )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return records


SYNTHETIC_CONFIG = """
[[desensitisation.datasets]]
masked = "out.csv"
raw = "raw.csv"
key = "session"
[desensitisation.datasets.columns]
session = { action = "keep" }
visited = { action = "generalise", role = "quasi", rule = "date-month" }
age = { action = "generalise", role = "quasi", hierarchy = "age" }
region = { action = "generalise", role = "quasi", hierarchy = "cn-division" }
postcode = { action = "drop", role = "quasi" }
phone = { action = "drop", role = "direct" }
diagnosis = { action = "keep", role = "sensitive" }
[desensitisation.datasets.thresholds]
k = 4
l = 2
max_suppression = 0.1
"""


def test_apply_keeps_keep_handles_datetimes_drop_and_missing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _people(tmp_path / "raw.csv", 240)
    (tmp_path / "review.toml").write_text(SYNTHETIC_CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "out.csv"])
    assert result.exit_code == 0, result.output
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["session", "visited", "age", "region", "diagnosis"]
    assert [r["session"] for r in rows] == [r["session"] for r in records]
    assert {r["visited"] for r in rows} == {"2025-05"}
    suppressed = [r for r in rows if r["age"] == "*" and r["region"] == "*"]
    for raw, out in zip(records, rows, strict=True):
        if out in suppressed:
            continue
        assert out["age"] in Intervals().path(raw["age"])
        assert out["region"] in DivisionCodes().path(raw["region"])
    check = runner.invoke(cli, ["desensitise", "check", "out.csv", "--format", "json"])
    assert check.exit_code == 0, check.output
    (dataset,) = json.loads(check.output)["datasets"]
    assert dataset["k"] >= 4
    assert dataset["suppressed"] == len(suppressed)
    # Every check passes; the PII scan still reads S2025xxxx session ids as passports (a
    # recognizer precision issue of its own), which on a 'keep' column is only a question.
    failing = [c for c in dataset["checks"] if c["status"] == "fail"]
    assert [(c["check"], c["column"]) for c in failing] in (
        [],
        [("residual_identifiers", "session")],
    )


def test_search_picks_the_least_loss_feasible_node() -> None:
    ages = [str(a) for a in (21, 22, 23, 24, 31, 32, 33, 34, 35, 36)]
    column = Levels.build("age", ages, Intervals((5, 10)))
    solution = search([column], [], Targets(k=2, has_sensitive=False), len(ages))
    # 20-24 / 30-34 / 35-39 already gives groups of 4, 4, 2: level 1 is enough.
    assert solution.levels == {"age": 1}
    assert not solution.suppressed.any()
    assert solution.ncp == pytest.approx(
        sum(column.loss[1]) / len(ages)
    )  # level-1 cells cover 4, 4 and 2 of 10 values
    assert 0 < solution.ncp < 1
    ncp, discernibility = information_loss(
        {"age": [solution.value(column, i) for i in range(len(ages))]},
        {"age": ages},
        {"age": Intervals((5, 10))},
    )
    assert ncp == pytest.approx(solution.ncp)
    assert discernibility == solution.discernibility == 4**2 + 4**2 + 2**2


def test_builtin_hierarchies() -> None:
    assert Intervals().path("37") == ("37", "35-39", "30-39", "20-39", "*")
    assert Dates().path("2025-05-05 05:52") == (
        "2025-05-05 05:52", "2025-05-05", "2025-05", "2025", "*",
    )  # fmt: skip
    assert DivisionCodes().path("110105") == ("110105", "1101**", "11****", "*")
    assert Postcodes().path("100101")[1:3] == ("10010*", "1001**")
    assert Postcodes().path("100101")[-1] == "*"
    assert Intervals().path("?")[1] == "*"


def test_arrow_csv_reader_gives_the_streaming_reader_s_table(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        '\ufeffid,note,city\n1,"line one\nline two",北京\n2,,上海\n\n3,"say ""hi""",北京\n',
        encoding="utf-8",
    )
    fast = load_table(path)
    dataset = open_dataset(path)
    slow = Table.from_rows(str(path), dataset.iter_rows(), dataset.columns)
    assert fast.columns == slow.columns == ("id", "note", "city")
    assert {c: fast.column(c) for c in fast.columns} == {c: slow.column(c) for c in slow.columns}
    assert list(fast.row_numbers) == list(slow.row_numbers) == [1, 2, 3]
    assert fast.column("city")[0] is fast.column("city")[2]  # one shared string


def test_bad_hierarchy_files_are_one_line_errors(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "raw.csv").write_text("age,d\n30,x\n40,y\n", encoding="utf-8")
    (tmp_path / "h.csv").write_text("30;30-39;*\n40;40-49\n", encoding="utf-8")
    config = (
        '[[desensitisation.datasets]]\nmasked = "out.csv"\nraw = "raw.csv"\n'
        "[desensitisation.datasets.columns]\n"
        'age = {{ action = "generalise", role = "quasi", hierarchy = "{h}" }}\n'
    )
    monkeypatch.chdir(tmp_path)
    for hierarchy, message in (("missing.csv", "no such file"), ("h.csv", "line 2: has 2 levels")):
        (tmp_path / "review.toml").write_text(config.format(h=hierarchy), encoding="utf-8")
        result = runner.invoke(cli, ["desensitise", "apply", "raw.csv", "--out", "out.csv"])
        assert result.exit_code == 2, result.output
        assert message in result.output and len(result.output.strip().splitlines()) == 1
        assert "Traceback" not in result.output
