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
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from review.core.errors import InputError
from review.core.masking import MASK_CHAR, MaskShape
from review.core.stage import TextScanner
from review.scanners.desensitisation.config import ColumnPolicy
from review.scanners.desensitisation.generalise import parse_rule
from review.scanners.desensitisation.table import Table

KEY_ENV = "REVIEW_PSEUDONYM_KEY"
SUPPRESSED = MASK_CHAR
MIN_KEY_BYTES = 16

# A free-text span found by the PII scan: (start, end, entity type).


def load_key(key_file: Path | None, env: Mapping[str, str] | None = None) -> bytes:
    """The pseudonym key: from ``key_file`` if given, else from $REVIEW_PSEUDONYM_KEY."""
    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            raise InputError(key_file, f"cannot read key file: {exc.strerror or exc}") from None
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
        self.policy = policy
        self.pseudonymiser = pseudonymiser
        self.free_text = free_text
        self.engine = AnonymizerEngine()  # type: ignore[no-untyped-call]

    def columns(self, raw: Table) -> list[str]:
        """Output columns: the raw ones minus those the policy drops."""
        return [c for c in raw.columns if self._policy(c).action != "drop"]

    def _policy(self, column: str) -> ColumnPolicy:
        # Columns the policy does not name are kept, but their free text is scanned.
        return self.policy.get(column) or ColumnPolicy(action="keep")

    def cell(self, column: str, value: str) -> str:
        policy = self._policy(column)
        if not value.strip():
            return value
        if policy.action == "mask" and policy.shape is not None:
            return self._mask(value, MaskShape.parse(policy.shape))
        if policy.action in ("hash", "pseudonymise"):
            if self.pseudonymiser is None:
                raise InputError(None, f"column {column!r} needs a pseudonym key")
            if policy.action == "hash":
                return self.pseudonymiser.hash(value.strip())
            return self.pseudonymiser.pseudonym(value.strip())
        if policy.action == "generalise" and policy.rule is not None:
            return parse_rule(policy.rule).generalise(value) or SUPPRESSED
        if policy.action == "suppress":
            return SUPPRESSED
        if policy.role == "other" and self.free_text is not None:
            return self._redact(value, self.free_text)
        return value

    def _mask(self, value: str, shape: MaskShape) -> str:
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

    def _redact(self, value: str, scanner: TextScanner) -> str:
        spans = scanner(value)
        if not spans:
            return value
        results = [RecognizerResult(entity, start, end, 1.0) for start, end, entity in spans]
        operators = {
            entity: OperatorConfig("replace", {"new_value": f"<{entity}>"})
            for _, _, entity in spans
        }
        text: str = self.engine.anonymize(value, results, operators).text
        return text

    def apply(self, raw: Table) -> tuple[list[str], list[dict[str, str]]]:
        """The desensitised rows of ``raw``."""
        columns = self.columns(raw)
        rows = []
        for i in range(len(raw)):
            rows.append({c: self.cell(c, raw.column(c)[i]) for c in columns})
        return columns, rows


def needs_key(policy: Mapping[str, ColumnPolicy]) -> bool:
    return any(p.action in ("hash", "pseudonymise") for p in policy.values())


def render(out: Path, columns: list[str], rows: list[dict[str, str]]) -> str:
    """The output file's text, in the format its suffix names."""
    suffix = out.suffix.lower()
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
