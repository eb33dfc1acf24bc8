"""The prescreen: a text it rules out is one the full analyzer finds nothing in."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.scanners.pii.detect import default_analyzer, find_spans
from review.scanners.pii.prescreen import REASONED_FOR, could_hold_personal_data
from review.scanners.pii.recognizers import RECOGNIZERS
from review.scanners.pii.vocab import (
    COMMON,
    STOP,
    TITLES,
    VERBS_AFTER,
    first_names,
    surnames,
    words,
)
from tests.hostile.test_properties import EXAMPLES

HEADER_WORDS = words(
    """
    age band gender sex city postcode zip code birth decade year month day date diagnosis
    education marital status occupation relationship race native country income hours per
    week capital gain loss workclass fnlwgt id user customer order amount total price phone
    mobile email address name first last full contact person employer job title salary
    department region province district street number account card bank note notes comment
    message text label score flag type kind group class level grade rank value count
    """
)
MONTHS = words("jan feb mar apr may jun jul aug sep oct nov dec")


def _pool() -> list[str]:
    common_surnames = sorted(surnames(), key=surnames().__getitem__)[:3000]
    firsts = sorted(first_names(), key=first_names().__getitem__)[:300]
    return sorted(
        {*HEADER_WORDS, *MONTHS, *STOP, *COMMON, *common_surnames, *firsts, *TITLES, *VERBS_AFTER}
    )


def _casings(word: str) -> list[str]:
    return [word.lower(), word.capitalize(), word.upper()]


def _ruled_out_but_found(texts: list[str]) -> list[tuple[str, list[str]]]:
    analyzer = default_analyzer()
    wrong = []
    for text in texts:
        if not could_hold_personal_data(text):
            found = analyzer.analyze(text)
            if found:
                wrong.append((text, [hit.entity_type for hit in found]))
    return wrong


def test_the_recognizers_are_the_ones_the_prescreen_was_reasoned_for() -> None:
    # A new recognizer may find something in plain words: reason it into the prescreen.
    assert set(RECOGNIZERS) == REASONED_FOR


def test_no_single_word_it_rules_out_holds_anything() -> None:
    pool = _pool()
    texts = [c for word in pool for c in _casings(word)]
    texts += [f"{w}{d}" for w in pool[:500] for d in ("3", "-5", "5-", "42", "-123", "_999")]
    assert _ruled_out_but_found(texts) == []


def test_no_pair_of_words_it_rules_out_holds_anything() -> None:
    pool = _pool()
    rng = random.Random(20261201)
    texts = []
    for _ in range(6000):
        left, right = rng.choice(pool), rng.choice(pool)
        for separator in (" ", "_", "-", ""):
            texts.append(f"{rng.choice(_casings(left))}{separator}{rng.choice(_casings(right))}")
    assert _ruled_out_but_found(texts) == []


@EXAMPLES
@given(
    st.lists(
        st.one_of(
            st.sampled_from(sorted(HEADER_WORDS | MONTHS)),
            st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=24),
        ),
        max_size=4,
    ),
    st.sampled_from([" ", "_", "-", ""]),
)
def test_no_random_plain_text_it_rules_out_holds_anything(parts: list[str], sep: str) -> None:
    assert _ruled_out_but_found([sep.join(parts)]) == []


@pytest.mark.parametrize(
    "text",
    ["age_band", "gender", "postcode3", "pytest-of-root", "pytest-123", "v2_final",
     "birth_decade", "marital-status", "hours-per-week",
     "native country", "Bachelors", "Never-married", "Exec-managerial", "Female", "diagnosis"],
)  # fmt: skip
def test_plain_headers_and_categories_skip_the_analyzer(text: str) -> None:
    assert not could_hold_personal_data(text)


@pytest.mark.parametrize(
    "text",
    ["john smith", "Alex Morgan", "mary", "id 4111111111111111", "张三", "a@b.cn", "5-May",
     "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "Dr Who", "GB82WEST12345698765432", "10.0.0.1"],
)  # fmt: skip
def test_texts_that_may_hold_personal_data_reach_the_analyzer(text: str) -> None:
    assert could_hold_personal_data(text)
    assert find_spans(text) or text in {"mary", "Dr Who", "张三"}  # found, or needs more context


def test_desensitise_check_on_plain_headers_never_loads_presidio(tmp_path: Path) -> None:
    table = tmp_path / "release.csv"
    table.write_text(
        "age_band,gender,postcode3,diagnosis\n"
        + "".join(f"{20 + i % 3 * 10}-{29 + i % 3 * 10},{'MF'[i % 2]},10{i % 2},d{i % 4}\n"
                  for i in range(40)),
        encoding="utf-8",
    )  # fmt: skip
    code = (
        "import sys\n"
        "from review.cli.main import cli\n"
        "try:\n"
        f"    cli.main(['desensitise', 'check', {str(table)!r}, '--format', 'json',"
        " '--qi', 'age_band,gender,postcode3', '--sa', 'diagnosis'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('presidio_analyzer', 'spacy'))),"
        " file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert '"k": ' in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[]"


def test_pairs_of_listed_words_reach_the_analyzer() -> None:
    # The rules are not vacuous: first names and name-shaped pairs are let through.
    firsts = sorted(first_names(), key=first_names().__getitem__)[:50]
    for first, last in itertools.product(firsts[:10], ["smith", "Jones"]):
        assert could_hold_personal_data(f"{first}_{last}")
