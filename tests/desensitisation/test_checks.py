"""Each check on a small hand-made table whose right answer is known."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from faker import Faker

from review.core.errors import InputError
from review.scanners.desensitisation.checks import CHECKS, ResidualHit
from review.scanners.desensitisation.config import Thresholds

from .helpers import policy, rules, run

FAKE = Faker("zh_CN")
FAKE.seed_instance(5)
IDS = [FAKE.ssn() for _ in range(4)]
PHONES = ["13812345678", "13987654321", "15000001111", "18600002222"]


def test_check_registry_is_closed() -> None:
    assert list(CHECKS) == [
        "residual_identifiers",
        "masking_conformance",
        "raw_leakage",
        "pseudonym_quality",
        "quasi_identifier_risk",
    ]


def test_id_mask_keeping_birth_date_is_over_revealing() -> None:
    masked = [
        {"id": IDS[0][:6] + "*" * 8 + IDS[0][-4:]},  # correct 6*4
        {"id": IDS[1][:14] + "****"},  # keeps the birth date
        {"id": IDS[2][:6] + "*" * 8 + IDS[2][-4:]},
    ]
    result = run(masked, policy(id={"action": "mask", "role": "direct", "shape": "6*4"}))
    assert rules(result) == {("over_revealing_mask", "id"): 2}
    (finding,) = [f for f in result.findings if f.rule_id.endswith("over_revealing_mask")]
    assert "birth date" in finding.message.en
    assert IDS[1][:14] not in (finding.evidence or "")
    assert result.level == "identifiable"


def test_declared_shape_that_itself_over_reveals_is_caught() -> None:
    # The policy allows 14 visible characters; the entity limit still flags the birth date.
    masked = [{"身份证号": IDS[0][:14] + "****"}]
    columns = policy(身份证号={"action": "mask", "role": "direct", "shape": "14*"})
    assert rules(run(masked, columns)) == {("over_revealing_mask", "身份证号"): 1}


def test_email_left_raw_and_names_masked() -> None:
    masked = [
        {"name": "张*", "email": "a***@example.com"},
        {"name": "李**", "email": "bob@example.com"},
    ]
    columns = policy(
        name={"action": "mask", "role": "direct", "shape": "1*"},
        email={"action": "mask", "role": "direct", "shape": "1*@"},
    )
    result = run(masked, columns)
    assert rules(result) == {("unmasked", "email"): 2}
    statuses = {(c.check, c.column): c.status for c in result.details.checks}
    assert statuses[("masking_conformance", "name")] == "pass"
    assert statuses[("masking_conformance", "email")] == "fail"


def test_not_generalised_and_not_dropped() -> None:
    masked = [{"age": "30-39", "ssn": ""}, {"age": "36", "ssn": "123-45-6789"}]
    columns = policy(
        age={"action": "generalise", "role": "other", "rule": "age-band:10"},
        ssn={"action": "drop", "role": "direct"},
    )
    assert rules(run(masked, columns)) == {("not_generalised", "age"): 2, ("not_dropped", "ssn"): 2}


def test_raw_leak_into_free_text() -> None:
    raw = [
        {"phone": PHONES[0], "note": "ok"},
        {"phone": PHONES[1], "note": f"回拨{PHONES[1]}谢谢"},
    ]
    masked = [
        {"phone": "138****5678", "note": "ok"},
        {"phone": "139****4321", "note": f"回拨{PHONES[1]}谢谢"},
    ]
    columns = policy(
        phone={"action": "mask", "role": "direct", "shape": "3*4"},
        note={"action": "keep", "role": "other"},
    )
    result = run(masked, columns, raw)
    assert rules(result) == {("raw_leak", "note"): 2}
    (leak,) = [f for f in result.findings if f.rule_id.endswith("raw_leak")]
    assert leak.location is not None and (leak.location.start, leak.location.end) == (2, 13)
    assert leak.evidence == "139****4321"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def test_unsalted_hash_reversed_by_raw_dictionary() -> None:
    raw = [{"phone": p} for p in PHONES]
    masked = [{"phone": _sha256(p)} for p in PHONES]
    columns = policy(phone={"action": "pseudonymise", "role": "direct"})
    result = run(masked, columns, raw)
    assert rules(result) == {("reversible_token", "phone"): 1}
    assert result.level == "identifiable"


def test_unsalted_hash_reversed_from_values_left_in_masked_file() -> None:
    # No raw file: a phone left in a note is enough to reverse its row's token.
    masked = [{"phone": _sha256(p), "note": ""} for p in PHONES]
    masked[2]["note"] = f"tel {PHONES[2]}"
    hit = ResidualHit(2, "note", "CN_MOBILE_PHONE", 4, 15, PHONES[2])
    columns = policy(phone={"action": "hash", "role": "direct"})
    result = run(masked, columns, residual=[hit])
    found = rules(result)
    assert found[("reversible_token", "phone")] == 3
    assert found[("residual_identifier", "note")] == 3


def test_unsalted_phone_hash_reversed_by_enumeration_without_raw() -> None:
    # 150-0000-1111 lies in the first block the mobile-number walk hashes.
    masked = [{"手机号": _sha256(p)} for p in PHONES]
    columns = policy(手机号={"action": "pseudonymise", "role": "direct"})
    # The walk stops at its first match: the budget only bounds a slow, busy machine.
    result = run(masked, columns, attack_seconds=20)
    assert rules(result) == {("reversible_token", "手机号"): 3}
    (finding,) = [f for f in result.findings if f.rule_id.endswith("reversible_token")]
    assert "enumerating the identifier's space" in finding.message.en
    assert "unsalted SHA-256" in finding.title.en
    assert result.level == "identifiable"


def test_keyed_hmac_without_raw_is_not_judged_by_its_shape() -> None:
    # The same phones under a keyed HMAC: the walk finds nothing, and a digest's shape
    # alone proves nothing, so there is no finding.
    key = b"k" * 32
    masked = [{"手机号": hmac.new(key, p.encode(), hashlib.sha256).hexdigest()} for p in PHONES]
    columns = policy(手机号={"action": "hash", "role": "direct"})
    result = run(masked, columns)
    assert rules(result) == {}
    assert result.level == "de-identified"


def test_keyed_tokens_pass_with_raw() -> None:
    key = b"k" * 32
    raw = [{"phone": p} for p in PHONES]
    masked = [{"phone": hmac.new(key, p.encode(), hashlib.sha256).hexdigest()} for p in PHONES]
    columns = policy(phone={"action": "hash", "role": "direct"})
    assert rules(run(masked, columns, raw)) == {}


def test_pseudonym_inconsistency_and_collision() -> None:
    raw = [{"p": "a1234"}, {"p": "a1234"}, {"p": "b5678"}, {"p": "c9999"}]
    masked = [{"p": "T1"}, {"p": "T2"}, {"p": "T3"}, {"p": "T3"}]
    columns = policy(p={"action": "pseudonymise", "role": "direct"})
    found = rules(run(masked, columns, raw))
    assert found == {("pseudonym_inconsistent", "p"): 1, ("pseudonym_collision", "p"): 3}


def test_k_anonymity_linkage_and_levels() -> None:
    raw = [
        {"id": "1", "gender": "M", "age": "31", "d": "flu"},
        {"id": "2", "gender": "M", "age": "35", "d": "cold"},
        {"id": "3", "gender": "F", "age": "44", "d": "flu"},
    ]
    masked = [
        {"id": "1", "gender": "M", "age": "30-39", "d": "flu"},
        {"id": "2", "gender": "M", "age": "30-39", "d": "cold"},
        {"id": "3", "gender": "F", "age": "40-49", "d": "flu"},
    ]
    columns = policy(
        id={"action": "keep"},
        gender={"action": "keep", "role": "quasi"},
        age={"action": "generalise", "role": "quasi", "rule": "age-band:10"},
        d={"action": "keep", "role": "sensitive"},
    )
    result = run(masked, columns, raw, key="id")
    assert rules(result) == {("k_anonymity", None): 3, ("linkage", None): 0}
    details = result.details
    assert details.k == 1
    assert details.linkage_rate == pytest.approx(1 / 3, abs=1e-6)
    assert details.prosecutor is not None
    assert details.prosecutor.model_dump() == {
        "highest": 1.0,
        "average": pytest.approx(2 / 3, abs=1e-6),
        "records_at_risk": pytest.approx(1 / 3, abs=1e-6),
    }
    assert result.level == "de-identified"


def test_anonymised_when_direct_identifiers_dropped_and_k_met() -> None:
    masked = [
        {"name": "", "gender": g, "d": d}
        for g, d in [("M", "flu"), ("M", "cold"), ("F", "flu"), ("F", "cold")]
    ]
    columns = policy(
        name={"action": "drop", "role": "direct"},
        gender={"action": "keep", "role": "quasi"},
        d={"action": "keep", "role": "sensitive"},
    )
    result = run(masked, columns)
    assert rules(result) == {}
    assert result.level == "anonymised"


def test_errors_name_the_problem_not_the_content() -> None:
    columns = policy(phone={"action": "mask", "role": "direct", "shape": "3*4"})
    masked = [{"k": "1", "phone": "138****5678"}, {"k": "2", "phone": "139****4321"}]
    with pytest.raises(InputError, match=r"has 2 rows but the raw file raw\.csv has 1"):
        run(masked, columns, [{"k": "1", "phone": PHONES[0]}])
    with pytest.raises(InputError, match="key column 'nope' not found"):
        run(masked, columns, [{"k": "1", "phone": PHONES[0]}], key="nope")
    with pytest.raises(InputError, match="row 2: key column 'k' matches no raw row") as err:
        run(masked, columns, [{"k": "1", "phone": PHONES[0]}], key="k")
    assert PHONES[0] not in str(err.value)
    with pytest.raises(InputError, match="column 'email' named in the policy is not in the file"):
        run(masked, {**columns, **policy(email={"action": "mask", "shape": "1*@"})})


def test_pseudonyms_consistent_across_files() -> None:
    from review.scanners.desensitisation.verify import cross_file_consistency

    raw = [{"p": "a1234"}, {"p": "b5678"}]
    columns = policy(p={"action": "pseudonymise", "role": "direct"})
    first = run([{"p": "T1"}, {"p": "T2"}], columns, raw)
    same = run([{"p": "T2"}, {"p": "T1"}], columns, list(reversed(raw)))
    other = run([{"p": "T1"}, {"p": "T9"}], columns, raw)
    assert cross_file_consistency([first, same]) == []
    (finding,) = cross_file_consistency([first, same, other])[-1:]
    assert finding.rule_id == "desensitisation.pseudonym_inconsistent_across_files"
    assert "1 raw values" in finding.message.en
    assert len(cross_file_consistency([first, same, other])) == 2


def test_risk_above_max_even_when_k_is_met() -> None:
    # Classes of 2 and 3 records: k = 2 meets k, but 1/2 > max_risk 0.4 for two records.
    masked = [{"g": g} for g in ["a", "a", "b", "b", "b"]]
    columns = policy(g={"action": "keep", "role": "quasi"})
    result = run(masked, columns, thresholds=Thresholds(k=2, max_risk=0.4))
    assert rules(result) == {("reidentification_risk", None): 1}
    assert result.details.prosecutor is not None
    assert result.details.prosecutor.model_dump() == {
        "highest": 0.5,
        "average": 0.4,
        "records_at_risk": 0.4,
    }


def test_entropy_l_and_recursive_cl_are_gated_when_configured() -> None:
    # One class of 5: diagnosis counts (3, 1, 1) -> distinct l = 3, entropy l = 2.58,
    # recursive: r1 / (r2 + r3) = 1.5.
    masked = [{"g": "a", "d": d} for d in ("x", "x", "x", "y", "z")]
    columns = policy(
        g={"action": "keep", "role": "quasi"}, d={"action": "keep", "role": "sensitive"}
    )
    relaxed = Thresholds(k=2, l=2, t=1.0)
    assert rules(run(masked, columns, thresholds=relaxed)) == {}
    strict = Thresholds(k=2, l=2, t=1.0, l_entropy=3.0, c=1.5)
    result = run(masked, columns, thresholds=strict)
    assert rules(result) == {
        ("entropy_l_diversity", None): 0,
        ("recursive_cl_diversity", None): 0,
    }
    assert all(f.severity.value == "high" for f in result.findings if "diversity" in f.rule_id)
    assert result.details.c_needed == pytest.approx(1.5)


def test_hierarchical_t_from_a_csv_hierarchy_in_the_policy(tmp_path: Path) -> None:
    tree = tmp_path / "diseases.csv"
    tree.write_text("flu;respiratory;*\ncold;respiratory;*\nulcer;digestive;*\n", "utf-8")
    masked = [
        {"g": g, "d": d} for g, d in (("a", "flu"), ("a", "cold"), ("b", "ulcer"), ("b", "ulcer"))
    ]
    columns = policy(
        g={"action": "keep", "role": "quasi"},
        d={"action": "keep", "role": "sensitive", "hierarchy": str(tree)},
    )
    result = run(masked, columns, thresholds=Thresholds(k=2, l=1, t=1.0))
    (attribute,) = result.details.attributes
    assert attribute.distance == "hierarchical"
    # Overall flu 1/4, cold 1/4, ulcer 1/2; class a moves 1/2 across the root: 0.5.
    assert attribute.t == pytest.approx(0.5)
