"""Loading checklists (built-in, our YAML format, deon format) and answers files.

Every problem is reported as ``InputError(file, "field.path: what is wrong")`` so the CLI
prints ``review: error: FILE: field.path: problem`` and exits 2.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from review.checklists.deon import DeonChecklist, from_deon
from review.checklists.model import AnswersFile, Checklist, is_url
from review.core.documents import read_yaml as read_document_yaml
from review.core.errors import InputError
from review.core.validation import every_problem, validate_model

# The closed registry of built-in checklists: id -> file in checklists/data/.
BUILTIN: dict[str, str] = {
    "ai-ethics": "ai-ethics.yaml",
    "pipl": "pipl.yaml",
    "gdpr": "gdpr.yaml",
    "genai-cn": "genai-cn.yaml",
    "eu-ai-act": "eu-ai-act.yaml",
}


def read_yaml(path: Path) -> Any:
    """Parse a UTF-8 YAML file; any problem is an InputError naming the file."""
    return read_document_yaml(path)


def is_deon_format(data: Any) -> bool:
    """deon's format: sections with ``lines`` rather than ``items``."""
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return False
    return any(isinstance(s, dict) and "lines" in s for s in data["sections"])


def load_checklist_file(path: Path, translation: Path | None = None) -> Checklist:
    """Load a checklist in our YAML format, or import one in deon's format."""
    data = read_yaml(path)
    if is_deon_format(data):
        deon = validate_model(DeonChecklist, data, path)
        zh = (
            validate_model(DeonChecklist, read_yaml(translation), translation)
            if translation
            else None
        )
        return from_deon(deon, path, zh, translation)
    if translation is not None:
        raise InputError(translation, "a translation applies only to deon-format checklists")
    return validate_model(Checklist, data, path)


def builtin_path(checklist_id: str) -> Path:
    """Where a built-in checklist's YAML lives."""
    return Path(str(resources.files("review.checklists") / "data" / BUILTIN[checklist_id]))


@cache  # built-in files are part of the package; models are frozen, so sharing is safe
def load_builtin(checklist_id: str) -> Checklist:
    """A built-in checklist by id."""
    if checklist_id not in BUILTIN:
        known = ", ".join(sorted(BUILTIN))
        raise InputError(None, f"unknown checklist '{checklist_id}' (built-in: {known})")
    checklist = load_checklist_file(builtin_path(checklist_id))
    if checklist.id != checklist_id:
        raise InputError(builtin_path(checklist_id), f"id: expected '{checklist_id}'")
    return checklist


def resolve_checklist(ref: str, translation: Path | None = None) -> Checklist:
    """A built-in id, or the path of a checklist file (ours or deon's)."""
    if ref in BUILTIN:
        if translation is not None:
            raise InputError(translation, "a translation applies only to deon-format checklists")
        return load_builtin(ref)
    path = Path(ref)
    if path.suffix.lower() in {".yaml", ".yml"} or path.exists():
        return load_checklist_file(path, translation)
    return load_builtin(ref)


def answers_problems(path: Path) -> tuple[AnswersFile | None, list[str]]:
    """The answers file and every problem that makes it invalid ('key.path: problem'),
    all of them, for ``checklist validate``; a YAML syntax error stops at itself."""
    data = read_yaml(path)
    if data is None:
        return None, ["empty file (expected a mapping with 'answers')"]
    if not isinstance(data, dict):
        return None, ["(top level): expected a mapping with 'answers'"]
    try:
        answers = AnswersFile.model_validate(data)
    except ValidationError as exc:
        return None, every_problem(exc)
    problems = []
    for item_id in sorted(answers.answers):
        for index, ref in enumerate(answers.answers[item_id].evidence):
            if not is_url(ref) and not evidence_path(path, ref).is_file():
                problems.append(f"answers.{item_id}.evidence[{index}]: no such file")
    return answers, problems


def load_answers(path: Path) -> AnswersFile:
    """Load an answers file; every file given as evidence must exist beside it."""
    answers, problems = answers_problems(path)
    if answers is None or problems:
        raise InputError(path, problems[0])
    return answers


def evidence_path(answers_file: Path, ref: str) -> Path:
    """An evidence path is relative to the answers file."""
    candidate = Path(ref)
    return candidate if candidate.is_absolute() else answers_file.parent / candidate


def check_item_ids(answers: AnswersFile, source: Path, known: set[str]) -> None:
    """Every answered id must name an item of a built-in (or given) checklist."""
    for item_id in sorted(answers.answers):
        if item_id not in known:
            raise InputError(source, f"answers.{item_id}: no such checklist item")


def all_builtin_item_ids() -> set[str]:
    """Ids of every item of every built-in checklist."""
    return {item for cid in BUILTIN for item in load_builtin(cid).item_ids()}
