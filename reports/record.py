"""Reading review.json for the report, keeping its exact bytes (they are the evidence)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from review.errors import InputError
from review.models import Review


def _drop_fingerprints(data: Any) -> Any:
    # review.json carries each finding's computed fingerprint for readers; the model
    # recomputes it and (on this branch's foundation) rejects it as an unknown key.
    if isinstance(data, dict):
        stages = data.get("stages")
        if isinstance(stages, list):
            for stage in stages:
                findings = stage.get("findings") if isinstance(stage, dict) else None
                if isinstance(findings, list):
                    for finding in findings:
                        if isinstance(finding, dict):
                            finding.pop("fingerprint", None)
    return data


def parse_review(raw: bytes, source: str | Path) -> Review:
    """Validate review.json bytes; errors name ``source`` and the key path."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(source, "not UTF-8 encoded") from None
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("schema") != "review/1":
        raise InputError(source, 'not a review record (expected "schema": "review/1")')
    try:
        return Review.model_validate(_drop_fingerprints(data))
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(source, f"{loc}: {first['msg']}") from None


def read_review(path: Path) -> tuple[Review, bytes]:
    """The review in ``path`` and the file's bytes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a review.json") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_review(raw, path), raw
