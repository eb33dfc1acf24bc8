"""The Apache Software Foundation's 3rd-party license policy (``--policy asf``).

Foundations apply stricter rules than the law: the ASF sorts licenses into Category A
(may be included), B (may be included in binary form only, appropriately labelled) and
X (may not be included). Source: https://www.apache.org/legal/resolved.html, whose
lists are transcribed here as SPDX ids. A license the policy does not list is left to
a person (the policy says to ask the Legal Affairs Committee).
"""

from __future__ import annotations

from enum import StrEnum


class AsfCategory(StrEnum):
    """The policy's three categories."""

    A = "A"
    B = "B"
    X = "X"


# "the following licenses are considered to be similar in terms to the Apache License 2.0",
# plus the works it treats as public domain (CC0, Public Domain Certification).
_CATEGORY_A = frozenset(
    {
        "Apache-2.0",
        "Apache-1.1",
        "PHP-3.01",
        "BSD-2-Clause",
        "BSD-2-Clause-Views",
        "BSD-3-Clause",
        "BSD-3-Clause-Clear",
        "BSD-3-Clause-LBNL",
        "0BSD",
        "PostgreSQL",
        "MIT",
        "MIT-0",
        "X11",
        "ISC",
        "SMLNJ",
        "ICU",
        "NCSA",
        "W3C",
        "W3C-19980720",
        "W3C-20150513",
        "Xnet",
        "Zlib",
        "Libpng",
        "libpng-2.0",
        "FSFAP",
        "FSFUL",
        "Bitstream-Vera",
        "AFL-3.0",
        "MS-PL",
        "PSF-2.0",
        "Python-2.0",
        "Python-2.0.1",
        "CNRI-Python",
        "HPND",
        "HPND-sell-variant",
        "APAFML",
        "BSL-1.0",
        "OGL-UK-3.0",
        "WTFPL",
        "Unicode-DFS-2015",
        "Unicode-DFS-2016",
        "Unicode-3.0",
        "ZPL-2.0",
        "UPL-1.0",
        "Unlicense",
        "MulanPSL-2.0",
        "CC0-1.0",
        "CC-PDDC",
        "LicenseRef-Public-Domain",
    }
)
# "Software under the following licenses may be included in binary form within an
# Apache product if the inclusion is appropriately labeled", and CC-BY / unmodified
# CC-BY-SA media under the same binary-only, labelled condition.
_CATEGORY_B = frozenset(
    {
        "CDDL-1.0",
        "CDDL-1.1",
        "CPL-1.0",
        "EPL-1.0",
        "EPL-2.0",
        "IPL-1.0",
        "MPL-1.0",
        "MPL-1.1",
        "MPL-2.0",
        "MPL-2.0-no-copyleft-exception",
        "SPL-1.0",
        "OSL-3.0",
        "ErlPL-1.1",
        "OFL-1.0",
        "OFL-1.1",
        "Ubuntu-font-1.0",
        "IPA",
        "Ruby",
        "CC-BY-2.5",
        "CC-BY-3.0",
        "CC-BY-4.0",
        "CC-BY-SA-2.5",
        "CC-BY-SA-3.0",
        "CC-BY-SA-4.0",
    }
)
# "The following licenses may NOT be included within Apache products".
_CATEGORY_X = frozenset(
    {
        "GPL-1.0-only",
        "GPL-1.0-or-later",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "LGPL-2.0-only",
        "LGPL-2.0-or-later",
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "QPL-1.0",
        "Sleepycat",
        "SSPL-1.0",
        "CPOL-1.02",
        "BSD-4-Clause",
        "BSD-4-Clause-UC",
        "NPL-1.0",
        "NPL-1.1",
        "JSON",
        "MS-LPL",
        "BUSL-1.1",
        "Elastic-2.0",
        "CC-BY-NC-1.0",
        "CC-BY-NC-2.0",
        "CC-BY-NC-2.5",
        "CC-BY-NC-3.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-NC-ND-4.0",
        "LicenseRef-scancode-commons-clause",
    }
)


def asf_category(key: str) -> AsfCategory | None:
    """The ASF category of one license key (``id`` or ``id WITH exception``), if listed."""
    base = key.split(" WITH ", 1)[0]
    if base in _CATEGORY_X:
        # "Special exceptions to the GNU GPL (e.g. GNU Classpath)" are Category X too.
        return AsfCategory.X
    if base in _CATEGORY_A:
        return AsfCategory.A  # an exception to a permissive license only adds permissions
    if " WITH " in key:
        return None  # an exception to a copyleft license: the policy lists none
    if base in _CATEGORY_B:
        return AsfCategory.B
    return None
