"""How people spell licenses outside SPDX: trove classifiers and free-text names.

Tested against the real metadata of popular distributions (tests/licenses/test_resolve.py).
"""

from __future__ import annotations

import re

from review.scanners.licenses import spdx

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
    "BSD License": ("0BSD", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause"),
    "GNU General Public License (GPL)": (
        "GPL-1.0-or-later",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
    ),
    "GNU Lesser General Public License (LGPL)": ("LGPL-2.1-only", "LGPL-3.0-only"),
    "Artistic License": ("Artistic-1.0", "Artistic-1.0-Perl", "Artistic-2.0"),
    "Public Domain": ("CC0-1.0", "Unlicense"),
    "Freely Distributable": (),
    "Freeware": (),
}

# Free text seen in License fields and npm / SBOM names (lower case, runs of spaces,
# dashes and underscores as one space), as SPDX.
ALIASES: dict[str, str] = {
    "mit": "MIT",
    "mit license": "MIT",
    "the mit license": "MIT",
    "mit style": "MIT",
    "mit x11": "MIT",
    "mit/x11": "MIT",
    "expat": "MIT",
    "expat mit": "MIT",
    "apache": "Apache-2.0",
    "apache2": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "apache license": "Apache-2.0",
    "apache license 2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache license version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "apache software license 2.0": "Apache-2.0",
    "asl 2.0": "Apache-2.0",
    "asl2": "Apache-2.0",
    "isc": "ISC",
    "isc license": "ISC",
    "isc license (iscl)": "ISC",
    "psf": "PSF-2.0",
    "psf license": "PSF-2.0",
    "psfl": "PSF-2.0",
    "python software foundation license": "PSF-2.0",
    # "BSD" alone names a family; read as its most common member (3-clause) only when no
    # license file says more, and the evidence says so.
    "bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "bsd style": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "modified bsd": "BSD-3-Clause",
    "modified bsd license": "BSD-3-Clause",
    "3 clause bsd": "BSD-3-Clause",
    "bsd 3 clause": "BSD-3-Clause",
    "bsd 3": "BSD-3-Clause",
    "bsd3": "BSD-3-Clause",
    "simplified bsd": "BSD-2-Clause",
    "2 clause bsd": "BSD-2-Clause",
    "bsd 2 clause": "BSD-2-Clause",
    "mpl 1.1": "MPL-1.1",
    "mpl 2.0": "MPL-2.0",
    "mpl2": "MPL-2.0",
    "mozilla public license 2.0": "MPL-2.0",
    "gpl": "GPL-1.0-or-later",
    "gnu gpl": "GPL-1.0-or-later",
    "gplv2": "GPL-2.0-only",
    "gpl v2": "GPL-2.0-only",
    "gpl 2.0": "GPL-2.0-only",
    "gpl2": "GPL-2.0-only",
    "gnu gplv2": "GPL-2.0-only",
    "gplv2+": "GPL-2.0-or-later",
    "gpl 2.0+": "GPL-2.0-or-later",
    "gplv2 or later": "GPL-2.0-or-later",
    "gplv3": "GPL-3.0-only",
    "gpl v3": "GPL-3.0-only",
    "gpl 3.0": "GPL-3.0-only",
    "gpl3": "GPL-3.0-only",
    "gplv3+": "GPL-3.0-or-later",
    "gpl 3.0+": "GPL-3.0-or-later",
    "gplv3 or later": "GPL-3.0-or-later",
    "lgpl": "LGPL-2.0-or-later",
    "lgplv2": "LGPL-2.0-only",
    "lgplv2+": "LGPL-2.0-or-later",
    "lgpl 2.1": "LGPL-2.1-only",
    "lgplv2.1": "LGPL-2.1-only",
    "lgpl 2.1+": "LGPL-2.1-or-later",
    "lgplv2.1+": "LGPL-2.1-or-later",
    "lgplv3": "LGPL-3.0-only",
    "lgpl v3": "LGPL-3.0-only",
    "lgplv3+": "LGPL-3.0-or-later",
    "agplv3": "AGPL-3.0-only",
    "agpl v3": "AGPL-3.0-only",
    "agplv3+": "AGPL-3.0-or-later",
    "artistic": "Artistic-1.0-Perl",
    "artistic license": "Artistic-1.0-Perl",
    "zpl 2.1": "ZPL-2.1",
    "public domain": "LicenseRef-Public-Domain",
    "unlicense": "Unlicense",
    "zlib": "Zlib",
    "proprietary": "LicenseRef-Proprietary",
    "commercial": "LicenseRef-Proprietary",
    "unlicensed": "LicenseRef-Proprietary",
}
# Named exceptions in free text ("with FOSS License Exception").
EXCEPTION_ALIASES: dict[str, str] = {
    "foss license exception": "Universal-FOSS-exception-1.0",
    "foss exception": "Universal-FOSS-exception-1.0",
    "universal foss exception": "Universal-FOSS-exception-1.0",
    "bootloader exception": "Bootloader-exception",
    "classpath exception": "Classpath-exception-2.0",
    "gcc runtime library exception": "GCC-exception-3.1",
    "llvm exception": "LLVM-exception",
}

_SPACE = re.compile(r"[\s_-]+")
_PARTS = re.compile(r"\s+(?:or|and)\s+|\s*/\s*|\s*,\s*|\s*\|\s*", re.IGNORECASE)
_WITH = re.compile(r"\s*\(?\bwith\b\s+(?:an?\s+|the\s+)?(.+?)\)?\s*$", re.IGNORECASE)


def key_of(text: str) -> str:
    """The alias table's key for a spelling."""
    return _SPACE.sub(" ", text.strip().strip("()").lower()).strip()


def classifier_name(classifier: str) -> str:
    """Last part of a ``License :: ...`` classifier (also accepted without the prefix)."""
    return classifier.split(" :: ")[-1].strip()


def from_classifier(text: str) -> str | None:
    """An SPDX id for a classifier string (a CycloneDX license name can be one).

    A family classifier (``BSD License``) inside an SBOM has no license file beside it
    to settle it, so it is read through the alias table like the same words would be.
    """
    if not text.startswith("License ::"):
        return None
    name = classifier_name(text)
    return CLASSIFIERS.get(name) or ALIASES.get(key_of(name))


def from_alias(text: str) -> str | None:
    """An SPDX expression for free text: one alias, a classifier, ``X WITH exception``,
    or several aliases joined by or / and / ``/`` (``Artistic OR GPL``, ``MIT/X11``)."""
    text = text.strip()
    if not text or len(text) > 200 or "\n" in text:
        return None
    direct = ALIASES.get(key_of(text)) or from_classifier(text)
    if direct:
        return direct
    exception = None
    with_match = _WITH.search(text)
    if with_match:
        exception = EXCEPTION_ALIASES.get(key_of(with_match.group(1)))
        if exception is None:
            return None
        text = text[: with_match.start()]
        base = ALIASES.get(key_of(text)) or spdx.normalise(text)
        if base is None or " " in base:
            return None
        return f"{base} WITH {exception}"
    if key_of(text) in ALIASES:
        return ALIASES[key_of(text)]
    parts = [p for p in _PARTS.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    found = [ALIASES.get(key_of(p)) or spdx.normalise(p) for p in parts]
    if not all(found):
        return None
    operator = " AND " if re.search(r"\band\b", text, re.IGNORECASE) else " OR "
    unique = list(dict.fromkeys(f for f in found if f))
    return operator.join(f"({f})" if " " in f else f for f in unique)
