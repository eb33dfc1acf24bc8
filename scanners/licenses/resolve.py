"""Turn real-world license metadata into one SPDX expression, recording what won and why.

Evidence, strongest first:

1. a declared SPDX expression (PEP 639 ``License-Expression``; an SBOM's or npm's);
2. the license files' text, matched against the SPDX license texts, with exceptions
   (GCC, Classpath, Bootloader, Universal FOSS ...) and "or later" notices read;
3. the ``License`` metadata field (SPDX, or a known spelling such as "GPL v3");
4. ``License ::`` classifiers: several are all applicable (AND) unless the text says
   the package offers a choice (dual licensing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from review.scanners.licenses import spdx
from review.scanners.licenses.aliases import (
    AMBIGUOUS_CLASSIFIERS,
    CLASSIFIERS,
    classifier_name,
    from_alias,
)
from review.scanners.licenses.knowledge import is_gpl_family
from review.scanners.licenses.models import LicenseData, Resolution
from review.scanners.licenses.textmatch import TextFindings, scan_text

# Field values that say nothing: fall through to the next source of evidence.
_EMPTY = frozenset({"", "unknown", "none", "n/a", "noassertion", "other", "license", "see license"})
_LONG_TEXT = 200
_HEAD = 2000
"""Characters at the top of a license file read for a statement such as 'GPL 2.0+'."""
_MAX_FILE = 2_000_000
# Where a license file stops being about the package itself and lists what it bundles.
_BUNDLED = re.compile(
    r"^Name: .+\n(?:[A-Z][a-z]+: .*\n)*?Files: "
    r"|^\W*(?:Licenses? for )?Third[- ]Party (?:Components?|Software|Notices|Licenses)\b",
    re.MULTILINE | re.IGNORECASE,
)
_STATEMENT = re.compile(
    r"\b(?P<name>(?:GNU )?(?:A|L)?GPL|MPL|Apache|BSD|MIT|Artistic)"
    r"(?:[ -]?(?:v|version )?(?P<version>\d(?:\.\d)?))?(?P<plus>\+| or later)?"
    r"(?![\w-]*[ -]compatible)",
    re.IGNORECASE,
)
# Files that credit others (attribution notices, author lists) grant no license.
_NOT_A_LICENSE = re.compile(r"^(notice|authors|contributors|readme)", re.IGNORECASE)
# The CPython license is a stack (PSF-2.0 over BeOpen, CNRI and CWI terms, plus 0BSD
# for code in its documentation); the license granted today is the PSF's.
_PYTHON_STACK = frozenset(
    {"Python-2.0", "Python-2.0.1", "CNRI-Python", "CNRI-Python-GPL-Compatible"}
)


@dataclass(frozen=True)
class _Files:
    """What a package's license files say, together."""

    expression: str
    names: tuple[str, ...]
    confidence: float
    choice: bool


def resolve(data: LicenseData | None, unresolved: str | None = None) -> Resolution:
    """One SPDX expression for a dependency, with its provenance, or the reason there is none."""
    if data is None:
        return _none(unresolved or "the source carries no license data")
    if data.expression:
        found = spdx.normalise(data.expression) or from_alias(data.expression)
        if found:
            alias = "" if spdx.normalise(data.expression) else " (alias)"
            return Resolution(
                spdx=found,
                evidence=f"{data.expression_label}{alias}",
                confidence=1.0 if not alias else 0.95,
            )
    if data.ids:
        found_ids = [spdx.normalise(i) or from_alias(i) for i in data.ids]
        named = [from_alias(n) for n in data.names]
        if all(found_ids) and all(named):
            every = sorted({f for f in [*found_ids, *named] if f})
            return Resolution(spdx=_join(every, "AND"), evidence="license ids", confidence=1.0)
    field = (data.field or "").strip()
    field_value = _field_value(field)
    classifiers = _classifiers(data)
    files = _from_files(data.files)
    if files is not None:
        expression = _later_from_metadata(files.expression, field_value, classifiers)
        return Resolution(
            spdx=expression,
            evidence=_over(
                f"license file text ({', '.join(files.names)}, SPDX text match "
                f"{files.confidence:.2f})",
                field,
                classifiers,
            ),
            confidence=files.confidence,
        )
    if field_value is not None:
        expression, how = field_value
        return Resolution(
            spdx=expression,
            evidence=_over(f"License field{how}", None, classifiers),
            confidence=1.0 if not how else 0.9,
        )
    names = [n for n in data.names if n.strip()]
    for name in names:
        found = spdx.normalise(name) or from_alias(name)
        if found:
            return Resolution(spdx=found, evidence="license name", confidence=0.95)
    from_classifiers = _from_classifiers(classifiers, _says_choice(field))
    if from_classifiers is not None:
        return from_classifiers
    if len(field) > _LONG_TEXT or "\n" in field:
        pasted = scan_text(field)
        if pasted.found:
            return Resolution(
                spdx=_combine([pasted]),
                evidence="license text in License field",
                confidence=min(share for _, share, _ in pasted.licenses),
            )
    return _none(_why_unresolved(data, field, classifiers))


def _later_from_metadata(
    expression: str, field_value: tuple[str, str] | None, classifiers: list[str]
) -> str:
    """A bare GNU license text says nothing of later versions; the metadata may
    ("GPLv2+" classifier): ``GPL-2.0-only`` from the text becomes ``-or-later``."""
    declared = {CLASSIFIERS[c] for c in classifiers if c in CLASSIFIERS}
    if field_value is not None:
        declared.update(spdx.keys(field_value[0]))
    for key in declared:
        if key.endswith("-or-later"):
            only = key.removesuffix("-or-later") + "-only"
            expression = re.sub(rf"(?<![\w.-]){re.escape(only)}(?![\w.-])", key, expression)
    return expression


def _field_value(field: str) -> tuple[str, str] | None:
    if field.lower() in _EMPTY or len(field) > _LONG_TEXT:
        return None
    found = spdx.normalise(field)
    if found:
        return found, ""
    alias = from_alias(field)
    if alias:
        return alias, f" '{field}' (alias)"
    return None


def _classifiers(data: LicenseData) -> list[str]:
    names = [classifier_name(c) for c in data.classifiers if c.startswith("License ::")]
    return [n for n in names if n != "OSI Approved"]


def _over(winner: str, field: str | None, classifiers: list[str]) -> str:
    """``winner``, naming the weaker evidence it was ranked over."""
    beaten = []
    if field and field.lower() not in _EMPTY and len(field) <= _LONG_TEXT:
        beaten.append(f"License field '{field}'")
    if classifiers:
        beaten.append(f"classifiers {', '.join(classifiers)}")
    return f"{winner} over {' and '.join(beaten)}" if beaten else winner


def _from_classifiers(names: list[str], choice: bool) -> Resolution | None:
    if not names or any(n not in CLASSIFIERS for n in names):
        return None  # an ambiguous or unknown classifier: the license file must decide
    ids = sorted({CLASSIFIERS[n] for n in names})
    if len(ids) == 1:
        return Resolution(spdx=ids[0], evidence="classifier", confidence=1.0)
    if choice:
        return Resolution(
            spdx=_join(ids, "OR"),
            evidence="classifiers (several; the License field offers a choice)",
            confidence=0.9,
        )
    # Several classifiers without a stated choice: every license applies.
    return Resolution(
        spdx=_join(ids, "AND"),
        evidence="classifiers (several, all applicable: no text offers a choice)",
        confidence=0.9,
    )


def _says_choice(field: str) -> bool:
    return bool(re.search(r"\b(or|either|dual|choice)\b", field, re.IGNORECASE))


def _from_files(files: tuple[Path, ...]) -> _Files | None:
    findings: list[TextFindings] = []
    names: list[str] = []
    readable = [p for p in files if not _NOT_A_LICENSE.match(p.name)] or list(files)
    statements: list[list[str]] = []
    for path in readable:
        try:
            with path.open("rb") as handle:
                text = handle.read(_MAX_FILE).decode("utf-8", errors="replace")
        except OSError:
            continue
        own = _own_part(text)
        found = scan_text(own)
        # A statement names licenses whose text is not there only when it lists choices
        # ("GPL 2.0+/LGPL 2.1+/MPL 1.1 tri-license") or is all the file says; otherwise
        # it may only add "or later" to a text found ("GPL-compatible" names nothing).
        said = _statements(own[:_HEAD], bare=not found.found)
        if not found.choice and found.found:
            said = [s for s in said if s.endswith("-or-later")]
        if found.found or said or found.choice:
            findings.append(found)
            statements.append(said)
            if found.found or said:
                names.append(path.name)
    if not any(f.found for f in findings) and not any(statements):
        return None
    expression = _combine(findings, statements)
    shares = [share for f in findings for _, share, _ in f.licenses] or [0.9]
    return _Files(expression, tuple(names), min(shares), any(f.choice for f in findings))


def _own_part(text: str) -> str:
    """The package's own license: the text before any list of bundled components."""
    match = _BUNDLED.search(text)
    return text[: match.start()] if match and match.start() > 0 else text


def _statements(text: str, bare: bool = True) -> list[str]:
    """Licenses a statement names with a version ("GPL 2.0+/LGPL 2.1+/MPL 1.1 tri-license").

    A name without a version ("distributed under GPL, LGPL and/or MPL") counts only when
    the statement names no version of that license anywhere.
    """
    versioned: list[str] = []
    unversioned: list[str] = []
    for match in _STATEMENT.finditer(text):
        name = match.group("name").lower().removeprefix("gnu ")
        version = match.group("version") or ""
        if version and "." not in version:
            version += ".0"
        plus = "+" if match.group("plus") else ""
        if version:
            found = from_alias(f"{name} {version}{plus}")
            if found and found not in versioned:
                versioned.append(found)
        elif name not in unversioned:
            unversioned.append(name)
    named = {_family(k) for k in versioned}
    for name in unversioned if bare else ():
        found = from_alias(name)
        if found and _family(found) not in named and found not in versioned:
            versioned.append(found)
    return versioned


def _family(key: str) -> str:
    """``GPL`` for GPL-2.0-or-later, ``Artistic`` for Artistic-1.0-Perl."""
    match = re.match(r"[A-Za-z]+", key)
    return match.group(0) if match else key


def _combine(findings: list[TextFindings], statements: Sequence[list[str]] = ()) -> str:
    """One expression from every file's findings (``statements[i]`` goes with file ``i``).

    A file that offers a choice ("dual licensed", "either") makes its own licenses an
    OR; a file that only states a choice between the other files ("either of the
    licenses found in LICENSE.APACHE or LICENSE.BSD") makes them all an OR; separate
    files otherwise all apply (AND). License texts name the license; statements add what
    texts cannot say ("2.1+") and licenses whose text is not shipped.
    """
    groups: list[tuple[list[str], bool]] = []
    exceptions: list[str] = []
    between_files = False
    for number, found in enumerate(findings):
        keys = [k for k, _, _ in found.licenses]
        said = statements[number] if number < len(statements) else []
        texts = {_family(k) for k in keys}
        for key in said:
            same = f"{key.removesuffix('-or-later')}-only"
            if same in keys:
                keys[keys.index(same)] = key
            elif _family(key) not in texts and key not in keys:
                keys.append(key)
        exceptions += [e for e in found.exceptions if e not in exceptions]
        if keys:
            groups.append((_python_stack(keys), found.choice))
        if found.choice and not found.found:
            between_files = True
    every = _merge_versions([k for keys, _ in groups for k in keys])
    # LGPL-3.0 is GPL-3.0 plus permissions: its packages ship both texts.
    if any(k.startswith("LGPL-3.0") for k in every):
        every = [k for k in every if not k.startswith("GPL-3.0")]
    upgraded = {re.sub(r"-(only|or-later)$", "", k): k for k in every}
    attached = dict(zip(every, _attach(every, exceptions), strict=True))
    parts: list[str] = []
    used: set[str] = set()
    for keys, choice in groups:
        final = []
        for key in keys:
            key = upgraded.get(re.sub(r"-(only|or-later)$", "", key), key)
            if key in attached and key not in used:
                used.add(key)
                final.append(attached[key])
        if not final:
            continue
        if between_files or not choice:
            parts += final
        else:
            parts.append(_join(final, "OR"))
    return _join(parts, "OR" if between_files else "AND")


def _python_stack(keys: list[str]) -> list[str]:
    """The CPython license stack read as the PSF License Agreement it grants today."""
    if not set(keys) & _PYTHON_STACK:
        return keys
    out = ["PSF-2.0"]
    out += [k for k in keys if k not in _PYTHON_STACK and k != "0BSD" and k not in out]
    return out


def _merge_versions(keys: list[str]) -> list[str]:
    """One id per license: an "or later" statement upgrades the same version's text."""
    out: list[str] = []
    for key in keys:
        base = re.sub(r"-(only|or-later)$", "", key)
        same = [k for k in out if re.sub(r"-(only|or-later)$", "", k) == base]
        if same:
            if key.endswith("-or-later") and same[0].endswith("-only"):
                out[out.index(same[0])] = key
            continue
        out.append(key)
    return out


def _attach(keys: list[str], exceptions: list[str]) -> list[str]:
    """Put each exception on the license it modifies (LLVM on Apache, others on GNU)."""
    out = list(keys)
    for exception in exceptions:
        target = next(
            (
                i
                for i, k in enumerate(out)
                if " WITH " not in k
                and (k == "Apache-2.0" if exception == "LLVM-exception" else is_gpl_family(k))
            ),
            None,
        )
        if target is not None:
            out[target] = f"{out[target]} WITH {exception}"
    return out


def _why_unresolved(data: LicenseData, field: str, classifiers: list[str]) -> str:
    ambiguous = [c for c in classifiers if c in AMBIGUOUS_CLASSIFIERS]
    if ambiguous:
        return (
            f"classifier '{ambiguous[0]}' names a license family, and no license file "
            "identifies which license"
        )
    if field and field.lower() not in _EMPTY:
        return "License field is free text that is not an SPDX expression nor a known license"
    if data.expression and data.expression.upper().startswith("SEE LICENSE IN"):
        return (
            f"{data.expression_label} points to a file inside the package "
            "('SEE LICENSE IN ...'), which the source does not include"
        )
    if data.expression:
        return f"{data.expression_label} is not a valid SPDX expression"
    if data.ids:
        return "declared license id(s) are not valid SPDX ids"
    if data.names:
        return "declared license name(s) are neither SPDX ids nor known spellings"
    if data.files:
        return "license file text matches no SPDX license text"
    return "no license metadata (no expression, classifier, License field or license file)"


def _join(ids: list[str], op: str) -> str:
    if len(ids) == 1:
        return ids[0]
    return f" {op} ".join(f"({i})" if " AND " in i or " OR " in i else i for i in ids)


def _none(problem: str) -> Resolution:
    return Resolution(spdx=None, evidence="none", confidence=0.0, problem=problem)
