"""Reading and writing review.json."""

from __future__ import annotations

import json
from pathlib import Path

from review.errors import InputError
from review.fsio import atomic_write, read_input
from review.models import Review
from review.validation import validate_model


def save_review(review: Review, path: Path) -> None:
    """Write review.json atomically."""
    atomic_write(path, review.to_json())


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
    return validate_model(Review, data, source)


def read_review(path: Path) -> tuple[Review, bytes]:
    """The review in ``path`` and the file's exact bytes (the report attaches them)."""
    raw = read_input(path, "review.json")
    return parse_review(raw, path), raw


def load_review(path: Path) -> Review:
    """Read and validate a review.json."""
    return read_review(path)[0]
