"""Risk metrics on hand-made tables whose answers are worked out in the comments."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from review.scanners.desensitisation.hierarchy import CsvHierarchy
from review.scanners.desensitisation.risk import (
    Population,
    Sensitive,
    assess,
    combine,
    factorise,
    linkage_rate,
    zayatz_uniqueness,
)

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
        {"diagnosis": Sensitive(DIAGNOSIS)},
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
    report = assess({"g": ["x", "x", "x"]}, {"d": Sensitive(["a", "b", "a"])}, rows=3)
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


def test_ordered_distance_of_li_et_al() -> None:
    # Li, Li, Venkatasubramanian (2007), section 4: salaries 3k..11k, one record each.
    # Q1 = {3k, 4k, 5k} is 0.375 from the whole table, Q2 = {6k, 8k, 11k} 0.167.
    salary = [str(s) for s in (3, 4, 5, 6, 8, 11, 7, 9, 10)]
    group = ["q1"] * 3 + ["q2"] * 3 + ["q3"] * 3
    report = assess({"zip": group}, {"salary": Sensitive(salary)}, rows=9)
    (div,) = report.diversity
    assert div.distance == "ordered"
    assert div.t == pytest.approx(0.375)
    q2 = assess(
        {"zip": ["x", "x", "x", "q2", "x", "q2", "x", "x", "q2"]},
        {"salary": Sensitive([str(s) for s in (3, 4, 5, 6, 7, 8, 9, 10, 11)])},
        rows=9,
    )
    # The other class holds the six remaining values; the larger of the two is Q2's 0.167.
    assert q2.diversity[0].t == pytest.approx(1 / 6)


def test_ordinal_attribute_uses_the_declared_order() -> None:
    levels = ["low", "mid", "high"]
    values = ["low", "low", "high", "high"]
    group = ["a", "a", "b", "b"]
    ordered = assess({"g": group}, {"s": Sensitive(values, order=levels)}, rows=4)
    equal = assess({"g": group}, {"s": Sensitive(values)}, rows=4)
    # Ordered: CDF differences (1/2, 1/2, 0) over m - 1 = 2 -> 0.5; equal distance 0.5 too,
    # but a mid-heavy split shows the difference: below.
    assert ordered.diversity[0].t == pytest.approx(0.5)
    assert equal.diversity[0].t == pytest.approx(0.5)
    near = assess(
        {"g": ["a", "a", "b", "b"]},
        {"s": Sensitive(["low", "mid", "mid", "high"], order=levels)},
        rows=4,
    )
    # Overall (1/4, 1/2, 1/4); class a (1/2, 1/2, 0): CDF diffs (1/4, 1/4, 0) / 2 = 0.25.
    assert near.diversity[0].t == pytest.approx(0.25)


HIERARCHY = CsvHierarchy(
    {
        "a": ("a", "X", "*"),
        "b": ("b", "X", "*"),
        "c": ("c", "Y", "*"),
        "d": ("d", "Y", "*"),
    },
    height=2,
)


def test_hierarchical_distance_by_hand() -> None:
    # Overall a 1/2, c 1/4, d 1/4. Class 1 = (a, a): extra a +1/2, c -1/4, d -1/4. Under X
    # and Y nothing cancels (cost 0); at the root X +1/2 meets Y -1/2: 1/2 x height 2/2.
    # Class 2 = (c, d) mirrors it: 0.5.
    report = assess(
        {"g": ["1", "1", "2", "2"]},
        {"s": Sensitive(["a", "a", "c", "d"], hierarchy=HIERARCHY)},
        rows=4,
    )
    assert report.diversity[0].distance == "hierarchical"
    assert report.diversity[0].t == pytest.approx(0.5)
    # Class (a, b) vs class (a, b): identical to the whole table -> 0.
    same = assess(
        {"g": ["1", "1", "2", "2"]},
        {"s": Sensitive(["a", "b", "a", "b"], hierarchy=HIERARCHY)},
        rows=4,
    )
    assert same.diversity[0].t == pytest.approx(0.0)
    # Class 1 = (a, c), class 2 = (b, d): mass moves only within the root: a<->b under X
    # and c<->d under Y cost 1/4 x 1/2 each? No: extra a +1/4 b -1/4 under X -> 1/4 x 1/2,
    # same under Y -> total 1/4.
    swap = assess(
        {"g": ["1", "1", "2", "2"]},
        {"s": Sensitive(["a", "c", "b", "d"], hierarchy=HIERARCHY)},
        rows=4,
    )
    assert swap.diversity[0].t == pytest.approx(0.25)


def test_suppressed_records_are_left_out_like_arx() -> None:
    # Two suppressed records ('*' in every quasi-identifier) and classes of 2 and 3.
    gender = ["*", "*", "M", "M", "F", "F", "F"]
    age = ["*", "*", "30-39", "30-39", "40-49", "40-49", "40-49"]
    report = assess({"gender": gender, "age": age}, {}, rows=7)
    assert report.suppressed == 2
    assert report.suppression_rate == pytest.approx(2 / 7)
    assert report.k == 2
    assert report.classes == 2
    # ARX: average risk = 1 / average class size over the 5 kept records = 2/5.
    assert report.prosecutor.average == pytest.approx(2 / 5)
    assert report.prosecutor.highest == pytest.approx(1 / 2)
    assert report.record_sizes().tolist() == [0, 0, 2, 2, 3, 3, 3]
    # A '*' in only some quasi-identifiers is a generalised value, not a suppression.
    partial = assess({"gender": ["*", "M", "M"], "age": ["30-39", "*", "30-39"]}, {}, rows=3)
    assert partial.suppressed == 0


def test_recursive_c_l_diversity() -> None:
    # Class counts (3, 1, 1): r1 = 3, r2 + r3 = 2 -> c must exceed 1.5 for l = 2;
    # for l = 3 the tail is r3 = 1 -> c must exceed 3.
    values = ["x", "x", "x", "y", "z"]
    group = ["g"] * 5
    two = assess({"q": group}, {"s": Sensitive(values)}, rows=5, l_min=2)
    three = assess({"q": group}, {"s": Sensitive(values)}, rows=5, l_min=3)
    assert two.diversity[0].c_needed == pytest.approx(1.5)
    assert three.diversity[0].c_needed == pytest.approx(3.0)
    short = assess({"q": group}, {"s": Sensitive(values)}, rows=5, l_min=4)
    assert math.isinf(short.diversity[0].c_needed)


def test_population_models() -> None:
    # 4 records: classes of 1, 1, 2 drawn from a population of 40 (fraction 1/10).
    group = ["a", "b", "c", "c"]
    report = assess({"q": group}, {}, rows=4, population=Population(40))
    # Journalist: population class sizes f / 0.1 = 10, 10, 20 -> highest 1/10.
    assert report.journalist.highest == pytest.approx(0.1)
    # Marketer: classes x fraction / records = 3 x 0.1 / 4.
    assert report.marketer_average == pytest.approx(0.075)
    # Zayatz: P(X=1) for Hypergeometric(N=40, K=1, n=4) = 4/40 = 0.1 and for K=2:
    # 2 x C(38,3) / C(40,4) = 2 x 8436 / 91390 = 0.18461...; weighted by class shares
    # (2/3 x 0.1 + 1/3 x 0.18461) = 0.12820...; P(unique | sample unique) =
    # (2/3 x 0.1) / 0.12820 = 0.52; population uniques = 2 x 0.52 / 4 records = 0.26.
    expected_k2 = 2 * math.comb(38, 3) / math.comb(40, 4)
    weighted = 2 / 3 * 0.1 + 1 / 3 * expected_k2
    assert report.population_uniqueness == pytest.approx(2 * (2 / 3 * 0.1 / weighted) / 4)
    assert zayatz_uniqueness(np.array([2, 2]), 40) == 0.0
    without = assess({"q": group}, {}, rows=4)
    assert without.journalist == without.prosecutor
    assert without.population_uniqueness is None


def _naive_hierarchical(
    classes: list[list[str]], overall: list[str], hierarchy: CsvHierarchy
) -> float:
    """The definition transcribed: per class, per internal node, cost from the children."""
    leaves = sorted(set(overall))
    p = {v: overall.count(v) / len(overall) for v in leaves}
    worst = 0.0
    for members in classes:
        extra: dict[str, float] = {v: members.count(v) / len(members) - p[v] for v in leaves}
        total = 0.0
        for level in range(1, hierarchy.height + 1):
            parents: dict[str, list[float]] = {}
            for node, value in extra.items():
                leaf = next(v for v in leaves if hierarchy.path(v)[level - 1] == node)
                parents.setdefault(hierarchy.path(leaf)[level], []).append(value)
            for children in parents.values():
                pos = sum(x for x in children if x > 0)
                neg = -sum(x for x in children if x < 0)
                total += min(pos, neg) * level / hierarchy.height
            extra = {node: sum(children) for node, children in parents.items()}
        worst = max(worst, total)
    return worst


def test_hierarchical_distance_matches_the_definition_on_random_tables() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        values = [str(v) for v in rng.choice(list("abcd"), 30)]
        group = [str(g) for g in rng.integers(0, 5, 30)]
        report = assess({"g": group}, {"s": Sensitive(values, hierarchy=HIERARCHY)}, rows=30)
        classes = [[v for v, g in zip(values, group, strict=True) if g == c] for c in set(group)]
        assert report.diversity[0].t == pytest.approx(
            _naive_hierarchical(classes, values, HIERARCHY)
        )
