"""Turn real-world license metadata into one SPDX expression, recording where it came from."""

from __future__ import annotations

from pathlib import Path

from review.scanners.licenses import spdx
from review.scanners.licenses.models import LicenseData, Resolution
from review.scanners.licenses.textmatch import identify

# Trove classifiers (``License :: ...`` last part) that name exactly one SPDX license.
CLASSIFIERS: dict[str, str] = {
    "MIT License": "MIT",
    "MIT No Attribution License (MIT-0)": "MIT-0",
    "Apache Software License": "Apache-2.0",
    "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 1.0 (MPL)": "MPL-1.0",
    "Mozilla Public License 1.1 (MPL 1.1)": "MPL-1.1",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Library or Lesser General Public License (LGPL)": "LGPL-2.0-or-later",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "Eclipse Public License 1.0 (EPL-1.0)": "EPL-1.0",
    "Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "European Union Public Licence 1.1 (EUPL 1.1)": "EUPL-1.1",
    "European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
    "Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "Zope Public License": "ZPL-2.1",
    "zlib/libpng License": "Zlib",
    "The Unlicense (Unlicense)": "Unlicense",
    "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": "CC0-1.0",
    "Academic Free License (AFL)": "AFL-3.0",
    "Artistic License": "Artistic-2.0",
    "Common Development and Distribution License 1.0 (CDDL-1.0)": "CDDL-1.0",
    "Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "Universal Permissive License (UPL)": "UPL-1.0",
    "Mulan Permissive Software License v2 (MulanPSL-2.0)": "MulanPSL-2.0",
    "SIL Open Font License 1.1 (OFL-1.1)": "OFL-1.1",
    "University of Illinois/NCSA Open Source License": "NCSA",
    "W3C License": "W3C",
    "Other/Proprietary License": "LicenseRef-Proprietary",
}

# Classifiers naming a family, not a license: the license file must decide.
AMBIGUOUS_CLASSIFIERS: dict[str, tuple[str, ...]] = {
    "BSD License": ("0BSD", "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause"),
    "GNU General Public License (GPL)": (
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
    ),
    "GNU Lesser General Public License (LGPL)": ("LGPL-2.1-only", "LGPL-3.0-only"),
    "Public Domain": ("CC0-1.0", "Unlicense"),
    "Freely Distributable": (),
    "Freeware": (),
}

# Free text seen in License fields and npm/SBOM names, as SPDX (lower-cased keys).
ALIASES: dict[str, str] = {
    "mit license": "MIT",
    "the mit license": "MIT",
    "mit-style": "MIT",
    "expat": "MIT",
    "apache 2.0": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache license version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "asl 2.0": "Apache-2.0",
    "isc license": "ISC",
    "isc license (iscl)": "ISC",
    "psf": "PSF-2.0",
    "psf license": "PSF-2.0",
    "python software foundation license": "PSF-2.0",
    "new bsd": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "modified bsd": "BSD-3-Clause",
    "3-clause bsd": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause",
    "bsd-3": "BSD-3-Clause",
    "simplified bsd": "BSD-2-Clause",
    "2-clause bsd": "BSD-2-Clause",
    "bsd 2-clause": "BSD-2-Clause",
    "mpl 2.0": "MPL-2.0",
    "mozilla public license 2.0": "MPL-2.0",
    "gplv2": "GPL-2.0-only",
    "gplv2+": "GPL-2.0-or-later",
    "gplv3": "GPL-3.0-only",
    "gplv3+": "GPL-3.0-or-later",
    "lgplv2+": "LGPL-2.0-or-later",
    "lgplv3": "LGPL-3.0-only",
    "lgplv3+": "LGPL-3.0-or-later",
    "agplv3": "AGPL-3.0-only",
    "public domain": "LicenseRef-Public-Domain",
    "unlicense": "Unlicense",
    "zlib": "Zlib",
    "proprietary": "LicenseRef-Proprietary",
    "commercial": "LicenseRef-Proprietary",
    "unlicensed": "LicenseRef-Proprietary",
}

# Field values that say nothing: fall through to the next source of evidence.
_EMPTY = frozenset({"", "unknown", "none", "n/a", "noassertion", "other", "license", "see license"})
# Values naming a family only; the license file must decide.
_AMBIGUOUS_TEXT = frozenset({"bsd", "bsd license", "gpl", "lgpl", "dual license", "dual"})
_LONG_TEXT = 200


def resolve(data: LicenseData | None, unresolved: str | None = None) -> Resolution:
    """One SPDX expression for a dependency, with its provenance, or the reason there is none."""
    if data is None:
        return _none(unresolved or "the source carries no license data")
    if data.expression:
        found = spdx.normalise(data.expression)
        if found:
            return Resolution(spdx=found, evidence=data.expression_label, confidence=1.0)
        alias = ALIASES.get(data.expression.strip().strip("()").lower())
        if alias:
            return Resolution(
                spdx=alias, evidence=f"{data.expression_label} (alias)", confidence=0.95
            )
    if data.ids:
        found_ids = [spdx.normalise(i) for i in data.ids]
        if all(found_ids):
            return Resolution(
                spdx=_join(sorted({f for f in found_ids if f}), "AND"),
                evidence="license id",
                confidence=1.0,
            )
    field = (data.field or "").strip()
    names = [n for n in data.names if n.strip()]
    for text, label in [(field, "License field"), *((n, "license name") for n in names)]:
        if text.lower() in _EMPTY or len(text) > _LONG_TEXT:
            continue
        found = spdx.normalise(text)
        if found:
            return Resolution(spdx=found, evidence=label, confidence=1.0)
    classifier = _from_classifiers(data)
    if classifier is not None:
        return classifier
    for text, label in [(field, "License field"), *((n, "license name") for n in names)]:
        alias = ALIASES.get(text.lower().strip())
        if alias:
            return Resolution(spdx=alias, evidence=f"{label} (alias)", confidence=0.95)
    if len(field) > _LONG_TEXT or "\n" in field:
        match = identify(field)
        if match:
            return Resolution(
                spdx=match.spdx,
                evidence="license text in License field",
                confidence=match.confidence,
            )
    from_file = _from_files(data.files, _ambiguous_choices(data))
    if from_file is not None:
        return from_file
    return _none(_why_unresolved(data, field))


def _from_classifiers(data: LicenseData) -> Resolution | None:
    names = [c.split(" :: ")[-1] for c in data.classifiers if c.startswith("License ::")]
    names = [n for n in names if n != "OSI Approved"]
    if not names:
        return None
    if any(n not in CLASSIFIERS for n in names):
        return None  # an ambiguous or unknown classifier: the license file must decide
    ids = sorted({CLASSIFIERS[n] for n in names})
    if len(ids) == 1:
        return Resolution(spdx=ids[0], evidence="classifier", confidence=1.0)
    # Several license classifiers are how packages declare a choice (dual licensing).
    return Resolution(
        spdx=_join(ids, "OR"), evidence="classifiers (several, read as a choice)", confidence=0.9
    )


def _ambiguous_choices(data: LicenseData) -> tuple[str, ...] | None:
    names = [c.split(" :: ")[-1] for c in data.classifiers if c.startswith("License ::")]
    for name in names:
        if name in AMBIGUOUS_CLASSIFIERS:
            return AMBIGUOUS_CLASSIFIERS[name]
    return None


def _from_files(files: tuple[Path, ...], allowed: tuple[str, ...] | None) -> Resolution | None:
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = identify(text)
        if match is None or (allowed and match.spdx not in allowed):
            continue
        return Resolution(
            spdx=match.spdx,
            evidence=f"license file {path.name} (text match {match.confidence:.2f})",
            confidence=match.confidence,
        )
    return None


def _why_unresolved(data: LicenseData, field: str) -> str:
    ambiguous = [
        c.split(" :: ")[-1]
        for c in data.classifiers
        if c.split(" :: ")[-1] in AMBIGUOUS_CLASSIFIERS
    ]
    if ambiguous:
        return (
            f"classifier '{ambiguous[0]}' names a license family, and no license file "
            "identifies which license"
        )
    if field.lower() in _AMBIGUOUS_TEXT:
        return f"License field '{field}' names no specific license and no license file decides"
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
    if data.files:
        return "license file text matches no known license"
    return "no license metadata (no expression, classifier, License field or license file)"


def _join(ids: list[str], op: str) -> str:
    return f" {op} ".join(f"({i})" if " " in i else i for i in ids)


def _none(problem: str) -> Resolution:
    return Resolution(spdx=None, evidence="none", confidence=0.0, problem=problem)
