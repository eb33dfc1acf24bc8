"""File-level entry points shared by the stage and the CLI: verify, apply, suggest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from review.core.errors import InputError
from review.core.fsio import atomic_write
from review.core.progress import Progress
from review.core.stage import TextScanner
from review.scanners.desensitisation.apply import (
    Applier,
    Pseudonymiser,
    needs_key,
    refuse_overwrite,
    render,
)
from review.scanners.desensitisation.checks import ResidualHit
from review.scanners.desensitisation.config import ColumnPolicy, DatasetConfig, Thresholds
from review.scanners.desensitisation.table import Table, load_table
from review.scanners.desensitisation.verify import Verification, verify

# How many values per raw column the PII scan samples to decide what a column holds.
ENTITY_SAMPLE = 200
ENTITY_MIN_SHARE = 0.5


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset to verify or produce: files, row key, policy, thresholds."""

    masked: Path
    raw: Path | None = None
    key: str | None = None
    policy: Mapping[str, ColumnPolicy] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def from_config(cls, dataset: DatasetConfig) -> DatasetSpec:
        return cls(dataset.masked, dataset.raw, dataset.key, dataset.columns, dataset.thresholds)


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def find_dataset(
    datasets: Sequence[DatasetConfig], *, masked: Path | None = None, raw: Path | None = None
) -> DatasetConfig | None:
    """The configured dataset whose masked (or raw) file is the given one."""
    for dataset in datasets:
        if masked is not None and _same(dataset.masked, masked):
            return dataset
        if raw is not None and dataset.raw is not None and _same(dataset.raw, raw):
            return dataset
    return None


def column_entities(raw: Table, scanner: TextScanner) -> dict[str, str]:
    """What each raw column holds: the entity most sampled values are wholly made of."""
    found: dict[str, str] = {}
    for name in raw.columns:
        values = [v for v in raw.column(name) if v.strip()][:ENTITY_SAMPLE]
        if not values:
            continue
        votes: Counter[str] = Counter()
        for value in values:
            text = value.strip()
            covering = {e for s, end, e in scanner(text) if (end - s) * 5 >= len(text) * 4}
            votes.update(covering)
        if votes:
            entity, count = min(votes.items(), key=lambda item: (-item[1], item[0]))
            if count >= ENTITY_MIN_SHARE * len(values):
                found[name] = entity
    return found


def scan_residual(
    masked: Table,
    policy: Mapping[str, ColumnPolicy],
    scanner: TextScanner,
    progress: Progress,
) -> list[ResidualHit]:
    """PII hits left in the masked file (the detector reports no masked value)."""
    columns = [
        c
        for c in masked.columns
        if (p := policy.get(c)) is None or p.role not in ("quasi", "sensitive")
    ]
    hits = []
    for i in progress.track(range(len(masked)), "desensitisation: PII scan", len(masked)):
        for name in columns:
            value = masked.column(name)[i]
            if not value.strip():
                continue
            for start, end, entity in scanner(value):
                hits.append(ResidualHit(i, name, entity, start, end, value[start:end]))
    return hits


def verify_spec(
    spec: DatasetSpec,
    *,
    display: Callable[[Path], str],
    scanner: TextScanner | None,
    progress: Progress | None = None,
) -> Verification:
    """Load the dataset's files and run every check."""
    if not spec.masked.exists():
        raise InputError(display(spec.masked), "no such file")
    masked = load_table(spec.masked, display(spec.masked))
    raw = load_table(spec.raw, display(spec.raw)) if spec.raw is not None else None
    entities = column_entities(raw, scanner) if raw is not None and scanner else {}
    residual = (
        scan_residual(masked, spec.policy, scanner, progress or Progress()) if scanner else []
    )
    return verify(
        masked,
        spec.policy,
        spec.thresholds,
        raw=raw,
        key=spec.key,
        entities=entities,
        residual=residual,
    )


def apply_spec(
    spec: DatasetSpec,
    out: Path,
    *,
    key: bytes | None,
    display: Callable[[Path], str],
    scanner: TextScanner | None,
    progress: Progress | None = None,
) -> Verification:
    """Desensitise ``spec.raw`` into ``out`` under the policy, then verify ``out``."""
    if spec.raw is None:
        raise InputError(None, "apply needs the raw file")
    refuse_overwrite(spec.raw, out)
    if needs_key(spec.policy) and key is None:
        raise InputError(None, "the policy hashes or pseudonymises columns: a key is needed")
    raw = load_table(spec.raw, display(spec.raw))
    applier = Applier(spec.policy, Pseudonymiser(key) if key else None, scanner)
    columns, rows = applier.apply(raw)
    atomic_write(out, render(out, columns, rows))
    # Rows keep their order, so the check matches them by position (the key may be dropped).
    produced = DatasetSpec(out, spec.raw, None, spec.policy, spec.thresholds)
    return verify_spec(produced, display=display, scanner=scanner, progress=progress)
