"""Turning pydantic validation errors into one line: ``file: key.path[2]: problem``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from review.core.errors import InputError

_MESSAGES = {"extra_forbidden": "unknown key", "missing": "missing required key"}

# Names pydantic puts in an error's loc for the members of a union; not keys of the file.
_UNION_TAGS = {"Text", "str", "constrained-str", "int", "float", "bool"}

M = TypeVar("M", bound=BaseModel)


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('sections', 0, 'title', 'zh')`` -> ``sections[0].title.zh``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def first_problem(exc: ValidationError) -> tuple[tuple[int | str, ...], str]:
    """The key path and message of the error that says most about what is wrong."""
    errors = exc.errors(include_url=False, include_input=False)
    # A value failing every member of a union (text or {en, zh}) yields one error per
    # member; the deepest one says most.
    first = max(errors, key=lambda e: len(_key_path(e["loc"])))
    message = _MESSAGES.get(first["type"], first["msg"][:1].lower() + first["msg"][1:])
    return _key_path(first["loc"]), message


def every_problem(exc: ValidationError) -> list[str]:
    """Each distinct key path with its problem, as ``key.path: problem`` (for commands
    that list every error in one run)."""
    by_path: dict[tuple[int | str, ...], list[Any]] = {}
    for error in exc.errors(include_url=False, include_input=False):
        by_path.setdefault(_key_path(error["loc"]), []).append(error)
    out = []
    for path, errors in by_path.items():
        # Within a union's failures the one reaching deepest says most.
        first = max(errors, key=lambda e: len(e["loc"]))
        message = _MESSAGES.get(first["type"], first["msg"][:1].lower() + first["msg"][1:])
        out.append(f"{field_path(path)}: {message}")
    # A union member's error at a parent path repeats what a deeper one says.
    return [p for p in out if not any(o != p and o.startswith(p.split(":")[0] + ".") for o in out)]


def validate_model(model: type[M], data: Any, source: str | Path) -> M:
    """Validate ``data``; the first error becomes ``source: field.path: problem``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        loc, message = first_problem(exc)
        raise InputError(source, f"{field_path(loc)}: {message}") from None


def _key_path(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    return tuple(p for p in loc if isinstance(p, int) or not _is_type_tag(p))


def _is_type_tag(part: str) -> bool:
    return part in _UNION_TAGS or part.startswith(("function-", "lax-", "json-or-python"))
