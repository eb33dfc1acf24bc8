"""Small builders for hand-made tables and policies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from review.scanners.desensitisation.config import ColumnPolicy, Thresholds
from review.scanners.desensitisation.table import Table
from review.scanners.desensitisation.verify import Verification, verify


def table(rows: Sequence[Mapping[str, str]], source: str = "masked.csv") -> Table:
    return Table.from_rows(source, [(i + 1, r) for i, r in enumerate(rows)], list(rows[0]))


def policy(**columns: dict[str, Any]) -> dict[str, ColumnPolicy]:
    return {name: ColumnPolicy(**spec) for name, spec in columns.items()}


def run(
    masked: Sequence[Mapping[str, str]],
    columns: dict[str, ColumnPolicy],
    raw: Sequence[Mapping[str, str]] | None = None,
    **kwargs: Any,
) -> Verification:
    thresholds = kwargs.pop("thresholds", Thresholds(k=2, l=1, t=1.0, max_risk=0.5))
    # Attacks stop at their first recovery; a column nothing reverses spends the budget.
    kwargs.setdefault("attack_seconds", 0.5)
    return verify(
        table(masked),
        columns,
        thresholds,
        raw=table(raw, "raw.csv") if raw is not None else None,
        **kwargs,
    )


def rules(result: Verification) -> dict[tuple[str, str | None], int]:
    """(rule id, column) -> row of each finding, verdict and 'risk not assessed' excluded."""
    out = {}
    for finding in result.findings:
        if finding.rule_id not in (
            "desensitisation.verdict",
            "desensitisation.risk_not_assessed",
        ):
            loc = finding.location
            assert loc is not None
            out[(finding.rule_id.split(".", 1)[1], loc.column)] = loc.row or 0
    return out
