"""The compatibility engine: can code under INBOUND be used in a project under OUTBOUND?

``embedded`` is the strict question (the inbound code is copied into the outbound work,
as the OSADL matrix models it); the other distribution modes relax it where the license
obligations are not triggered (``internal``, ``saas``) or where a library is only
imported (``distributed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from review.scanners.licenses import spdx
from review.scanners.licenses.asf import AsfCategory, asf_category
from review.scanners.licenses.knowledge import (
    COPYLEFT,
    GPL2_COMPAT_EXCEPTIONS,
    PROFILES,
    TRAIT_REASONS,
    WELL_KNOWN,
    Category,
    Profile,
    Trait,
    category_of,
    is_gpl_family,
)
from review.scanners.licenses.models import Decision, Obligation, Verdict
from review.scanners.licenses.rules import RULES

Mode = Literal["internal", "saas", "distributed", "embedded"]
MODES: tuple[Mode, ...] = ("internal", "saas", "distributed", "embedded")
PolicyName = Literal["legal", "asf"]
POLICIES: dict[PolicyName, str] = {
    "legal": "what the licenses themselves allow (FSF list, GPL FAQ, license texts, OSADL)",
    "asf": "the Apache Software Foundation's 3rd-party license policy (Category A / B / X)",
}

_WEAK = frozenset({Category.WEAK_COPYLEFT_FILE, Category.WEAK_COPYLEFT_LIBRARY})
_OBLIGATIONS: dict[Category, tuple[Obligation, ...]] = {
    Category.PUBLIC_DOMAIN: (),
    Category.PERMISSIVE: (Obligation.NOTICE,),
    Category.WEAK_COPYLEFT_FILE: (Obligation.NOTICE, Obligation.SOURCE_OFFER),
    Category.WEAK_COPYLEFT_LIBRARY: (Obligation.NOTICE, Obligation.SOURCE_OFFER),
    Category.STRONG_COPYLEFT: (Obligation.NOTICE, Obligation.SOURCE_OFFER),
    Category.NETWORK_COPYLEFT: (
        Obligation.NOTICE,
        Obligation.SOURCE_OFFER,
        Obligation.NETWORK_SOURCE_OFFER,
    ),
}


@dataclass(frozen=True)
class Lists:
    """Allow / deny / review lists by SPDX id or category (see LicensesConfig)."""

    allow: frozenset[str] = frozenset()
    deny: frozenset[str] = frozenset()
    review: frozenset[str] = frozenset()

    def matches(self, names: frozenset[str], key: str, category: Category) -> bool:
        base = key.split(" WITH ", 1)[0]
        return bool(names & {key, base, category.value})


@dataclass(frozen=True)
class Engine:
    """Decides verdicts for inbound expressions against one outbound license and mode."""

    outbound: str
    mode: Mode
    lists: Lists = field(default_factory=Lists)
    policy: PolicyName = "legal"

    def decide(self, inbound: str) -> Decision:
        """Verdict for an inbound SPDX expression (already normalised)."""
        return _decide(self, inbound)

    def _node(self, node: Any) -> Decision:
        if spdx.is_symbol(node):
            return self.decide_key(spdx.symbol_key(node))
        parts = [self._node(arg) for arg in node.args]
        if spdx.is_or(node):
            return _choose(parts, [_render(arg) for arg in node.args])
        return _all(parts)

    def decide_key(self, key: str) -> Decision:
        """Verdict for one license key, against every license in the outbound expression."""
        decisions = [self._one(out, key) for out in spdx.keys(self.outbound)]
        return _all(decisions) if len(decisions) > 1 else decisions[0]

    def _one(self, outbound: str, key: str) -> Decision:
        category = category_of(key, outbound)
        listed = self._listed(key, category)
        if listed is not None and listed.verdict != Verdict.OK:
            return listed
        decision = self._mode_rule(outbound, key, category)
        if self.policy == "asf":
            foundation = _asf(key, category, self.mode)
            if foundation.verdict.rank >= decision.verdict.rank:
                decision = foundation
        if listed is not None and decision.verdict == Verdict.REVIEW:
            return listed  # an explicit allow settles what the engine leaves to a person
        if self.lists.matches(self.lists.review, key, category) and (
            decision.verdict == Verdict.OK
        ):
            return _d(Verdict.REVIEW, "policy-review", f"{key} is on the review list", category)
        return decision

    def _listed(self, key: str, category: Category) -> Decision | None:
        if self.lists.matches(self.lists.deny, key, category):
            return _d(Verdict.CONFLICT, "policy-deny", f"{key} is on the deny list", category)
        if self.lists.matches(self.lists.allow, key, category):
            return _d(
                Verdict.OK,
                "policy-allow",
                f"{key} is on the allow list",
                category,
                _OBLIGATIONS.get(category, ()),
            )
        return None

    def _mode_rule(self, outbound: str, key: str, category: Category) -> Decision:
        if category == Category.UNKNOWN:
            return _d(
                Verdict.REVIEW,
                "unknown-license",
                f"the engine has no rules for {key}: a person must check it",
                category,
            )
        if category == Category.PROPRIETARY:
            return _d(
                Verdict.REVIEW,
                "proprietary-license",
                f"{key} is proprietary: check that the organisation holds a license for this use",
                category,
            )
        if category == Category.SOURCE_AVAILABLE:
            if self.mode == "internal":
                return _d(
                    Verdict.REVIEW,
                    "source-available-internal",
                    f"{key} is not open source; its use restrictions may cover internal use",
                    category,
                )
            return _d(
                Verdict.CONFLICT,
                "source-available-terms",
                f"{key} is not open source and restricts offering or shipping the software",
                category,
            )
        if self.mode == "internal":
            return _d(
                Verdict.OK,
                "internal-use",
                "nothing is distributed or offered to others, so no license obligation triggers",
                category,
            )
        if self.mode == "saas":
            return self._saas(outbound, key, category)
        compatible = embedded(outbound, key)
        obligations = _OBLIGATIONS.get(category, ())
        if compatible.ok:
            decision = _d(Verdict.OK, compatible.rule, compatible.reason, category, obligations)
            if compatible.chosen:
                note = f"chose {compatible.chosen} under {key}"
                return decision.model_copy(update={"choices": (note,)})
            return decision
        if self.mode == "distributed" and category in _WEAK and is_gpl_family(outbound):
            return _d(
                Verdict.CONFLICT,
                "gpl-incompatible-library",
                f"{outbound} covers the whole program with every library it links or "
                f"imports, and {key} is not GPL-compatible, library or not: {compatible.reason}",
                category,
                obligations,
            )
        if self.mode == "distributed" and category in _WEAK:
            return _d(
                Verdict.OK,
                "weak-copyleft-as-library",
                f"{key} used as a separate, imported library is fine when shipped, with "
                "obligations: keep it replaceable and offer the source of the library",
                category,
                obligations,
            )
        if self.mode == "distributed" and category in COPYLEFT:
            return _d(
                Verdict.CONFLICT,
                "copyleft-in-distributed",
                f"{key} covers the whole program that imports it when shipped, and that "
                f"cannot be licensed as {outbound}: {compatible.reason}",
                category,
                obligations,
            )
        if self.mode == "embedded" and category in _WEAK:
            return _d(
                Verdict.CONFLICT,
                "weak-copyleft-embedded",
                f"{key} code copied or statically combined into the work must stay under "
                f"{key}, which {outbound} does not allow: {compatible.reason}",
                category,
                obligations,
            )
        return _d(Verdict.CONFLICT, compatible.rule, compatible.reason, category, obligations)

    def _saas(self, outbound: str, key: str, category: Category) -> Decision:
        if category != Category.NETWORK_COPYLEFT:
            return _d(
                Verdict.OK,
                "not-conveyed-in-saas",
                "offering software over a network does not convey it, so only network "
                "clauses apply",
                category,
            )
        compatible = embedded(outbound, key)
        if compatible.ok:
            return _d(
                Verdict.OK,
                "network-copyleft-compatible",
                f"the project's own license accepts {key}; offer the source to network users",
                category,
                (Obligation.NOTICE, Obligation.NETWORK_SOURCE_OFFER),
            )
        return _d(
            Verdict.CONFLICT,
            "network-copyleft-in-saas",
            f"{key} requires offering the complete source of the service to its network "
            f"users under {key}, which conflicts with {outbound}",
            category,
            (Obligation.NETWORK_SOURCE_OFFER,),
        )


def _asf(key: str, category: Category, mode: Mode) -> Decision:
    """The ASF policy's verdict for one license key."""
    found = asf_category(key)
    obligations = _OBLIGATIONS.get(category, ())
    if found == AsfCategory.A:
        return _d(
            Verdict.OK,
            "asf-category-a",
            f"the ASF lists {key} in Category A (may be included)",
            category,
            obligations,
        )
    if found == AsfCategory.B and mode == "embedded":
        return _d(
            Verdict.CONFLICT,
            "asf-category-b-source",
            f"the ASF lists {key} in Category B: binary form only, and embedding includes its "
            "source",
            category,
            obligations,
        )
    if found == AsfCategory.B:
        return _d(
            Verdict.OK,
            "asf-category-b",
            f"the ASF lists {key} in Category B: include it in binary form only, labelled "
            "prominently (README) with its license and homepage",
            category,
            obligations,
        )
    if found == AsfCategory.X:
        return _d(
            Verdict.CONFLICT,
            "asf-category-x",
            f"the ASF lists {key} in Category X: it may not be included, in source or binary "
            "form (only as an optional feature the user installs)",
            category,
            obligations,
        )
    return _d(
        Verdict.REVIEW,
        "asf-unlisted",
        f"the ASF policy does not list {key}: ask the Legal Affairs Committee",
        category,
    )


@lru_cache(maxsize=4096)
def _decide(engine: Engine, inbound: str) -> Decision:
    # Many packages share a license: parse and judge each expression once per engine.
    return engine._node(spdx.parse(inbound))


@dataclass(frozen=True)
class Compat:
    """Whether inbound code may be incorporated into an outbound-licensed work."""

    ok: bool
    rule: str
    reason: str
    chosen: str | None = None


def embedded(outbound: str, inbound: str) -> Compat:
    """The strict (OSADL) question: may ``inbound`` code be incorporated into ``outbound``?"""
    if outbound == inbound:
        return Compat(True, "same-license", f"both are {inbound}")
    prof_in = _profile(inbound)
    if prof_in is not None and prof_in.later_versions:
        for version in prof_in.later_versions:
            if version != inbound:
                found = embedded(outbound, version)
                if found.ok:
                    return Compat(
                        True,
                        "or-later-upgrade",
                        f"{inbound} lets the licensee pick {version}: {found.reason}",
                        chosen=version,
                    )
    prof_out = _profile(outbound)
    # Both "or later": fine when every version the outbound offers can take the inbound.
    if (
        prof_in is not None
        and prof_in.later_versions
        and prof_out
        and prof_out.later_versions
        and all(embedded(v, inbound).ok for v in prof_out.later_versions)
    ):
        return Compat(
            True,
            "or-later-upgrade",
            f"every version {outbound} offers can take {inbound} code",
        )
    cat_in = category_of(inbound)
    cat_out = category_of(outbound)
    if cat_in in (Category.PUBLIC_DOMAIN, Category.PERMISSIVE):
        traits = set(prof_in.traits if prof_in else ())
        if " WITH " in inbound and inbound.split(" WITH ", 1)[1] in GPL2_COMPAT_EXCEPTIONS:
            traits.discard(Trait.PATENT_TERMINATION)
        rejected = sorted(traits & set(prof_out.rejects if prof_out else ()))
        if rejected:
            rule = (
                "apache2-into-gpl2"
                if Trait.PATENT_TERMINATION in rejected
                else "permissive-term-rejected"
            )
            return Compat(
                False, rule, f"{outbound} cannot take {inbound}: {TRAIT_REASONS[rejected[0]]}"
            )
        return Compat(
            True,
            "permissive-inbound",
            f"{inbound} only asks for notices, which any license can keep",
        )
    if cat_in not in COPYLEFT:
        return Compat(False, "not-open", f"{inbound} is not an open-source license")
    if cat_out not in COPYLEFT:
        return Compat(
            False,
            "copyleft-into-permissive",
            f"{inbound} code must stay under {inbound}, but the work is licensed {outbound}",
        )
    base_in = inbound.split(" WITH ", 1)[0] if inbound not in PROFILES else inbound
    targets = PROFILES[base_in].relicense_to if base_in in PROFILES else frozenset()
    if outbound in targets or outbound.split(" WITH ", 1)[0] == base_in:
        return Compat(True, "relicensable", f"{inbound} code may be used under {outbound}")
    if _gpl2_only_vs_gpl3(outbound, inbound):
        return Compat(
            False,
            "gpl2-only-gpl3-mix",
            "GPL-2.0-only and GPL-3.0 code cannot be combined: each forbids the other's "
            "further restrictions",
        )
    return Compat(
        False,
        "copyleft-mismatch",
        f"{inbound} and {outbound} are both copyleft and {inbound} has no clause "
        f"allowing its code under {outbound}",
    )


def _gpl2_only_vs_gpl3(outbound: str, inbound: str) -> bool:
    pair = {outbound.split(" WITH ", 1)[0], inbound.split(" WITH ", 1)[0]}
    gpl2 = {"GPL-2.0-only", "LGPL-2.1-only", "LGPL-2.0-only"}
    gpl3 = {"GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"}
    return bool(pair & gpl2) and bool(pair & gpl3)


def _profile(key: str) -> Profile | None:
    if key in PROFILES:
        return PROFILES[key]
    return PROFILES.get(key.split(" WITH ", 1)[0])


def _d(
    verdict: Verdict,
    rule: str,
    reason: str,
    category: Category,
    obligations: Sequence[Obligation] = (),
) -> Decision:
    if rule not in RULES:
        raise KeyError(f"rule {rule!r} is missing from review.scanners.licenses.rules.RULES")
    return Decision(
        verdict=verdict,
        rule=rule,
        reason=reason,
        obligations=tuple(obligations),
        category=category.value,
    )


def _render(node: Any) -> str:
    return str(node.render())


def _choose(parts: list[Decision], labels: list[str]) -> Decision:
    """OR: the licensee picks the option that works; recorded.

    Among options that work alike, the least restrictive kind of license wins, and
    within a kind a well-understood OSI license (MIT, Apache-2.0, BSD ...) beats an
    obscure or non-OSI one (WTFPL, CC0): it is the one reviewers and users expect.
    """
    order = sorted(
        range(len(parts)),
        key=lambda i: (
            parts[i].verdict.rank,
            _TIER.get(parts[i].category, len(_CATEGORY_RANK)),
            _familiarity(labels[i]),
            len(parts[i].obligations),
            _CATEGORY_RANK.index(parts[i].category),
        ),
    )
    best = order[0]
    chosen = parts[best]
    note = f"chose {labels[best]} from {' OR '.join(labels)}"
    return chosen.model_copy(update={"choices": (note, *chosen.choices)})


_CATEGORY_RANK = [c.value for c in Category]
# Public domain and permissive terms are one tier: neither asks more than notices.
_TIER = {
    Category.PUBLIC_DOMAIN.value: 0,
    Category.PERMISSIVE.value: 0,
    Category.WEAK_COPYLEFT_FILE.value: 1,
    Category.WEAK_COPYLEFT_LIBRARY.value: 2,
    Category.STRONG_COPYLEFT.value: 3,
    Category.NETWORK_COPYLEFT.value: 4,
}


def _familiarity(label: str) -> int:
    """0 for a well-known license, 1 for another OSI-approved one, 2 otherwise."""
    base = label.split(" WITH ", 1)[0].strip("()")
    if base in WELL_KNOWN:
        return 0
    return 1 if spdx.is_osi_approved(base) else 2


def _all(parts: list[Decision]) -> Decision:
    """AND: every license applies; the worst verdict stands, obligations add up."""
    worst = max(parts, key=lambda d: (d.verdict.rank, _CATEGORY_RANK.index(d.category)))
    obligations = sorted({o for d in parts for o in d.obligations}, key=list(Obligation).index)
    choices = tuple(c for d in parts for c in d.choices)
    return worst.model_copy(update={"obligations": tuple(obligations), "choices": choices})


def compat_table(
    outbound: str, inbound: Sequence[str], mode: Mode, policy: PolicyName = "legal"
) -> list[tuple[str, Decision]]:
    """Decisions for several inbound expressions (the ``licenses compat`` command)."""
    engine = Engine(outbound=outbound, mode=mode, policy=policy)
    return [(expr, engine.decide(expr)) for expr in inbound]
