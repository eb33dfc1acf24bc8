"""PII detection accuracy: per-entity precision and recall on two labelled datasets.

Run: .venv/bin/python benchmarks/pii_eval.py [--rows 2000] [--research PATH]

(a) presidio-research ``synth_dataset_v2.json`` (English sentences): this tool's
    analyzer vs plain Presidio (its predefined recognizers, no NER model, the same
    0.4 score threshold), both offline.
(b) a labelled Chinese + English structured dataset generated here with Faker
    (zh_CN, en_US) and this project's generators for identifiers Faker lacks or gets
    wrong (UnionPay cards, USCC, HK/TW IDs, passports, permits, plates without I/O),
    written to a CSV and scanned end to end by the scanner (header context, column
    shortcut included). Decoy columns hold invalid check digits and look-alikes.

A prediction is a true positive when it overlaps an unmatched gold span of the same
entity type; precision = TP / predictions, recall = TP / gold spans.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# Plain Presidio's e-mail/URL recognizers use tldextract's default extractor, which would
# fetch the public suffix list: point it at the bundled snapshot before it is imported.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("TLDEXTRACT_CACHE", tempfile.mkdtemp(prefix="tldextract-"))

from faker import Faker  # noqa: E402

from review.scanners.pii.detect import analyze_text  # noqa: E402
from review.scanners.pii.results import CellHit  # noqa: E402
from review.scanners.pii.scan import scan_paths  # noqa: E402
from review.scanners.pii.validators import resident_id_check_char  # noqa: E402
from tests import synthetic as syn  # noqa: E402

RESEARCH = REPO.parent / "shared" / "data" / "presidio-research" / "synth_dataset_v2.json"
THRESHOLD = 0.4

# Our entity names mapped onto presidio-research's labels for dataset (a).
TO_RESEARCH = {
    "CN_MOBILE_PHONE": "PHONE_NUMBER",
    "CN_BANK_CARD": "CREDIT_CARD",
    "CN_ADDRESS": "STREET_ADDRESS",
    "LOCATION": "GPE",
    "URL": "DOMAIN_NAME",
}

Span = tuple[int, int, str]


class Tally:
    """TP/FP/FN per entity."""

    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def add(self, gold: Iterable[Span], predicted: Iterable[Span]) -> None:
        unmatched = list(gold)
        for start, end, entity in predicted:
            match = next(
                (g for g in unmatched if g[2] == entity and start < g[1] and g[0] < end), None
            )
            if match is None:
                self.fp[entity] += 1
            else:
                unmatched.remove(match)
                self.tp[entity] += 1
        for _, _, entity in unmatched:
            self.fn[entity] += 1

    def row(self, entity: str) -> tuple[int, float | None, float | None]:
        tp, fp, fn = self.tp[entity], self.fp[entity], self.fn[entity]
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        return tp + fn, precision, recall


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


# ---------------------------------------------------------------- dataset (a)


def plain_presidio() -> object:
    """Presidio's predefined recognizers with no NER model (nothing downloaded)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    nlp.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    registry.remove_recognizer("SpacyRecognizer")
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def eval_research(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    ours, plain = Tally(), Tally()
    presidio = plain_presidio()
    for sample in data:
        text = sample["full_text"]
        gold = [(s["start_position"], s["end_position"], s["entity_type"]) for s in sample["spans"]]
        ours.add(
            gold,
            [
                (h.start, h.end, TO_RESEARCH.get(h.entity_type, h.entity_type))
                for h in analyze_text(text)
            ],
        )
        results = presidio.analyze(text, language="en", score_threshold=THRESHOLD)  # type: ignore[attr-defined]
        plain.add(
            gold, [(r.start, r.end, TO_RESEARCH.get(r.entity_type, r.entity_type)) for r in results]
        )
    entities = sorted(set(ours.tp) | set(ours.fn) | set(ours.fp) | set(plain.tp) | set(plain.fp))
    print(f"(a) presidio-research synth_dataset_v2: {len(data)} sentences, threshold {THRESHOLD}")
    heads = ("gold", "ours P", "ours R", "Presidio P", "Presidio R")
    print(
        f"    {'entity':<18} {heads[0]:>5}   {heads[1]:>7} {heads[2]:>7}   "
        + (f"{heads[3]:>10} {heads[4]:>10}")
    )
    for entity in entities:
        spans, p1, r1 = ours.row(entity)
        _, p2, r2 = plain.row(entity)
        ours_cells = f"{_fmt(p1):>7} {_fmt(r1):>7}"
        print(f"    {entity:<18} {spans:>5}   {ours_cells}   {_fmt(p2):>10} {_fmt(r2):>10}")


# ---------------------------------------------------------------- dataset (b)

TARGETS = {
    **dict.fromkeys(
        [
            "CN_RESIDENT_ID",
            "CN_BANK_CARD",
            "CN_USCC",
            "HK_ID_CARD",
            "TW_NATIONAL_ID",
            "CREDIT_CARD",
        ],
        (0.98, 0.99),
    ),
    **dict.fromkeys(
        ["CN_MOBILE_PHONE", "PHONE_NUMBER", "EMAIL_ADDRESS", "CN_PASSPORT", "CN_LICENSE_PLATE"],
        (0.95, 0.97),
    ),
}
US_AREAS = ("212", "312", "415", "617", "206", "303", "404", "512", "702", "919")


def us_phone(rng: random.Random) -> str:
    area, exchange, line = (
        rng.choice(US_AREAS),
        f"{rng.randrange(2, 10)}{rng.randrange(10)}{rng.randrange(10)}",
        f"{rng.randrange(10000):04d}",
    )
    return rng.choice(
        (f"+1 {area}-{exchange}-{line}", f"({area}) {exchange}-{line}", f"{area}.{exchange}.{line}")
    )


def bad_resident_id(rng: random.Random) -> str:
    good = syn.resident_id(rng)
    wrong = next(c for c in "0123456789X" if c != resident_id_check_char(good[:17]))
    return good[:17] + wrong


def bad_card(rng: random.Random) -> str:
    good = syn.bank_card(rng)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


# column -> (gold entity or None for decoys, value maker)
def columns(zh: Faker, en: Faker, rng: random.Random) -> dict[str, tuple[str | None, object]]:
    return {
        "姓名": ("PERSON", zh.name),
        "name": ("PERSON", en.name),
        "身份证号": ("CN_RESIDENT_ID", zh.ssn),
        "手机号": ("CN_MOBILE_PHONE", zh.phone_number),
        "phone": ("PHONE_NUMBER", lambda: us_phone(rng)),
        "email": ("EMAIL_ADDRESS", lambda: rng.choice((zh, en)).email()),
        "银行卡号": ("CN_BANK_CARD", lambda: syn.bank_card(rng)),
        "credit_card": ("CREDIT_CARD", en.credit_card_number),
        "统一社会信用代码": ("CN_USCC", lambda: syn.uscc(rng)),
        "香港身份证": ("HK_ID_CARD", lambda: syn.hkid(rng)),
        "台湾身份证": ("TW_NATIONAL_ID", lambda: syn.tw_id(rng)),
        "护照号": ("CN_PASSPORT", lambda: syn.passport(rng)),
        "车牌号": ("CN_LICENSE_PLATE", lambda: syn.plate(rng)),
        "通行证": ("CN_HMT_PERMIT", lambda: syn.hmt_permit(rng)),
        "地址": ("CN_ADDRESS", zh.address),
        "ip": ("IP_ADDRESS", en.ipv4_public),
        "ssn": ("US_SSN", en.ssn),
        "iban": ("IBAN_CODE", en.iban),
        "city": (None, zh.city),
        "order_no": (None, lambda: f"ORD{rng.randrange(10**11, 10**12)}"),
        "amount": (None, lambda: f"{rng.randrange(100000) / 100:.2f}"),
        "invalid_id": (None, lambda: bad_resident_id(rng)),
        "invalid_card": (None, lambda: bad_card(rng)),
        "digits18": (None, lambda: str(rng.randrange(10**17, 10**18))),
    }


CUES = {
    "CN_RESIDENT_ID": "身份证号{}已登记",
    "CN_MOBILE_PHONE": "请拨打手机号{}，谢谢",
    "CN_BANK_CARD": "退款到银行卡{}。",
    "EMAIL_ADDRESS": "邮箱{}。",
    "CN_PASSPORT": "护照号码{}，",
    "CN_LICENSE_PLATE": "车牌{}违停",
    "HK_ID_CARD": "香港身份证{}。",
    "CREDIT_CARD": "card number {} on file",
    "PHONE_NUMBER": "call me at {} please",
}


def build_dataset(path: Path, rows: int, seed: int) -> list[tuple[int, str, Span]]:
    zh, en = Faker("zh_CN"), Faker("en_US")
    zh.seed_instance(seed)
    en.seed_instance(seed)
    rng = random.Random(seed)
    spec = columns(zh, en, rng)
    header = [*spec, "notes"]
    gold: list[tuple[int, str, Span]] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in range(1, rows + 1):
            record = []
            for column, (entity, make) in spec.items():
                value = str(make()).replace("\n", " ")  # type: ignore[operator]
                record.append(value)
                if entity:
                    gold.append((row, column, (0, len(value), entity)))
            entity = rng.choice(sorted(CUES))
            value = str(spec[next(c for c, (e, _) in spec.items() if e == entity)][1]())  # type: ignore[operator]
            template = CUES[entity]
            start = template.index("{}")
            record.append(template.format(value))
            gold.append((row, "notes", (start, start + len(value), entity)))
            writer.writerow(record)
    return gold


def eval_generated(rows: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labelled.csv"
        gold = build_dataset(path, rows, seed)
        hits: list[CellHit] = []
        scan_paths([path], on_hit=hits.append)
    tally = Tally()
    by_cell: dict[tuple[int, str], list[Span]] = {}
    for row, column, span in gold:
        by_cell.setdefault((row, column), []).append(span)
    predicted: dict[tuple[int, str], list[Span]] = {}
    for hit in hits:
        predicted.setdefault((hit.row, hit.column or ""), []).append(
            (hit.start, hit.end, hit.entity_type)
        )
    for cell in sorted(set(by_cell) | set(predicted)):
        tally.add(by_cell.get(cell, []), predicted.get(cell, []))
    entities = sorted({span[2] for _, _, span in gold})
    width = len({column for _, column, _ in gold}) + 6  # labelled + decoy columns
    print(f"(b) generated zh/en structured data: {rows} rows x {width} columns (seed {seed})")
    print(f"    {'entity':<18} {'gold':>6} {'precision':>10} {'recall':>8}   target P/R   ")
    for entity in entities:
        n, precision, recall = tally.row(entity)
        target = TARGETS.get(entity)
        verdict = ""
        if target:
            ok = (precision or 0) >= target[0] and (recall or 0) >= target[1]
            verdict = f"{target[0]:.2f}/{target[1]:.2f}  {'ok' if ok else 'MISSED'}"
        print(f"    {entity:<18} {n:>6} {_fmt(precision):>10} {_fmt(recall):>8}   {verdict}")
    stray = sorted(set(tally.fp) - set(entities))
    if stray:
        print(
            "    other predictions (not labelled): "
            + ", ".join(f"{e} {tally.fp[e]}" for e in stray)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--research", type=Path, default=RESEARCH)
    args = parser.parse_args()
    if args.research.is_file():
        eval_research(args.research)
    else:
        print(f"(a) skipped: {args.research} not found")
    print()
    eval_generated(args.rows, args.seed)


if __name__ == "__main__":
    main()
