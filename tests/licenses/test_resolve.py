"""Normalising real-world license metadata to SPDX, with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.scanners.licenses.models import LicenseData
from review.scanners.licenses.resolve import resolve
from review.scanners.licenses.textmatch import identify

BSD3 = """Copyright (c) 2005-2024, Example Developers.
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

* Redistributions of source code must retain the above copyright notice,
  this list of conditions and the following disclaimer.
* Redistributions in binary form must reproduce the above copyright notice,
  this list of conditions and the following disclaimer in the documentation.
* Neither the name of the copyright holder nor the names of its contributors
  may be used to endorse or promote products derived from this software without
  specific prior written permission.
"""
BSD2 = BSD3.split("* Neither")[0]
MIT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction. The above copyright notice and this
permission notice shall be included in all copies or substantial portions of the
Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND."""
GPL3_NOTICE = """GNU GENERAL PUBLIC LICENSE Version 3, 29 June 2007
The GNU General Public License is a free, copyleft license for software and other
kinds of works. TERMS AND CONDITIONS ... either version 3 of the License, or
(at your option) any later version."""


@pytest.mark.parametrize(
    ("data", "spdx", "evidence"),
    [
        (LicenseData(expression="MIT OR Apache-2.0"), "MIT OR Apache-2.0", "License-Expression"),
        (LicenseData(expression="gpl-2.0+"), "GPL-2.0-or-later", "License-Expression"),
        (LicenseData(classifiers=("License :: OSI Approved :: MIT License",)), "MIT", "classifier"),
        (
            LicenseData(classifiers=("License :: OSI Approved :: Apache Software License",)),
            "Apache-2.0",
            "classifier",
        ),
        (
            LicenseData(
                classifiers=(
                    "License :: OSI Approved :: Apache Software License",
                    "License :: OSI Approved :: MIT License",
                )
            ),
            "Apache-2.0 OR MIT",
            "classifiers (several, read as a choice)",
        ),
        (LicenseData(field="BSD-3-Clause"), "BSD-3-Clause", "License field"),
        (LicenseData(field="Apache 2.0"), "Apache-2.0", "License field (alias)"),
        (LicenseData(field=BSD3 * 3), "BSD-3-Clause", "license text in License field"),
        (LicenseData(ids=("MIT", "Zlib")), "MIT AND Zlib", "license id"),
        (LicenseData(names=("The MIT License",)), "MIT", "license name (alias)"),
        (
            LicenseData(expression="LicenseRef-Acme-EULA"),
            "LicenseRef-Acme-EULA",
            "License-Expression",
        ),
    ],
)
def test_normalisation(data: LicenseData, spdx: str, evidence: str) -> None:
    found = resolve(data)
    assert (found.spdx, found.evidence) == (spdx, evidence)


def test_ambiguous_bsd_classifier_is_settled_by_the_license_file(tmp_path: Path) -> None:
    license_file = tmp_path / "LICENSE"
    license_file.write_text(BSD2, encoding="utf-8")
    data = LicenseData(
        classifiers=("License :: OSI Approved :: BSD License",), field="BSD", files=(license_file,)
    )
    found = resolve(data)
    assert found.spdx == "BSD-2-Clause"
    assert found.evidence == "license file LICENSE (text match 1.00)"
    assert found.confidence == 1.0


def test_ambiguous_classifier_without_file_says_why() -> None:
    found = resolve(LicenseData(classifiers=("License :: OSI Approved :: BSD License",)))
    assert found.spdx is None
    assert "names a license family" in (found.problem or "")


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("UNKNOWN", "no license metadata"),
        ("Dual License", "names no specific license"),
        ("Free for non-commercial use", "free text"),
    ],
)
def test_unresolved_reasons(field: str, problem: str) -> None:
    found = resolve(LicenseData(field=field))
    assert found.spdx is None
    assert problem in (found.problem or "")


@pytest.mark.parametrize(
    "text", ["MIT; GNU Lesser General Public License v2", "MIT AND", "a b c d", "x" * 600]
)
def test_invalid_spdx_strings_are_rejected_not_crashing(text: str) -> None:
    from review.scanners.licenses.spdx import normalise

    assert normalise(text) is None


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            LicenseData(expression="SEE LICENSE IN LICENSE.txt", expression_label="license field"),
            "points to a file inside the package",
        ),
        (LicenseData(expression="Totally-Made-Up-1.0"), "not a valid SPDX expression"),
        (LicenseData(ids=("Not-An-Id-9",)), "not valid SPDX ids"),
    ],
)
def test_invalid_declarations_say_why(data: LicenseData, problem: str) -> None:
    found = resolve(data)
    assert found.spdx is None
    assert problem in (found.problem or "")


def test_no_license_data_at_all() -> None:
    found = resolve(None, "no license field in the lock")
    assert (found.spdx, found.problem) == (None, "no license field in the lock")


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (BSD3, "BSD-3-Clause"),
        (BSD2, "BSD-2-Clause"),
        (MIT, "MIT"),
        (GPL3_NOTICE, "GPL-3.0-or-later"),
    ],
)
def test_text_identification(text: str, spdx: str) -> None:
    match = identify(text)
    assert match is not None
    assert match.spdx == spdx
    assert 0.6 <= match.confidence <= 1.0


def test_text_identification_gives_up_on_prose() -> None:
    assert identify("All rights reserved. Do not copy. 保留所有权利。") is None


def test_36k_license_text_in_field_is_fast_and_identified() -> None:
    field = (BSD3 + "\n") * (36_050 // len(BSD3) + 1)
    found = resolve(LicenseData(field=field[:36_050]))
    assert found.spdx == "BSD-3-Clause"
