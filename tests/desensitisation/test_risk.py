"""Risk metrics on hand-made tables whose answers are worked out in the comments."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from review.scanners.desensitisation.risk import assess, combine, factorise, linkage_rate

# Six records, quasi-identifiers (gender, age band), sensitive diagnosis:
#   A = rows 1-3 (M, 30-39): flu, cold, flu      size 3
#   B = rows 4-5 (F, 30-39): flu, flu            size 2
#   C = row 6    (F, 40-49): hiv                 size 1
GENDER = ["M", "M", "M", "F", "F", "F"]
AGE = ["30-39", "30-39", "30-39", "30-39", "30-39", "40-49"]
DIAGNOSIS = ["flu", "cold", "flu", "flu", "flu", "hiv"]


def test_hand_table() -> None:
    report = assess(
        {"gender": GENDER, "age": AGE},
        {"diagnosis": DIAGNOSIS},
        rows=6,
        l_min=2,
        max_risk=0.4,
    )
    assert report.k == 1
    assert report.classes == 3
    assert report.unique_share == pytest.approx(1 / 6)
    # Prosecutor: highest 1/k = 1; average = classes / records = 3/6;
    # per-record risks 1/3,1/3,1/3,1/2,1/2,1 -> three are above 0.4.
    assert report.prosecutor.highest == 1.0
    assert report.prosecutor.average == pytest.approx(0.5)
    assert report.prosecutor.records_at_risk == pytest.approx(0.5)
    assert report.journalist == report.prosecutor
    assert report.marketer_average == pytest.approx(0.5)
    (div,) = report.diversity
    # Distinct values per class: A 2, B 1, C 1 -> l = 1; classes below 2: B and C.
    assert div.l_distinct == 1
    assert div.classes_below_l == 2
    # Entropy l: A exp(H(2/3, 1/3)) = 1.89, B and C exp(0) = 1 -> 1.
    assert div.l_entropy == pytest.approx(1.0)
    # t (total variation vs overall flu 4/6, cold 1/6, hiv 1/6):
    # A: 0.5(0 + 1/6 + 1/6) = 1/6; B: 0.5(1/3 + 1/6 + 1/6) = 1/3; C: 0.5(4/6 + 1/6 + 5/6) = 5/6.
    assert div.t == pytest.approx(5 / 6)


def test_entropy_l_of_a_two_value_class() -> None:
    report = assess({"g": ["x", "x", "x"]}, {"d": ["a", "b", "a"]}, rows=3)
    expected = math.exp(-(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3)))
    assert report.diversity[0].l_entropy == pytest.approx(expected)
    assert report.diversity[0].t == pytest.approx(0.0)
    assert report.k == 3


def test_two_anonymous_table() -> None:
    report = assess({"g": ["a", "a", "b", "b"]}, {}, rows=4, max_risk=0.5)
    assert report.k == 2
    assert report.prosecutor.highest == 0.5
    assert report.prosecutor.records_at_risk == 0.0
    assert report.unique_share == 0.0
    assert report.l_distinct is None


def test_combine_matches_plain_grouping_even_past_int64() -> None:
    rng = np.random.default_rng(7)
    # Ten columns of ~1000 distinct values: the mixed-radix product overflows int64,
    # so combine() must renumber on the way.
    columns = [[str(v) for v in rng.integers(0, 1000, 500)] for _ in range(10)]
    ids, sizes = combine([factorise(c) for c in columns], 500)
    keys = list(zip(*columns, strict=True))
    counts = Counter(keys)
    assert sorted(sizes.tolist()) == sorted(counts.values())
    for i, j in [(0, 1), (2, 3), (10, 400)]:
        assert (ids[i] == ids[j]) == (keys[i] == keys[j])


def test_linkage_rate() -> None:
    # Raw (already generalised) rows: 0 (M,30) 1 (M,30) 2 (F,40). Masked rows map to
    # raw 0, 1, 2 in order; only the (F,40) row is unique in the raw file -> 1/3.
    raw = {"g": ["M", "M", "F"], "a": ["30", "30", "40"]}
    masked = {"g": ["M", "M", "F"], "a": ["30", "30", "40"]}
    assert linkage_rate(raw, masked, [0, 1, 2]) == pytest.approx(1 / 3)
    # A wrong match does not count as re-identified.
    assert linkage_rate(raw, masked, [0, 1, 0]) == 0.0
