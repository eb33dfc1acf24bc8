"""The compatibility engine: each rule, OR / AND / WITH / or-later, modes, OSADL agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.scanners.licenses.compat import MODES, POLICIES, Engine, Lists, embedded
from review.scanners.licenses.knowledge import Category, category_of


@pytest.mark.parametrize(
    ("outbound", "inbound", "mode", "verdict", "rule"),
    [
        ("Apache-2.0", "MIT", "distributed", "ok", "permissive-inbound"),
        ("GPL-2.0-only", "Apache-2.0", "embedded", "conflict", "apache2-into-gpl2"),
        ("GPL-3.0-only", "Apache-2.0", "embedded", "ok", "permissive-inbound"),
        ("GPL-2.0-only", "GPL-3.0-only", "embedded", "conflict", "gpl2-only-gpl3-mix"),
        ("GPL-3.0-only", "GPL-2.0-only", "distributed", "conflict", "copyleft-in-distributed"),
        ("GPL-3.0-only", "GPL-2.0-or-later", "embedded", "ok", "or-later-upgrade"),
        ("Apache-2.0", "AGPL-3.0-only", "saas", "conflict", "network-copyleft-in-saas"),
        ("AGPL-3.0-only", "AGPL-3.0-only", "saas", "ok", "network-copyleft-compatible"),
        ("Apache-2.0", "GPL-3.0-only", "saas", "ok", "not-conveyed-in-saas"),
        ("Apache-2.0", "LGPL-2.1-only", "distributed", "ok", "weak-copyleft-as-library"),
        ("Apache-2.0", "MPL-2.0", "distributed", "ok", "weak-copyleft-as-library"),
        ("Apache-2.0", "LGPL-2.1-only", "embedded", "conflict", "weak-copyleft-embedded"),
        ("Apache-2.0", "MPL-2.0", "embedded", "conflict", "weak-copyleft-embedded"),
        ("MIT", "GPL-3.0-only", "distributed", "conflict", "copyleft-in-distributed"),
        ("MIT", "GPL-3.0-only", "internal", "ok", "internal-use"),
        ("MIT", "SSPL-1.0", "saas", "conflict", "source-available-terms"),
        ("MIT", "BUSL-1.1", "internal", "review", "source-available-internal"),
        ("MIT", "LicenseRef-Proprietary", "distributed", "review", "proprietary-license"),
        ("MIT", "Glide", "distributed", "review", "unknown-license"),
        # WITH exceptions change the verdict.
        (
            "Apache-2.0",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "distributed",
            "ok",
            "weak-copyleft-as-library",
        ),
        ("Apache-2.0", "GPL-2.0-only", "distributed", "conflict", "copyleft-in-distributed"),
        ("GPL-2.0-only", "Apache-2.0 WITH LLVM-exception", "embedded", "ok", "permissive-inbound"),
        (
            "MIT",
            "GPL-3.0-only WITH GCC-exception-3.1",
            "distributed",
            "ok",
            "weak-copyleft-as-library",
        ),
    ],
)
def test_rules(outbound: str, inbound: str, mode: str, verdict: str, rule: str) -> None:
    decision = Engine(outbound=outbound, mode=mode).decide(inbound)  # type: ignore[arg-type]
    assert (decision.verdict.value, decision.rule) == (verdict, rule)


def test_or_picks_the_compatible_option_and_records_it() -> None:
    decision = Engine(outbound="Apache-2.0", mode="distributed").decide("MIT OR GPL-3.0-or-later")
    assert decision.verdict == "ok"
    assert decision.category == "permissive"
    assert decision.choices == ("chose MIT from MIT OR GPL-3.0-or-later",)


def test_and_needs_every_license() -> None:
    decision = Engine(outbound="Apache-2.0", mode="distributed").decide("MIT AND GPL-3.0-only")
    assert decision.verdict == "conflict"
    assert set(decision.obligations) == {"notice", "source-offer"}


def test_or_later_records_the_version_picked() -> None:
    decision = Engine(outbound="GPL-3.0-only", mode="embedded").decide("LGPL-2.1-or-later")
    assert decision.verdict == "ok"
    assert decision.choices


def test_obligations_per_category() -> None:
    saas = Engine(outbound="AGPL-3.0-only", mode="saas").decide("AGPL-3.0-or-later")
    assert "network-source-offer" in saas.obligations
    lib = Engine(outbound="MIT", mode="distributed").decide("LGPL-3.0-only")
    assert set(lib.obligations) == {"notice", "source-offer"}


def test_policy_deny_allow_review() -> None:
    deny = Engine("MIT", "distributed", Lists(deny=frozenset({"permissive"}))).decide("ISC")
    assert (deny.verdict, deny.rule) == ("conflict", "policy-deny")
    allow = Engine("MIT", "distributed", Lists(allow=frozenset({"Glide"}))).decide("Glide")
    assert (allow.verdict, allow.rule) == ("ok", "policy-allow")
    # An allow list never overrides a real conflict found by the engine.
    still = Engine("MIT", "distributed", Lists(allow=frozenset({"GPL-3.0-only"})))
    assert still.decide("GPL-3.0-only").verdict == "conflict"
    review = Engine("MIT", "distributed", Lists(review=frozenset({"MPL-2.0"}))).decide("MPL-2.0")
    assert (review.verdict, review.rule) == ("review", "policy-review")


def test_categories() -> None:
    assert category_of("MIT") == Category.PERMISSIVE
    assert category_of("CC0-1.0") == Category.PUBLIC_DOMAIN
    assert category_of("MPL-2.0") == Category.WEAK_COPYLEFT_FILE
    assert category_of("LGPL-2.1-or-later") == Category.WEAK_COPYLEFT_LIBRARY
    assert category_of("GPL-3.0-only") == Category.STRONG_COPYLEFT
    assert category_of("AGPL-3.0-or-later") == Category.NETWORK_COPYLEFT
    assert category_of("SSPL-1.0") == Category.SOURCE_AVAILABLE
    assert category_of("LicenseRef-Proprietary") == Category.PROPRIETARY
    assert category_of("Glide") == Category.UNKNOWN


def test_modes_registry_is_exhaustive() -> None:
    for mode in MODES:
        assert Engine("MIT", mode).decide("MIT").verdict == "ok"


def test_osadl_agreement(shared_data: Path) -> None:
    """Embedded mode agrees with OSADL on >= 95% of its Yes/No cells among known licenses."""
    matrix = json.loads((shared_data / "osadl" / "matrixseqexpl.json").read_text("utf-8"))
    agree = total = 0
    disagreements = []
    for row in matrix["licenses"]:
        out = row["name"]
        for cell in row["compatibilities"]:
            if cell["compatibility"] not in ("Yes", "No"):
                continue
            inbound = cell["name"]
            if Category.UNKNOWN in (category_of(out), category_of(inbound)):
                continue
            total += 1
            if embedded(out, inbound).ok == (cell["compatibility"] == "Yes"):
                agree += 1
            else:
                disagreements.append(f"{out} <- {inbound}")
    assert total > 10_000
    assert agree / total >= 0.95
    documented = (Path(__file__).parents[2] / "docs" / "licenses.md").read_text("utf-8")
    for pair in disagreements:
        assert f"`{pair}`" in documented, f"undocumented OSADL disagreement {pair}"


def test_compat_cli(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "licenses",
            "compat",
            "Apache-2.0",
            "AGPL-3.0-only",
            "MIT OR GPL-3.0-or-later",
            "--distribution",
            "saas",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    verdicts = [r["verdict"] for r in doc["results"]]
    assert verdicts == ["conflict", "ok"]
    ok = runner.invoke(cli, ["licenses", "compat", "MIT", "BSD-3-Clause"])
    assert ok.exit_code == 0
    assert "ok [permissive-inbound]" in ok.output


def test_compat_cli_invalid_spdx(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["licenses", "compat", "MIT", "Not A License"])
    assert result.exit_code == 2
    assert "INBOUND[0]: not a valid SPDX license expression" in result.stderr
    assert "Traceback" not in result.output


def test_rule_registry_is_exhaustive_and_bilingual() -> None:
    from review.scanners.licenses.knowledge import PROFILES
    from review.scanners.licenses.rules import RULES, explain

    seen = {"dev-only", "unresolved-license"}
    policy = Lists(allow=frozenset({"Glide"}), deny=frozenset({"Zlib"}), review=frozenset({"ISC"}))
    licenses = [*sorted(PROFILES), "Glide", "Glulxe", "GPL-2.0-only WITH Classpath-exception-2.0"]
    for outbound in ("MIT", "Apache-2.0", "GPL-2.0-only", "GPL-3.0-only", "AGPL-3.0-only"):
        for mode in MODES:
            for name in POLICIES:
                engine = Engine(outbound, mode, policy, name)
                seen |= {engine.decide_key(key).rule for key in licenses}
            seen |= {embedded(outbound, key).rule for key in licenses}
    assert seen == set(RULES)
    for rule in RULES:
        text = explain(rule, "GPL-3.0-only", "MIT", "saas")
        assert "{" not in text.en + text.zh
