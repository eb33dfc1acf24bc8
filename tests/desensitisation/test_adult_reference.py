"""The stage's k, l, entropy-l and t on UCI Adult equal pyCANON's (checked-in figures)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from review.scanners.desensitisation.risk import Sensitive, assess
from review.scanners.desensitisation.table import Table, load_table
from tests.conftest import SHARED_DATA

REFERENCE = Path(__file__).parent / "data" / "adult_reference.json"
CASES: list[dict[str, Any]] = json.loads(REFERENCE.read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def adult() -> Table:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (only on the team's machines)")
    return load_table(SHARED_DATA / "adult" / "adult.csv")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{'+'.join(c['quasi'])}->{c['sensitive']}")
def test_metrics_equal_pycanon(adult: Table, case: dict[str, Any]) -> None:
    quasi = {name: adult.column(name) for name in case["quasi"]}
    sensitive = {case["sensitive"]: Sensitive(adult.column(case["sensitive"]))}
    report = assess(quasi, sensitive, rows=len(adult))
    (div,) = report.diversity
    assert div.distance == ("ordered" if case["numeric"] else "equal")
    assert report.k == case["k"]
    assert div.l_distinct == case["l"]
    # pyCANON truncates exp(entropy) to a whole number.
    assert int(div.l_entropy) == case["entropy_l"]
    assert math.isclose(div.t, case["t"], rel_tol=1e-9, abs_tol=1e-12)
