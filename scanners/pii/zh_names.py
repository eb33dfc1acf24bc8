"""Chinese person names in running text, without a model.

Segmentation with jieba (its MIT dictionary and HMM), a surname list, and context: a
title or position before (副局长张涛), a title, speech or action verb after (张伟表示,
李老师), cue words (我叫, 患者). Candidates are words jieba's dictionary tags as names or
does not know (its HMM joins unknown characters, which is how most names come out), a
surname followed by a short word (李/永春), and transliterated foreign names (from the
characters jieba's dictionary uses in them). A name seen once with strong evidence
counts for its other mentions in the same text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from review.scanners.pii.free_text import (
    FreeTextRecognizer,
    Hit,
    Token,
    has_han_words,
    segment,
)
from review.scanners.pii.vocab import COMMON, SURNAMES_1, SURNAMES_2, first_names, words

COMPOUND_SURNAMES = frozenset(SURNAMES_2.split("|"))
SINGLE_SURNAMES = frozenset(SURNAMES_1)

# Titles and positions written before a name (记者张三, 副局长张涛) or after it
# (叶老桂博士, 王先生).
TITLES = words(
    """
    局长 副局长 处长 副处长 科长 厅长 司长 署长 主任 副主任 经理 总经理 副总经理 董事长
    副董事长 董事 总裁 副总裁 总监 主管 主席 副主席 书记 副书记 部长 副部长 省长 副省长
    市长 副市长 县长 副县长 区长 镇长 村长 乡长 院长 副院长 校长 副校长 所长 馆长 站长
    社长 行长 会长 秘书长 理事长 委员 委员长 议员 大使 总统 副总统 总理 副总理 首相 国王
    王子 公主 皇帝 主教 教授 副教授 博士 硕士 研究员 学者 专家 工程师 分析师 设计师 律师
    医生 大夫 主治医师 医师 护士 护士长 老师 教师 班主任 法官 检察官 警官 民警 警察 干警
    记者 编辑 主编 总编 作者 作家 诗人 画家 导演 编剧 制片人 演员 歌手 主持人 艺人 明星
    球员 教练 主教练 队长 选手 运动员 冠军 老板 店主 厨师 司机 师傅 同学 网友 先生 女士
    小姐 太太 夫人 老先生 同志 总 董 老 小 大哥 大姐 阿姨 叔叔 奶奶 爷爷 儿子 女儿 妻子
    丈夫 父亲 母亲 哥哥 姐姐 弟弟 妹妹 家属 嫌疑人 被告 原告 当事人 犯罪嫌疑人 负责人
    创始人 发言人 代表 主演 队员 前锋 后卫 门将 中场 新秀 掌门人 CEO 总经理助理
    """
)
# Words said of a person right after the name (张伟表示, 李成说).
VERBS = words(
    """
    表示 说 称 认为 指出 介绍 透露 告诉 强调 坦言 回忆 解释 分析 笑称 说道 问 答 回答 建议
    提出 发现 感慨 直言 坦承 承认 否认 宣布 证实 补充 介绍说 表态 呼吁 提醒 希望 觉得 相信
    知道 看到 来到 带领 率领 获得 出生 毕业 担任 出任 当选 主演 饰演 执导 打电话 发微博
    写道 笑 哭 喊 叫 骂 想 爱 娶 嫁 死 去世 逝世 病逝 说出 讲述 谈到 提到 曾经 曾 也 则
    还 又 便 就 却 都 已 已经 正 正在 将 会 要 和 与 及 跟 同 对 被 把 向 给 等 等人
    """
)
STRONG_VERBS = words(
    """
    表示 说 称 认为 指出 介绍 透露 告诉 强调 坦言 回忆 解释 分析 笑称 说道 回答 建议 直言
    坦承 承认 否认 宣布 证实 补充 介绍说 表态 呼吁 提醒 感慨 写道 讲述 谈到 担任 出任 当选
    主演 饰演 执导 出生 毕业 去世 逝世 病逝
    """
)
# Cue words right before a name in customer text (我叫金燕, 用户李帆).
CUES = words(
    """
    我叫 叫 名叫 叫做 姓名 名字 用户 客户 顾客 联系人 收件人 收货人 患者 病人 员工 学生 乘客
    持卡人 申请人 本人 签名 经办人 投保人 被保险人 受益人 法人 法定代表人 借款人 担保人
    """
)
# Words around a team or a place rather than a person (切尔西vs阿森纳, 主场迎战桑德兰).
TEAM_CONTEXT = words(
    """
    vs VS v 对阵 对 迎战 主场 客场 主队 客队 战胜 击败 负于 逼平 不敌 输给 队 球迷 俱乐部
    联赛 主帅 之战 市 城 州 港 省 国 岛 人 军
    """
)
LIST_JOINERS = words("和 与 及 、 跟 同 或 ， ,")
# Parts of speech that do not start or end a given name.
_FUNCTION_TAGS = frozenset({"u", "uj", "ul", "uz", "ud", "ug", "uv", "p", "c", "y", "e", "o", "r"})
_NAME_TAGS = frozenset({"nr", "nrfg", ""})
# Tags of words that are not (parts of) names: places, organisations, function words.
_NOT_NAME_TAGS = frozenset({"ns", "nt", "m", "t", "q", "f", "x"}) | _FUNCTION_TAGS
_SEPARATORS = frozenset("·•‧・")
_THRESHOLD = 0.4
"""The analyzers' score threshold (engine.SCORE_THRESHOLD): a candidate below it is dropped."""
_STRONG = 0.6
"""A name found at least this sure counts for its other mentions."""


def _surname(word: str) -> int:
    """Length of the surname ``word`` starts with (0: none)."""
    if word[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if word[:1] in SINGLE_SURNAMES else 0


def _is_han(word: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in word)


@lru_cache(maxsize=1)
def _name_chars() -> tuple[dict[str, float], frozenset[str]]:
    """Given-name likeness per character and the transliteration characters, read off
    jieba's dictionary by scripts/build_pii_data.py (data/zh_name_chars.txt)."""
    text = resources.files("review.scanners.pii").joinpath("data/zh_name_chars.txt")
    likeness: dict[str, float] = {}
    foreign: set[str] = set()
    for line in text.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, ratio, is_foreign = line.split("\t")
            likeness[char] = float(ratio)
            if is_foreign == "1":
                foreign.add(char)
    return likeness, frozenset(foreign)


def given_name_weights() -> dict[str, float]:
    """How much more often a character appears in given names than in text at large
    (log ratio), from the three-character names in jieba's dictionary."""
    return _name_chars()[0]


def transliteration_chars() -> frozenset[str]:
    """Characters typical of transliterated foreign names (jieba's ``nrt`` words)."""
    return _name_chars()[1]


# Rank of each single surname by how many people bear it (the list is in that order).
SURNAME_RANK = {c: i for i, c in reversed(list(enumerate(SURNAMES_1)))}

# Evidence, summed into a candidate's score. Set on the CLUENER and Weibo training splits
# (never their held-out splits); "bias", added to every candidate, places the threshold.
WEIGHTS = {
    "word3": 0.5,  # a three-character word jieba does not know, starting with a surname
    "word2": 0.5,
    "name3": 0.4,  # a word jieba's dictionary tags as a name
    "name2": 0.1,
    "famous": 0.5,  # jieba's nrfg: names of well-known people
    "pair": 0.3,  # a lone surname and the next short word
    "translit": 0.2,
    "translit_known": 0.1,
    "translit_dotted": 0.6,
    "common_surname": 0.1,
    "rare_surname": -0.15,
    "given_high": 0.15,
    "given_mid": 0.05,
    "given_low": -0.15,
    "given_none": -0.3,
    "place_suffix": -0.4,
    "title_before": 0.35,
    "verb_after": 0.3,
    "weak_after": 0.1,
    "joiner": 0.05,
    "latin": 0.1,  # a Latin word in Chinese text, with a title before it
    "latin_listed": 0.3,  # ... listed as an English first name
    "tail_likeness": 2.0,  # least given-name likeness of a cut-off last character
    "listed": 0.2,  # least score of a candidate lifted by a name next to it in a list
    "noun_after": -0.1,
    "team_context": -0.2,
    "bias": 0.05,
    "guess_name": 0.15,  # jieba's HMM tags an unknown word nr
    "guessed": 0.1,  # an unknown word tagged nr, without a listed surname
    "guess_other": -0.2,  # jieba's HMM tags it as something else
}
# A name followed by one of these nouns is part of a longer name (切尔西队, 徐悲鸿研究会).
_NOUN_TAGS = frozenset({"n", "nz", "ng", "ns", "nt", "nr", "nrt", "j", "s", "vn"})
# Titles glued into one word with a surname (王先生, 张某) refer to no one in particular.
_BARE_TITLES = ("先生", "女士", "小姐", "某", "总", "老师", "师傅", "阿姨", "太太", "老板")
# Last characters of places and organisations, not of names (松坪村, 高龙岛, 欧冠中).
PLACE_SUFFIXES = frozenset(
    "村寺湾岛路街山河湖江海县市区镇乡省港桥楼院馆厂店队中内上下里外前后园城州府宫门台阁庙塔站场网报社局部会"
)


class ZhNameRecognizer(FreeTextRecognizer):
    """Chinese (and transliterated) person names in running Chinese text."""

    def __init__(self) -> None:
        super().__init__(["PERSON"], "ZhNameRecognizer")

    def wants(self, text: str) -> bool:
        # A value of two or three characters is a structured value (a name column's
        # cell), left to the name-shaped pattern and its header context.
        return len(text) >= 4 and has_han_words(text)

    def find(self, text: str) -> list[Hit]:
        tokens = segment(text)
        found: list[Hit] = []
        i = 0
        starts = _start_chars()
        while i < len(tokens):
            if tokens[i].word[0] not in starts and tokens[i].tag not in ("x", ""):
                i += 1
                continue
            candidate = _candidate(tokens, i)
            if candidate is not None and candidate[0].score >= _THRESHOLD:
                found.append(candidate[0])
                i = candidate[1] + 1
            else:
                i += 1
        return _propagate(text, _lists(tokens, found) + _latin_aliases(text, tokens, found))


def _lists(tokens: tuple[Token, ...], found: list[Hit]) -> list[Hit]:
    """In an enumeration (莫奈、夏卡尔及毕加索) a candidate next to a found name is a name."""
    if not found:
        return found
    out = list(found)
    starts = {h.start: h for h in found}
    ends = {h.end: h for h in found}
    for i, token in enumerate(tokens):
        if token.start in starts or token.word[0] not in _start_chars():
            continue
        candidate = _candidate(tokens, i)
        if candidate is None:
            continue
        hit, last = candidate
        if hit.score < WEIGHTS["listed"] or any(
            hit.start < h.end and h.start < hit.end for h in out
        ):
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        if (before is not None and before.word in LIST_JOINERS and before.start in ends) or (
            after is not None and after.word in LIST_JOINERS and after.end in starts
        ):
            out.append(Hit(hit.start, hit.end, "PERSON", _THRESHOLD))
    return sorted(out)


def _latin_aliases(text: str, tokens: tuple[Token, ...], found: list[Hit]) -> list[Hit]:
    """A Latin name in brackets right after a name is the same person (泰勒（Taylor）)."""
    out = []
    for hit in found:
        match = _ALIAS.match(text, hit.end)
        if match is not None:
            out.append(Hit(match.start(1), match.end(1), "PERSON", hit.score))
    return out


_ALIAS = re.compile(r"[（(]([A-Za-z][A-Za-z .'\-]{1,40})[)）]")


def _candidate(tokens: tuple[Token, ...], i: int) -> tuple[Hit, int] | None:
    """The name starting at token ``i`` (with the index of its last token), if any."""
    w = WEIGHTS
    token = tokens[i]
    word = token.word
    surname = _surname(word) if _is_han(word) else 0
    last = i
    if surname and len(word) == surname and i + 1 < len(tokens):
        # A surname standing alone, then the given name: 李/永春, 何/丽丽.
        given = tokens[i + 1]
        if not (
            _is_han(given.word)
            and 1 <= len(given.word) <= 2
            and given.tag not in _FUNCTION_TAGS
            and given.word not in TITLES
            and given.word not in VERBS
        ):
            return None
        score = w["pair"] + _name_shape(word + given.word, surname)
        last = i + 1
    elif surname and surname < len(word) <= surname + 2 and token.tag in _NAME_TAGS:
        if len(word) == surname + 1 and i + 1 < len(tokens):
            # The last character of a three-character name cut off: 张照/新, 李静/姝.
            tail = tokens[i + 1]
            if (
                len(tail.word) == 1
                and _is_han(tail.word)
                and tail.tag not in _FUNCTION_TAGS
                and tail.tag not in ("v", "d", "m", "q", "f")
                and given_name_weights().get(tail.word, -3.0) >= w["tail_likeness"]
            ):
                word += tail.word
                last = i + 1
        size = "3" if len(word) - surname == 2 else "2"
        kind = {"": "word", "nr": "name", "nrfg": "famous"}[token.tag]
        score = w[kind + size] if kind != "famous" else w["famous"]
        score += _name_shape(word, surname)
        if token.tag == "" and last == i:
            # jieba's HMM guesses a tag for the words it finds: nr for most names.
            score += w["guess_name"] if token.guess == "nr" else w["guess_other"]
    elif _is_han(word) and _transliterated(word) and token.tag not in _NOT_NAME_TAGS:
        # Transliterated names, split by jieba or joined by a middle dot: 菲尔/普斯,
        # 西摩尔·霍夫曼.
        j = i
        dotted = False
        while j + 1 < len(tokens):
            nxt = tokens[j + 1]
            if _transliterated(nxt.word) and nxt.tag not in _NOT_NAME_TAGS:
                j += 1
            elif (
                nxt.word in _SEPARATORS
                and j + 2 < len(tokens)
                and _transliterated(tokens[j + 2].word)
            ):
                j += 2
                dotted = True
            else:
                break
        length = tokens[j].end - token.start
        if length < 2:
            return None
        score = w["translit_dotted"] if dotted else w["translit"] + (0.1 if length >= 3 else 0.0)
        if token.tag == "nrt" and j == i:
            score += w["translit_known"]
        elif token.tag == "" and j == i and token.guess in ("nr", "nrt"):
            score += w["guess_name"]
        last = j
    elif token.tag == "" and token.guess in ("nr", "nrt") and 2 <= len(word) <= 4:
        # A word jieba does not know and guesses is a name, without a listed surname.
        score = w["guessed"]
    elif token.tag == "x" and word.isalpha() and word.isascii() and len(word) >= 2:
        # A Latin name in Chinese text counts only with a title before it or a speech
        # verb after it (队长Enel, 选手Grubby表示).
        listed = _latin_name(word)
        if not listed and (i == 0 or tokens[i - 1].word not in TITLES):
            return None
        score = w["latin"] + (w["latin_listed"] if listed else 0.0)
    else:
        return None
    start, end = tokens[i].start, tokens[last].end
    if tokens[last].word.endswith(_BARE_TITLES):
        return None
    score += _context(tokens, i, last) + w["bias"]
    return Hit(start, end, "PERSON", round(min(score, 1.0), 4)), last


def _name_shape(name: str, surname: int) -> float:
    """Evidence from the characters: how common the surname, how name-like the rest."""
    w = WEIGHTS
    score = 0.0
    if surname == 2:
        score += w["common_surname"]
    else:
        rank = SURNAME_RANK.get(name[0], len(SURNAME_RANK))
        score += w["common_surname"] if rank < 60 else w["rare_surname"] if rank >= 150 else 0.0
    weights = given_name_weights()
    rest = name[surname:]
    likeness = sum(weights.get(c, -3.0) for c in rest) / len(rest)
    if likeness >= 2:
        score += w["given_high"]
    elif likeness >= 1:
        score += w["given_mid"]
    elif likeness < -1:
        score += w["given_none"]
    elif likeness < 0:
        score += w["given_low"]
    if name[-1] in PLACE_SUFFIXES:
        score += w["place_suffix"]
    return score


@lru_cache(maxsize=1)
def _start_chars() -> frozenset[str]:
    """Characters a name can start with: surnames and transliteration characters."""
    return SINGLE_SURNAMES | {s[0] for s in COMPOUND_SURNAMES} | transliteration_chars()


def _transliterated(word: str) -> bool:
    chars = transliteration_chars()
    return all(c in chars for c in word)


def _latin_name(word: str) -> bool:
    """A Latin word that is (or starts with) a listed English first name: Erik, ChrisMorris."""
    parts = re.findall(r"[A-Z][a-z]+", word) if word[:1].isupper() else [word]
    first = parts[0].lower() if parts else ""
    return len(first) >= 3 and first in first_names() and first not in COMMON


def _context(tokens: tuple[Token, ...], first: int, last: int) -> float:
    """Evidence around a candidate from the words before and after it."""
    score = 0.0
    before = tokens[first - 1].word if first > 0 else ""
    after = tokens[last + 1].word if last + 1 < len(tokens) else ""
    w = WEIGHTS
    if before in TITLES or before in CUES:
        score += w["title_before"]
    elif before in LIST_JOINERS:
        score += w["joiner"]
    if after in STRONG_VERBS or after in TITLES:
        score += w["verb_after"]
    elif after in VERBS:
        score += w["weak_after"]
    elif last + 1 < len(tokens) and tokens[last + 1].tag in _NOUN_TAGS:
        score += w["noun_after"]
    if before in TEAM_CONTEXT or after in TEAM_CONTEXT:
        score += w["team_context"]
    return score


def _propagate(text: str, found: list[Hit]) -> list[Hit]:
    """Other mentions of a name found with strong evidence count as that name."""
    strong = {text[h.start : h.end] for h in found if h.score >= _STRONG}
    if not strong:
        return found
    out = list(found)
    for name in strong:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if all(end <= h.start or start >= h.end for h in out):
                out.append(Hit(start, end, "PERSON", _STRONG))
            start = text.find(name, end)
    return sorted(out)
