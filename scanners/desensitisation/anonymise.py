"""Search the generalisation lattice for the least lossy transformation meeting the targets.

Each quasi-identifier with a hierarchy can be generalised to any of its levels; a node of
the lattice picks one level per attribute. A node is feasible when, after suppressing
the records of the groups that fail k, l (distinct, entropy, recursive) or t — at most
``max_suppression`` of them — every remaining group meets every target. Among feasible
nodes the one with the least information loss wins, measured as the normalised
certainty penalty (NCP, Xu et al. 2006: the share of a cell's domain its label covers,
averaged over cells; a suppressed cell counts 1), with the discernibility metric
(sum of squared group sizes, n for each suppressed record) as the tie-break.

Like the risk metrics, everything here works on integer-coded columns with numpy.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from review.scanners.desensitisation.hierarchy import TOP, Hierarchy
from review.scanners.desensitisation.risk import (
    ClassValues,
    Codes,
    Floats,
    Sensitive,
    code_sensitive,
    combine,
    factorise,
    per_class_closeness,
)

MAX_NODES = 50_000


class NoSolution(ValueError):
    """No node of the lattice meets the targets within the suppression limit."""


@dataclass(frozen=True)
class Targets:
    """What the release must meet."""

    k: int
    l: int = 1  # noqa: E741
    t: float = 1.0
    l_entropy: float | None = None
    c: float | None = None
    max_suppression: float = 0.0
    has_sensitive: bool = True


@dataclass(frozen=True)
class Levels:
    """One quasi-identifier coded at every level of its hierarchy."""

    name: str
    labels: tuple[tuple[str, ...], ...]  # per level: the label of each distinct raw value
    codes: tuple[Codes, ...]  # per level: per record, the code of its label
    widths: tuple[int, ...]  # per level: number of distinct labels
    loss: tuple[Floats, ...]  # per level: per record, the NCP of its cell

    @property
    def height(self) -> int:
        return len(self.codes) - 1

    @classmethod
    def build(cls, name: str, values: Sequence[str], hierarchy: Hierarchy | None) -> Levels:
        leaf_codes, _ = factorise(values)
        distinct: list[str] = list(dict.fromkeys(values))
        # dictionary_encode numbers values in first-seen order, as dict.fromkeys does.
        domain = max(len(distinct) - 1, 1)
        labels, codes, widths, losses = [], [], [], []
        for level in range((hierarchy.height if hierarchy else 0) + 1):
            at = [hierarchy.label(v, level) if hierarchy else v for v in distinct]
            index: dict[str, int] = {}
            mapped = np.array([index.setdefault(a, len(index)) for a in at], dtype=np.int64)
            covered = np.bincount(mapped, minlength=len(index))
            cell_loss = (covered[mapped] - 1) / domain
            # '*' covers the whole domain even when only one raw value maps to it.
            cell_loss[np.array([a == TOP for a in at], dtype=bool)] = 1.0
            labels.append(tuple(at))
            codes.append(mapped[leaf_codes])
            widths.append(len(index))
            losses.append(cell_loss[leaf_codes].astype(np.float64))
        return cls(name, tuple(labels), tuple(codes), tuple(widths), tuple(losses))


@dataclass(frozen=True)
class Solution:
    """The chosen transformation and what it costs."""

    levels: Mapping[str, int]
    suppressed: npt.NDArray[np.bool_]  # per record
    ncp: float
    discernibility: float
    nodes: int  # lattice nodes evaluated
    feasible: int  # of which met the targets

    def value(self, column: Levels, record: int) -> str:
        """The released value of one cell (``*`` for a suppressed record)."""
        if self.suppressed[record]:
            return TOP
        level = self.levels[column.name]
        return column.labels[level][int(column.codes[0][record])]


def failing_classes(
    class_ids: Codes, sizes: Codes, sensitive: Sequence[tuple[Sensitive, object]], targets: Targets
) -> npt.NDArray[np.bool_]:
    """Groups that miss k, or l / entropy-l / (c, l) / t for some sensitive attribute."""
    fails: npt.NDArray[np.bool_] = sizes < targets.k
    for spec, coded in sensitive:
        table = ClassValues.build(class_ids, sizes, coded, None)  # type: ignore[arg-type]
        fails |= table.distinct() < targets.l
        if targets.l_entropy is not None:
            fails |= np.exp(table.entropy()) < targets.l_entropy
        if targets.c is not None:
            fails |= ~(table.recursive_ratio(targets.l) < targets.c)
        fails |= per_class_closeness(table, spec, coded) > targets.t  # type: ignore[arg-type]
    return fails


def search(
    quasi: Sequence[Levels], sensitive: Sequence[Sensitive], targets: Targets, rows: int
) -> Solution:
    """The least lossy feasible node of the lattice (exhaustive: lattices here are small)."""
    ranges = [range(column.height + 1) for column in quasi]
    total = 1
    for r in ranges:
        total *= len(r)
    if total > MAX_NODES:
        raise NoSolution(
            f"{total:,} combinations of hierarchy levels to search (at most {MAX_NODES:,}): "
            "give fewer levels or fewer generalised quasi-identifiers"
        )
    coded = [(spec, code_sensitive(spec)) for spec in sensitive]
    limit = int(targets.max_suppression * rows)
    best: tuple[float, float, int, tuple[int, ...], npt.NDArray[np.bool_]] | None = None
    feasible = 0
    for node in itertools.product(*ranges):
        class_ids, sizes = combine(
            [
                (column.codes[level], column.widths[level])
                for column, level in zip(quasi, node, strict=True)
            ],
            rows,
        )
        fails = failing_classes(class_ids, sizes, coded, targets)
        suppressed = fails[class_ids]
        count = int(suppressed.sum())
        if count > limit:
            continue
        feasible += 1
        kept_sizes = sizes[~fails]
        per_cell = sum(
            (column.loss[level] for column, level in zip(quasi, node, strict=True)),
            np.zeros(rows, dtype=np.float64),
        )
        per_cell[suppressed] = len(quasi)
        ncp = float(per_cell.sum()) / (rows * max(len(quasi), 1))
        discernibility = float((kept_sizes.astype(np.float64) ** 2).sum()) + count * rows
        key = (ncp, discernibility, sum(node), node, suppressed)
        if best is None or key[:4] < best[:4]:
            best = key
    if best is None:
        raise NoSolution(
            f"no generalisation meets the targets with at most {targets.max_suppression:.0%} "
            "of records suppressed: allow more suppression, add hierarchy levels or lower "
            "the targets"
        )
    ncp, discernibility, _, node, suppressed = best
    return Solution(
        levels={column.name: level for column, level in zip(quasi, node, strict=True)},
        suppressed=suppressed,
        ncp=ncp,
        discernibility=discernibility,
        nodes=total,
        feasible=feasible,
    )


def information_loss(
    released: Mapping[str, Sequence[str]],
    raw: Mapping[str, Sequence[str]],
    hierarchies: Mapping[str, Hierarchy],
) -> tuple[float, float]:
    """NCP and discernibility of any release of ``raw``, row for row (to compare tools).

    A released cell costs what the label of its raw value's path it equals covers; a
    cell that is not on that path, and every cell of a record with ``*`` in every
    quasi-identifier, costs 1.
    """
    names = list(hierarchies)
    rows = len(raw[names[0]])
    cell_loss = np.zeros((rows, len(names)), dtype=np.float64)
    for j, name in enumerate(names):
        column = Levels.build(name, raw[name], hierarchies[name])
        leaf = column.codes[0]
        # label -> loss at each level (a label's loss depends on the label alone).
        by_label = [
            {label: float(column.loss[level][leaf == code][0]) for code, label in enumerate(labels)}
            for level, labels in enumerate(column.labels)
        ]
        values = released[name]
        for record in range(rows):
            value = values[record].strip()
            code = int(leaf[record])
            cost = 1.0
            for level, labels in enumerate(column.labels):
                if labels[code] == value:
                    cost = by_label[level][value]
                    break
            cell_loss[record, j] = cost
    suppressed = np.array(
        [all(released[n][r].strip() == TOP for n in names) for r in range(rows)], dtype=bool
    )
    cell_loss[suppressed] = 1.0
    kept = ["\x1f".join(released[n][r] for n in names) for r in range(rows) if not suppressed[r]]
    _, counts = np.unique(np.array(kept, dtype=str), return_counts=True)
    discernibility = float((counts.astype(np.float64) ** 2).sum()) + float(suppressed.sum()) * rows
    return float(cell_loss.mean()), discernibility
