"""What the engine knows about each license: its category, traits and relicensing paths.

The facts come from the license texts themselves (conversion clauses such as LGPL §3,
MPL-2.0 §3.3 "Secondary Licenses", GPL-3.0 §13, the EUPL-1.2 appendix) and the FSF's
list of GPL-incompatible free licenses. A license missing here is ``unknown`` and gets a
``review`` verdict: the engine never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from review.scanners.licenses import spdx


class Category(StrEnum):
    """License categories, from least to most restrictive for a proprietary product."""

    PUBLIC_DOMAIN = "public-domain"
    PERMISSIVE = "permissive"
    WEAK_COPYLEFT_FILE = "weak-copyleft-file"
    WEAK_COPYLEFT_LIBRARY = "weak-copyleft-library"
    STRONG_COPYLEFT = "strong-copyleft"
    NETWORK_COPYLEFT = "network-copyleft"
    SOURCE_AVAILABLE = "source-available"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"


COPYLEFT = frozenset(
    {
        Category.WEAK_COPYLEFT_FILE,
        Category.WEAK_COPYLEFT_LIBRARY,
        Category.STRONG_COPYLEFT,
        Category.NETWORK_COPYLEFT,
    }
)


class Trait(StrEnum):
    """Permissive-license terms that some copyleft licenses cannot accept."""

    ADVERTISING = "advertising-clause"
    GPL_INCOMPATIBLE = "gpl-incompatible-terms"
    PATENT_TERMINATION = "patent-termination"
    ACKNOWLEDGEMENT = "end-user-acknowledgement"


TRAIT_REASONS: dict[Trait, str] = {
    Trait.ADVERTISING: "its advertising clause is a further restriction the GPL family forbids",
    Trait.GPL_INCOMPATIBLE: "the FSF lists its terms (naming, choice-of-law or use restrictions) "
    "as GPL-incompatible",
    Trait.PATENT_TERMINATION: "its patent-termination and indemnity terms are further "
    "restrictions under GPL-2.0 / LGPL-2.x (GPL-3.0 accepts them)",
    Trait.ACKNOWLEDGEMENT: "its end-user acknowledgement clause is a further restriction "
    "under GPL-2.0 / LGPL-2.x",
}


@dataclass(frozen=True)
class Profile:
    """One license as the engine sees it."""

    category: Category
    traits: frozenset[Trait] = frozenset()
    rejects: frozenset[Trait] = frozenset()
    """Traits of permissive code this (copyleft) license cannot take in."""
    relicense_to: frozenset[str] = frozenset()
    """Copyleft licenses code under this license may be incorporated into, besides itself."""
    later_versions: tuple[str, ...] = ()
    """For ``-or-later`` ids: the ``-only`` versions a licensee may pick from, oldest first."""
    network_clause: bool = False


def _p(category: Category, *traits: Trait) -> Profile:
    return Profile(category=category, traits=frozenset(traits))


_GPL2_REJECTS = frozenset(Trait)
_GPL3_REJECTS = frozenset({Trait.ADVERTISING, Trait.GPL_INCOMPATIBLE})

_GPL2_FAMILY = frozenset(
    {
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    }
)
_GPL3_FAMILY = frozenset({"GPL-3.0-only", "GPL-3.0-or-later"})
_AGPL3_FAMILY = frozenset({"AGPL-3.0-only", "AGPL-3.0-or-later"})
_LGPL21_FAMILY = frozenset({"LGPL-2.1-only", "LGPL-2.1-or-later"})
_LGPL3_FAMILY = frozenset({"LGPL-3.0-only", "LGPL-3.0-or-later"})

_PERMISSIVE = [
    "0BSD",
    "AFL-1.1",
    "AFL-1.2",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "Beerware",
    "Bitstream-Vera",
    "blessing",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-2-Clause-Views",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-3-Clause-Open-MPI",
    "BSD-3-Clause-Modification",
    "BSD-3-Clause-Attribution",
    "BSD-3-Clause-LBNL",
    "BSD-Source-Code",
    "BSL-1.0",
    "bzip2-1.0.5",
    "bzip2-1.0.6",
    "CC-BY-1.0",
    "CC-BY-2.0",
    "CC-BY-2.5",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CNRI-Python",
    "curl",
    "ECL-1.0",
    "EFL-1.0",
    "EFL-2.0",
    "FSFAP",
    "FSFUL",
    "FSFULLR",
    "FSFULLRWD",
    "HPND",
    "HPND-sell-variant",
    "IBM-pibs",
    "ICU",
    "ImageMagick",
    "Info-ZIP",
    "ISC",
    "ISC-Veillard",
    "JasPer-2.0",
    "Libpng",
    "libpng-2.0",
    "libtiff",
    "LicenseRef-scancode-info-zip-2003-05",
    "LicenseRef-scancode-ppp",
    "MirOS",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "MIT-Modern-Variant",
    "MS-PL",
    "MulanPSL-2.0",
    "NBPL-1.0",
    "NCSA",
    "NTP",
    "OFL-1.1",
    "OGC-1.0",
    "OLDAP-2.8",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0.1",
    "Qhull",
    "RSA-MD",
    "Saxpath",
    "SGI-B-2.0",
    "SMLNJ",
    "Spencer-86",
    "Spencer-94",
    "SSH-OpenSSH",
    "SSH-short",
    "SunPro",
    "Unicode-3.0",
    "Unicode-DFS-2015",
    "Unicode-DFS-2016",
    "UPL-1.0",
    "W3C",
    "W3C-19980720",
    "W3C-20150513",
    "X11",
    "Zlib",
    "ZPL-2.0",
    "ZPL-2.1",
    "Ruby",
    "Vim",
    "HPND-Markus-Kuhn",
    "dtoa",
    "Zed",
]
_PUBLIC_DOMAIN = ["CC0-1.0", "Unlicense", "WTFPL", "LicenseRef-Public-Domain", "PDDL-1.0"]

PROFILES: dict[str, Profile] = {
    **{k: _p(Category.PERMISSIVE) for k in _PERMISSIVE},
    **{k: _p(Category.PUBLIC_DOMAIN) for k in _PUBLIC_DOMAIN},
    # Permissive licenses with terms some copyleft licenses cannot take in.
    "Apache-1.0": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "Apache-1.1": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "BSD-4-Clause": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "BSD-4-Clause-UC": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "BSD-4.3TAHOE": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "OpenSSL": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "zlib-acknowledgement": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "LicenseRef-scancode-bsla-no-advert": _p(Category.PERMISSIVE, Trait.ADVERTISING),
    "FTL": _p(Category.PERMISSIVE, Trait.GPL_INCOMPATIBLE),
    "IJG": _p(Category.PERMISSIVE, Trait.GPL_INCOMPATIBLE),
    "Minpack": _p(Category.PERMISSIVE, Trait.GPL_INCOMPATIBLE),
    "PHP-3.0": _p(Category.PERMISSIVE, Trait.GPL_INCOMPATIBLE),
    "PHP-3.01": _p(Category.PERMISSIVE, Trait.GPL_INCOMPATIBLE),
    "Python-2.0": _p(Category.PERMISSIVE, Trait.GPL_INCOMPATIBLE),
    "Apache-2.0": _p(Category.PERMISSIVE, Trait.PATENT_TERMINATION),
    "ECL-2.0": _p(Category.PERMISSIVE, Trait.PATENT_TERMINATION),
    "XFree86-1.1": _p(Category.PERMISSIVE, Trait.ACKNOWLEDGEMENT),
    # Weak copyleft, file or module level.
    "MPL-1.0": _p(Category.WEAK_COPYLEFT_FILE),
    "MPL-1.1": Profile(Category.WEAK_COPYLEFT_FILE, relicense_to=frozenset({"MPL-2.0"})),
    "MPL-2.0": Profile(
        Category.WEAK_COPYLEFT_FILE,
        # §3.3: GPL-2.0+, LGPL-2.1+ and AGPL-3.0+ are "Secondary Licenses".
        relicense_to=frozenset(
            {
                *_GPL2_FAMILY,
                *_GPL3_FAMILY,
                *_AGPL3_FAMILY,
                *_LGPL21_FAMILY,
                *_LGPL3_FAMILY,
                "LGPL-2.0-only",
                "LGPL-2.0-or-later",
                "GPL-1.0-or-later",
                "EUPL-1.2",
                "MPL-2.0-no-copyleft-exception",
            }
        ),
    ),
    "MPL-2.0-no-copyleft-exception": _p(Category.WEAK_COPYLEFT_FILE),
    "EPL-1.0": Profile(Category.WEAK_COPYLEFT_FILE, relicense_to=frozenset({"EPL-2.0"})),
    "EPL-2.0": _p(Category.WEAK_COPYLEFT_FILE),
    "CPL-1.0": Profile(Category.WEAK_COPYLEFT_FILE, relicense_to=frozenset({"EPL-1.0", "EPL-2.0"})),
    "IPL-1.0": Profile(Category.WEAK_COPYLEFT_FILE, relicense_to=frozenset({"CPL-1.0", "EPL-1.0"})),
    "CDDL-1.0": Profile(Category.WEAK_COPYLEFT_FILE, relicense_to=frozenset({"CDDL-1.1"})),
    "CDDL-1.1": _p(Category.WEAK_COPYLEFT_FILE),
    "MS-RL": _p(Category.WEAK_COPYLEFT_FILE),
    "Sleepycat": _p(Category.STRONG_COPYLEFT),
    "CC-BY-SA-3.0": _p(Category.WEAK_COPYLEFT_FILE),
    "CC-BY-SA-4.0": Profile(
        Category.WEAK_COPYLEFT_FILE, relicense_to=frozenset({"GPL-3.0-only", "GPL-3.0-or-later"})
    ),
    # Weak copyleft, library level: linking is allowed, changes to the library are not closed.
    "LGPL-2.0-only": Profile(
        Category.WEAK_COPYLEFT_LIBRARY,
        rejects=_GPL2_REJECTS,
        # LGPL-2.0 §3: the GNU GPL version 2 or any later version may be applied instead.
        relicense_to=frozenset({*_GPL2_FAMILY, *_GPL3_FAMILY, "GPL-1.0-or-later"}),
    ),
    "LGPL-2.1-only": Profile(
        Category.WEAK_COPYLEFT_LIBRARY,
        rejects=_GPL2_REJECTS,
        relicense_to=frozenset({*_GPL2_FAMILY, *_GPL3_FAMILY, *_AGPL3_FAMILY, "GPL-1.0-or-later"}),
    ),
    "LGPL-3.0-only": Profile(
        Category.WEAK_COPYLEFT_LIBRARY,
        rejects=_GPL3_REJECTS,
        # LGPL-3.0 is GPL-3.0 plus permissions; dropping them leaves GPL-3.0.
        relicense_to=frozenset({"GPL-3.0-only", *_AGPL3_FAMILY}),
    ),
    "GPL-2.0-only WITH Classpath-exception-2.0": Profile(
        Category.WEAK_COPYLEFT_LIBRARY,
        rejects=_GPL2_REJECTS,
        relicense_to=frozenset({"GPL-2.0-only"}),
    ),
    # Strong copyleft.
    "GPL-1.0-only": Profile(Category.STRONG_COPYLEFT, rejects=_GPL2_REJECTS),
    "GPL-2.0-only": Profile(
        Category.STRONG_COPYLEFT,
        rejects=_GPL2_REJECTS,
        relicense_to=frozenset({"GPL-2.0-only WITH Classpath-exception-2.0"}),
    ),
    "GPL-3.0-only": Profile(
        Category.STRONG_COPYLEFT,
        rejects=_GPL3_REJECTS,
        # GPL-3.0 §13 allows combining with AGPL-3.0 code.
        relicense_to=_AGPL3_FAMILY,
    ),
    "EUPL-1.1": Profile(
        Category.STRONG_COPYLEFT,
        rejects=_GPL2_REJECTS,
        # EUPL-1.1 appendix "compatible licences".
        relicense_to=frozenset(
            {*_GPL2_FAMILY, "OSL-3.0", "EPL-1.0", "CPL-1.0", "EUPL-1.2", *_LGPL21_FAMILY}
        ),
    ),
    "EUPL-1.2": Profile(
        Category.STRONG_COPYLEFT,
        rejects=frozenset({Trait.ADVERTISING, Trait.GPL_INCOMPATIBLE}),
        # EUPL-1.2 appendix "compatible licences" (GPL-2.0 without the Classpath exception).
        relicense_to=frozenset(
            {
                "GPL-2.0-only",
                "GPL-2.0-or-later",
                *_GPL3_FAMILY,
                *_AGPL3_FAMILY,
                *_LGPL21_FAMILY,
                *_LGPL3_FAMILY,
                "OSL-3.0",
                "EPL-1.0",
                "MPL-2.0",
            }
        ),
    ),
    "OSL-3.0": _p(Category.STRONG_COPYLEFT),
    "CECILL-2.1": Profile(
        Category.STRONG_COPYLEFT, rejects=_GPL3_REJECTS, relicense_to=frozenset(_GPL3_FAMILY)
    ),
    # Network copyleft.
    "AGPL-3.0-only": Profile(
        Category.NETWORK_COPYLEFT,
        rejects=_GPL3_REJECTS,
        relicense_to=frozenset(_GPL3_FAMILY),
        network_clause=True,
    ),
    # Source-available, non-commercial and proprietary terms.
    "SSPL-1.0": _p(Category.SOURCE_AVAILABLE),
    "BUSL-1.1": _p(Category.SOURCE_AVAILABLE),
    "Elastic-2.0": _p(Category.SOURCE_AVAILABLE),
    "PolyForm-Noncommercial-1.0.0": _p(Category.SOURCE_AVAILABLE),
    "PolyForm-Small-Business-1.0.0": _p(Category.SOURCE_AVAILABLE),
    "CC-BY-NC-4.0": _p(Category.SOURCE_AVAILABLE),
    "CC-BY-NC-SA-4.0": _p(Category.SOURCE_AVAILABLE),
    "CC-BY-NC-ND-4.0": _p(Category.SOURCE_AVAILABLE),
    "CC-BY-ND-4.0": _p(Category.SOURCE_AVAILABLE),
    "LicenseRef-scancode-commons-clause": _p(Category.SOURCE_AVAILABLE),
    "LicenseRef-Proprietary": _p(Category.PROPRIETARY),
    "LicenseRef-scancode-proprietary-license": _p(Category.PROPRIETARY),
}

# ``-or-later`` variants: same profile as their oldest version, plus the versions a
# licensee may pick. Listed so that ``later_versions`` is explicit, not parsed from ids.
_OR_LATER: dict[str, tuple[str, ...]] = {
    "GPL-1.0-or-later": ("GPL-1.0-only", "GPL-2.0-only", "GPL-3.0-only"),
    "GPL-2.0-or-later": ("GPL-2.0-only", "GPL-3.0-only"),
    "GPL-3.0-or-later": ("GPL-3.0-only",),
    "LGPL-2.0-or-later": ("LGPL-2.0-only", "LGPL-2.1-only", "LGPL-3.0-only"),
    "LGPL-2.1-or-later": ("LGPL-2.1-only", "LGPL-3.0-only"),
    "LGPL-3.0-or-later": ("LGPL-3.0-only",),
    "AGPL-3.0-or-later": ("AGPL-3.0-only",),
}
for _id, _versions in _OR_LATER.items():
    _base = PROFILES[_versions[0]]
    PROFILES[_id] = Profile(
        category=_base.category,
        rejects=_base.rejects,
        relicense_to=_base.relicense_to,
        later_versions=_versions,
        network_clause=_base.network_clause,
    )

# Exceptions that turn a copyleft license into a library-level one (linking allowed).
LINKING_EXCEPTIONS = frozenset(
    {
        "Classpath-exception-2.0",
        "GCC-exception-2.0",
        "GCC-exception-3.1",
        "LLVM-exception",
        "Bison-exception-2.2",
        "Autoconf-exception-3.0",
        "Font-exception-2.0",
        "openvpn-openssl-exception",
        # PyInstaller: the bootloader may be combined with any program it packages.
        "Bootloader-exception",
    }
)
# Exceptions that drop a permissive license's GPL-2.0 incompatibility.
GPL2_COMPAT_EXCEPTIONS = frozenset({"LLVM-exception"})
# Exceptions that let the code be combined with other free / open-source software only
# (Oracle's Universal FOSS Exception: "Other FOSS" under an OSI- or FSF-approved
# license): a linking exception when the project itself is open source, nothing else.
FOSS_EXCEPTIONS = frozenset({"Universal-FOSS-exception-1.0"})

# Well-understood licenses, preferred when a package offers a choice (OR).
WELL_KNOWN = frozenset(
    {
        "MIT",
        "Apache-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "0BSD",
        "PSF-2.0",
        "Zlib",
        "BSL-1.0",
        "MPL-2.0",
        "EPL-2.0",
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
    }
)
_GPL_FAMILY_PREFIXES = ("GPL-", "LGPL-", "AGPL-")


def is_gpl_family(key: str) -> bool:
    """GNU GPL, LGPL or AGPL (with or without an exception): the whole program is covered."""
    return key.startswith(_GPL_FAMILY_PREFIXES)


def category_of(key: str, outbound: str | None = None) -> Category:
    """Category of one license key (a plain id or ``id WITH exception``).

    ``outbound`` matters only for exceptions that depend on the project's own license
    (FOSS exceptions apply when every license of the project is OSI-approved).
    """
    profile = PROFILES.get(key)
    if profile is not None:
        return profile.category
    if " WITH " in key:
        base, exc = key.split(" WITH ", 1)
        base_profile = PROFILES.get(base)
        if base_profile is None:
            return Category.UNKNOWN
        linking = exc in LINKING_EXCEPTIONS or (
            exc in FOSS_EXCEPTIONS and outbound is not None and _open_source(outbound)
        )
        if linking and base_profile.category in (
            Category.STRONG_COPYLEFT,
            Category.WEAK_COPYLEFT_LIBRARY,
        ):
            return Category.WEAK_COPYLEFT_LIBRARY
        return base_profile.category
    return Category.UNKNOWN


def _open_source(outbound: str) -> bool:
    return all(spdx.is_osi_approved(k.split(" WITH ", 1)[0]) for k in spdx.keys(outbound))
