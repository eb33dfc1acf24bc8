"""Apply a desensitisation policy to a raw table, then verify the result.

Masks and free-text redaction go through Presidio's anonymizer operators; hashes and
pseudonyms are keyed (HMAC-SHA-256) with a key read from an environment variable or a
file and never written anywhere.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from review.core.errors import InputError
from review.core.fsio import read_input
from review.core.masking import MASK_CHAR, MaskShape, mask
from review.core.stage import TextScanner
from review.scanners.desensitisation.anonymise import Levels, NoSolution, Solution, Targets, search
from review.scanners.desensitisation.config import ColumnPolicy, Thresholds
from review.scanners.desensitisation.generalise import parse_rule
from review.scanners.desensitisation.hierarchy import resolve
from review.scanners.desensitisation.missing import is_missing
from review.scanners.desensitisation.risk import Sensitive
from review.scanners.desensitisation.table import Table

KEY_ENV = "REVIEW_PSEUDONYM_KEY"
SUPPRESSED = MASK_CHAR
MIN_KEY_BYTES = 16


def load_key(key_file: Path | None, env: Mapping[str, str] | None = None) -> bytes:
    """The pseudonym key: from ``key_file`` if given, else from $REVIEW_PSEUDONYM_KEY."""
    if key_file is not None:
        key = read_input(key_file, "key file").strip()
        source: str | Path = key_file
    else:
        key = (env if env is not None else os.environ).get(KEY_ENV, "").encode("utf-8")
        source = f"${KEY_ENV}"
    if len(key) < MIN_KEY_BYTES:
        raise InputError(
            source,
            f"a pseudonym key of at least {MIN_KEY_BYTES} bytes is needed "
            f"(set ${KEY_ENV} or give --key-file)",
        )
    return key


@dataclass(frozen=True)
class Pseudonymiser:
    """Keyed, deterministic tokens: the same value always gives the same token."""

    key: bytes

    def digest(self, value: str) -> bytes:
        return hmac.new(self.key, value.encode("utf-8"), hashlib.sha256).digest()

    def hash(self, value: str) -> str:
        """``hash``: the full HMAC-SHA-256, hex."""
        return self.digest(value).hex()

    def pseudonym(self, value: str) -> str:
        """``pseudonymise``: a short readable token (100 bits of the HMAC, base32)."""
        return "P" + base64.b32encode(self.digest(value)).decode("ascii")[:20]


class Applier:
    """Turns raw cells into desensitised cells under one policy."""

    def __init__(
        self,
        policy: Mapping[str, ColumnPolicy],
        pseudonymiser: Pseudonymiser | None,
        free_text: TextScanner | None = None,
    ) -> None:
        # Presidio's anonymizer takes seconds to import: only apply pays for it, not check.
        from presidio_anonymizer import AnonymizerEngine

        self.policy = policy
        self.pseudonymiser = pseudonymiser
        self.free_text = free_text
        self.engine = AnonymizerEngine()  # type: ignore[no-untyped-call]

    def columns(self, raw: Table) -> list[str]:
        """Output columns: the raw ones minus those the policy drops."""
        return [c for c in raw.columns if self._policy(c).action != "drop"]

    def _policy(self, column: str) -> ColumnPolicy:
        # Columns the policy does not name may hold free text: their identifiers are
        # redacted. A column named 'keep' is released exactly as it is.
        return self.policy.get(column) or UNNAMED

    def cell(self, column: str, value: str) -> str:
        """One released cell (hierarchy-generalised columns are done by the search)."""
        policy = self._policy(column)
        if policy.action == "keep" or is_missing(value):
            # Missing stays missing under every treatment, so check reads it the same way.
            return value
        if policy.action == "mask" and policy.shape is not None:
            return self._mask(value, MaskShape.parse(policy.shape))
        if policy.action in ("hash", "pseudonymise"):
            keyed = self._keyed(column)
            return (
                keyed.hash(value.strip())
                if policy.action == "hash"
                else keyed.pseudonym(value.strip())
            )
        if policy.action == "generalise" and policy.rule is not None:
            return parse_rule(policy.rule).generalise(value) or SUPPRESSED
        if policy.action == "generalise":
            return value  # a hierarchy column: the lattice search sets its level
        if policy.action == "suppress":
            return SUPPRESSED
        if policy.action == "redact" and self.free_text is not None:
            return self._redact(value, self.free_text, policy.replace or "type")
        return value

    def _keyed(self, column: str) -> Pseudonymiser:
        if self.pseudonymiser is None:
            raise InputError(None, f"column {column!r} needs a pseudonym key")
        return self.pseudonymiser

    def _mask(self, value: str, shape: MaskShape) -> str:
        from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

        start, end = shape.span(value)
        if end <= start:
            return value
        result = self.engine.anonymize(
            value,
            [RecognizerResult("MASK", start, end, 1.0)],
            {
                "MASK": OperatorConfig(
                    "mask",
                    {"masking_char": MASK_CHAR, "chars_to_mask": end - start, "from_end": False},
                )
            },
            merge_entities_with_spaces=False,
        )
        text: str = result.text
        return text

    def replacement(self, text: str, entity: str, replace: str) -> str:
        """What one entity found in free text becomes."""
        if replace == "mask":
            return mask(text, entity)
        if replace == "pseudonym":
            token = self._keyed("redact").digest(f"{entity}\x1f{text.strip()}").hex()[:8]
            return f"<{entity}_{token}>"
        return f"<{entity}>"

    def _redact(self, value: str, scanner: TextScanner, replace: str) -> str:
        from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

        spans = scanner(value)
        if not spans:
            return value
        results = [RecognizerResult(entity, start, end, 1.0) for start, end, entity in spans]
        operators = {
            entity: OperatorConfig(
                "custom", {"lambda": partial(self.replacement, entity=entity, replace=replace)}
            )
            for _, _, entity in spans
        }
        text: str = self.engine.anonymize(value, results, operators).text
        return text

    def apply(
        self, raw: Table, thresholds: Thresholds
    ) -> tuple[list[str], dict[str, list[str]], Solution | None]:
        """The desensitised columns of ``raw`` and, with hierarchies, the search's choice."""
        columns = self.columns(raw)
        out = {c: [self.cell(c, v) for v in raw.column(c)] for c in columns}
        solution = self._generalise(raw, out, thresholds)
        return columns, out, solution

    def _generalise(
        self, raw: Table, out: dict[str, list[str]], limits: Thresholds
    ) -> Solution | None:
        """Search the hierarchy levels that meet the thresholds; write them into ``out``."""
        quasi = [c for c in out if self._policy(c).role == "quasi"]
        searched = {
            c: resolve(h)
            for c in quasi
            if (h := self._policy(c).hierarchy) is not None and self._policy(c).rule is None
        }
        if not searched:
            return None
        levels = [
            Levels.build(c, raw.column(c) if c in searched else out[c], searched.get(c))
            for c in quasi
        ]
        sensitive = [
            Sensitive(
                out[c], order=p.order, hierarchy=resolve(p.hierarchy) if p.hierarchy else None
            )
            for c in out
            if (p := self._policy(c)).role == "sensitive"
        ]
        # Record suppression writes '*' into every quasi-identifier, which a column the
        # policy keeps must not get: then no record can be suppressed.
        may_suppress = all(c in searched for c in quasi)
        k = limits.k
        if limits.max_risk is not None:
            k = max(k, math.ceil(1 / limits.max_risk))
        targets = Targets(
            k=k,
            l=limits.l if sensitive else 1,
            t=limits.t,
            l_entropy=limits.l_entropy,
            c=limits.c,
            max_suppression=limits.max_suppression if may_suppress else 0.0,
        )
        try:
            solution = search(levels, sensitive, targets, len(raw))
        except NoSolution as exc:
            raise InputError(raw.source, str(exc)) from None
        for column in levels:
            out[column.name] = [solution.value(column, i) for i in range(len(raw))]
        return solution


UNNAMED = ColumnPolicy(action="redact", role="other")


def needs_key(policy: Mapping[str, ColumnPolicy]) -> bool:
    return any(
        p.action in ("hash", "pseudonymise") or (p.action == "redact" and p.replace == "pseudonym")
        for p in policy.values()
    )


def render(out: Path, columns: list[str], data: Mapping[str, list[str]]) -> str:
    """The output file's text, in the format its suffix names."""
    suffix = out.suffix.lower()
    cells = zip(*(data[c] for c in columns), strict=True)
    rows = [dict(zip(columns, row, strict=True)) for row in cells]
    if suffix in (".csv", ".tsv"):
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer,
            fieldnames=columns,
            delimiter="\t" if suffix == ".tsv" else ",",
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    if suffix == ".jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    raise InputError(out, "unsupported output format: use .csv, .tsv or .jsonl")


def refuse_overwrite(raw_path: Path, out: Path) -> None:
    """Never write over the input."""
    same = out.resolve() == raw_path.resolve() or (
        out.exists() and raw_path.exists() and out.samefile(raw_path)
    )
    if same:
        raise InputError(out, "is the raw input file; refusing to overwrite it")
