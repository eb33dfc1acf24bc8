"""The built-in checklists: complete in both languages, unique ids, right article numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from review.checklists.loader import BUILTIN, builtin_path, load_builtin, load_checklist_file
from review.checklists.model import Checklist, Item
from review.core.errors import InputError
from review.core.models import Text

CJK = re.compile(r"[\u4e00-\u9fff]")

# Every framework a built-in checklist may cite, with the valid shape of its articles.
ARTICLE_SHAPES = {
    "PIPL": r"\d+",
    "DSL": r"\d+",
    "CSL": r"\d+",
    "CN-Algorithm-Provisions": r"\d+",
    "CN-GenAI-Measures": r"\d+",
    "CN-AIGC-Labelling-Measures": r"\d+",
    "GB/T 45654-2025": r"\d+(\.\d+)*",
    "GDPR": r"\d+(\(\d+\))?(\([a-z]\))?",
    "EU-AI-Act": r"\d+(\(\d+\))?",
}
# Highest article number of the statutes not in ../shared/data/laws-cn.
LAST_ARTICLE = {
    "GDPR": 99,
    "EU-AI-Act": 113,
    "CN-GenAI-Measures": 24,
    "CN-AIGC-Labelling-Measures": 14,
}
LAW_FILES = {
    "PIPL": "pipl-2021-08-20.md",
    "DSL": "data-security-law-2021-06-10.md",
    "CSL": "cybersecurity-law-2016-11-07.md",
    "CN-Algorithm-Provisions": "algorithm-recommendation-provisions-2021-11-16.md",
}
# What the article a checklist relies on must actually say.
ARTICLE_KEYWORDS = {
    ("PIPL", 13): "方可处理个人信息",
    ("PIPL", 24): "自动化决策",
    ("PIPL", 28): "敏感个人信息",
    ("PIPL", 29): "单独同意",
    ("PIPL", 31): "十四周岁",
    ("PIPL", 38): "境外",
    ("PIPL", 41): "外国司法或者执法机构",
    ("PIPL", 46): "更正",
    ("PIPL", 48): "解释说明",
    ("PIPL", 47): "删除",
    ("PIPL", 52): "个人信息保护负责人",
    ("PIPL", 54): "合规审计",
    ("PIPL", 55): "个人信息保护影响评估",
    ("PIPL", 56): "三年",
    ("PIPL", 57): "泄露",
    ("PIPL", 73): "去标识化",
    ("CSL", 21): "等级保护",
    ("CSL", 37): "境内存储",
    ("DSL", 21): "分类分级",
    ("DSL", 31): "重要数据",
    ("CN-Algorithm-Provisions", 7): "科技伦理审查",
    ("CN-Algorithm-Provisions", 22): "申诉",
    ("CN-Algorithm-Provisions", 24): "十个工作日",
}

_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(text: str) -> int:
    """Chinese numerals as used in article numbers: 五十五 -> 55, 一百零一 -> 101, 十 -> 10."""
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (digit or 1) * unit
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {char}")
    return total + digit


@pytest.mark.parametrize(
    ("text", "value"), [("十", 10), ("十三", 13), ("二十", 20), ("五十五", 55), ("一百零一", 101)]
)
def test_cn_number(text: str, value: int) -> None:
    assert cn_number(text) == value


def statute(shared_data: Path, framework: str) -> dict[int, str]:
    """Article number -> text of the article's paragraphs."""
    articles: dict[int, str] = {}
    current = None
    text = (shared_data / "laws-cn" / LAW_FILES[framework]).read_text(encoding="utf-8")
    for line in text.splitlines():
        match = re.match(r"^第([零一二两三四五六七八九十百千]+)条\s*(.*)", line)
        if match:
            current = cn_number(match.group(1))
            articles[current] = match.group(2)
        elif current is not None and line.strip() and not line.startswith("#"):
            articles[current] += line
    return articles


def all_checklists() -> list[Checklist]:
    return [load_builtin(checklist_id) for checklist_id in BUILTIN]


def texts(checklist: Checklist) -> list[tuple[str, Text]]:
    out = [("title", checklist.title), ("description", checklist.description)]
    for s_index, section in enumerate(checklist.sections):
        out.append((f"sections[{s_index}].title", section.title))
        for item in section.items:
            where = f"{checklist.id}.{item.id}"
            out += [(f"{where}.title", item.title), (f"{where}.question", item.question)]
            out.append((f"{where}.guidance", item.guidance))
            out += [(f"{where}.criteria", c.description) for c in item.criteria]
    return out


def test_registry_matches_data_files() -> None:
    folder = builtin_path("pipl").parent
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(BUILTIN.values())


@pytest.mark.parametrize("checklist_id", list(BUILTIN))
def test_every_text_has_both_languages(checklist_id: str) -> None:
    checklist = load_builtin(checklist_id)
    assert checklist.id == checklist_id
    for where, text in texts(checklist):
        assert text.en.strip() and text.zh.strip(), where
        assert CJK.search(text.zh), f"{where}.zh has no Chinese"
        assert not CJK.search(text.en), f"{where}.en contains Chinese"
        # YAML line folding puts a space between Chinese characters; Chinese has none.
        assert not re.search(r"[\u4e00-\u9fff，。；：、] [\u4e00-\u9fff]", text.zh), where


@pytest.mark.parametrize("checklist_id", list(BUILTIN))
def test_references_are_well_formed(checklist_id: str) -> None:
    for _, item in load_builtin(checklist_id).items():
        # Regulation checklists cite for every item; the ethics list has practice items too.
        assert item.references or checklist_id == "ai-ethics", f"{checklist_id}.{item.id}"
        for ref in item.references:
            assert ref.framework in ARTICLE_SHAPES, f"{checklist_id}.{item.id}: {ref.framework}"
            assert re.fullmatch(ARTICLE_SHAPES[ref.framework], ref.article), (item.id, ref)
            number = int(re.match(r"\d+", ref.article).group())  # type: ignore[union-attr]
            if ref.framework in LAST_ARTICLE:
                assert 1 <= number <= LAST_ARTICLE[ref.framework], (item.id, ref)


def missing_articles(checklist: Checklist, laws: dict[str, dict[int, str]]) -> list[str]:
    """References to Chinese statute articles that do not exist; counts checked ones too."""
    missing = []
    for _, item in checklist.items():
        for ref in item.references:
            if ref.framework in laws:
                number = int(re.match(r"\d+", ref.article).group())  # type: ignore[union-attr]
                if number not in laws[ref.framework]:
                    missing.append(f"{checklist.id}.{item.id}: {ref}")
    return missing


def test_chinese_statute_references_exist(shared_data: Path) -> None:
    laws = {framework: statute(shared_data, framework) for framework in LAW_FILES}
    assert len(laws["PIPL"]) == 74
    assert len(laws["CN-Algorithm-Provisions"]) == 35
    for checklist in all_checklists():
        assert missing_articles(checklist, laws) == []
    cited = sum(
        1
        for checklist in all_checklists()
        for _, item in checklist.items()
        for ref in item.references
        if ref.framework in laws
    )
    assert cited > 40


def test_a_wrong_article_number_is_caught(shared_data: Path) -> None:
    laws = {"PIPL": statute(shared_data, "PIPL")}
    data = yaml.safe_load(builtin_path("pipl").read_text(encoding="utf-8"))
    data["sections"][0]["items"][0]["references"] = [{"framework": "PIPL", "article": "75"}]
    broken = Checklist.model_validate(data)
    assert missing_articles(broken, laws) == ["pipl.principles: PIPL Art. 75"]


@pytest.mark.parametrize(("key", "keyword"), list(ARTICLE_KEYWORDS.items()))
def test_cited_articles_say_what_we_rely_on(
    shared_data: Path, key: tuple[str, int], keyword: str
) -> None:
    framework, number = key
    assert keyword in statute(shared_data, framework)[number]


def _articles(checklist_id: str, framework: str) -> set[int]:
    return {
        int(re.match(r"\d+", ref.article).group())  # type: ignore[union-attr]
        for _, item in load_builtin(checklist_id).items()
        for ref in item.references
        if ref.framework == framework
    }


@pytest.mark.parametrize(
    ("checklist_id", "framework", "required"),
    [
        (
            "pipl",
            "PIPL",
            {5, 6, 7, 13, 14, 17, 21, 23, 24, 28, 29, 38, 39, 40, 47, 51, 52} | set(range(54, 59)),
        ),
        (
            "gdpr",
            "GDPR",
            {5, 6, 9, 25, 28, 30, 32, 33, 34, 35, 37} | set(range(12, 23)) | set(range(44, 50)),
        ),
        ("genai-cn", "CN-GenAI-Measures", {4, 7, 9, 10, 11, 12, 14, 17}),
        ("genai-cn", "CN-Algorithm-Provisions", {24}),
        ("genai-cn", "GB/T 45654-2025", {5, 6, 7}),
        ("eu-ai-act", "EU-AI-Act", set(range(9, 16)) | {26, 27, 50}),
    ],
)
def test_required_articles_are_covered(
    checklist_id: str, framework: str, required: set[int]
) -> None:
    assert required <= _articles(checklist_id, framework)


def _item(checklist_id: str, item_id: str) -> Item:
    return {i.id: i for _, i in load_builtin(checklist_id).items()}[item_id]


def test_ai_ethics_covers_every_topic() -> None:
    ids = set(load_builtin("ai-ethics").item_ids())
    topics = {
        "launch-review",
        "three-level-filter",
        "autonomy-threshold",
        "abnormal-utterances",
        "parameter-confirmation",
        "alternatives",
        "resource-use",
        "satisfaction-sampling",
        "feedback-channel",
        "explainability",
        "dialogue-fallback",
        "fault-tolerance",
        "training-data-deletion",
        "drift-monitoring",
        "content-safety",
        "annotation-consistency",
        "aigc-copyright",
        "aigc-labelling",
        "cultural-adaptation",
        "bias-fairness",
        "data-minimisation",
        "accountability",
        "redress",
    }
    assert {f"ai-ethics.{t}" for t in topics} <= ids
    (confidence,) = _item("ai-ethics", "autonomy-threshold").criteria
    assert (confidence.comparator.value, confidence.threshold, confidence.unit) == (">=", 80, "%")
    (resources,) = _item("ai-ethics", "resource-use").criteria
    assert (resources.comparator.value, resources.threshold) == ("<", 60)
    assert _item("ai-ethics", "launch-review").blocking


def test_genai_thresholds_are_measurable() -> None:
    bounds = {
        c.metric: (c.comparator.value, c.threshold)
        for _, item in load_builtin("genai-cn").items()
        for c in item.criteria
    }
    assert bounds["corpus-qualified-rate"] == (">=", 96)
    assert bounds["generated-qualified-rate"] == (">=", 90)
    assert bounds["should-refuse-rate"] == (">=", 95)
    assert bounds["non-refusal-refuse-rate"] == ("<=", 5)
    assert bounds["keyword-library-size"] == (">=", 10000)
    assert bounds["filing-working-days"] == ("<=", 10)


def test_pia_and_dpia_are_triggered() -> None:
    assert "sensitive_pi" in _item("pipl", "pia").blocking_when
    assert "special_category" in _item("gdpr", "dpia").blocking_when
    (retention,) = _item("pipl", "pia-content-retention").criteria
    assert (retention.comparator.value, retention.threshold) == (">=", 3)


def _mutated(tmp_path: Path, change: str) -> Path:
    data = yaml.safe_load(builtin_path("pipl").read_text(encoding="utf-8"))
    item = data["sections"][0]["items"][0]
    if change == "empty-zh":
        item["question"]["zh"] = ""
    elif change == "missing-en":
        del item["guidance"]["en"]
    elif change == "duplicate-id":
        item["id"] = data["sections"][1]["items"][0]["id"]
    elif change == "bad-reference":
        item["references"] = [{"framework": "PIPL"}]
    path = tmp_path / "pipl.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("empty-zh", "sections[0].items[0].question.zh: string should have at least 1 character"),
        ("missing-en", "sections[0].items[0].guidance.en: missing required key"),
        ("duplicate-id", "duplicate id 'entrusted-processing' in items"),
        ("bad-reference", "sections[0].items[0].references[0].article: missing required key"),
    ],
)
def test_broken_checklist_is_rejected_with_field_path(
    tmp_path: Path, change: str, message: str
) -> None:
    path = _mutated(tmp_path, change)
    with pytest.raises(InputError) as caught:
        load_checklist_file(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
