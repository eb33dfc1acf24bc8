"""Chinese addresses in running text, street level first, from the division gazetteer.

An address is a street-level core — a road, street, lane, village, estate or building
name (中山路, 东巷, 子君村, 余家头小区, 青蓝大厦) or a house number (8号楼3单元201室) —
extended to the left over administrative divisions at any level (北京市朝阳区, 海淀,
长阳镇) and to the right over numbers, further streets and buildings. It is
``CN_ADDRESS``. Divisions on their own (北京, 朝阳区) are ``LOCATION``: a place, not a
person's address. Words that merely end like a street (农村, 城乡, 道路, 渠道) are not
streets: a street name is a word jieba's dictionary does not list as a common word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from review.scanners.pii.free_text import (
    HAN_CHAR,
    FreeTextRecognizer,
    Hit,
    Token,
    segment,
    segmenter,
)
from review.scanners.pii.vocab import PROVINCES, words

# Endings of street-level place names, longest first.
STREET_SUFFIXES = (
    "步行街", "大街", "大道", "胡同", "小区", "社区", "新村", "花园", "公寓", "大厦", "大楼",
    "广场", "家园", "山庄", "国道", "省道", "街道", "路", "街", "巷", "村", "苑", "里",
    "道", "坊", "屯", "庄", "地铁站", "火车站", "汽车站",
)  # fmt: skip
_SPLIT_DIVISION_ENDS = frozenset("省市区县旗镇乡")
_SUFFIX_ENDS = frozenset(s[-1] for s in STREET_SUFFIXES)
# Endings strong enough to count on their own in a word jieba does not know.
_WEAK_SUFFIXES = frozenset({"里", "道", "坊", "屯", "庄", "苑", "广场", "花园", "大楼"})
# Endings that close a street name written as their own word (人民/路, 余家头/小区).
_STRONG_ENDINGS = frozenset(s for s in STREET_SUFFIXES if s not in _WEAK_SUFFIXES)
# A street ending with a place word glued on by jieba (工业/路上, 泗水/街头).
_LOCATIVE_ENDINGS = words("路上 路边 路口 路旁 路段 街上 街头 街边 街口 巷里 巷口 村里 村口")
# Two or three name characters and a road, street, lane or village ending, the name not
# holding characters that start or end ordinary phrases.
_LOOSE_ENDING = re.compile(
    f"((?:(?![的之了在到从是和与及为把被将就都也还又这那一个条些每全本该此其各我你他她它们])[{HAN_CHAR}]){{2,3}})"
    "[村路街巷]"
)
# Tags of proper nouns and of words jieba does not know.
_PROPER_TAGS = frozenset({"ns", "nr", "nz", "nrt", "nt", "j", ""})
# Endings of roads and streets (as opposed to villages, estates and buildings).
_ROAD_ENDINGS = frozenset("路街道巷")
_VERB_TAGS = frozenset({"v", "vn", "vd", "d", "a", "ad", "p"})
# Endings jieba's HMM glues to the next character (蒜/村经/适房).
_GLUED_ENDINGS = frozenset("村路街巷")
# Numbers and directions before an ending: 中山/四路, 建设/六马路, 南京/东路.
_NUMBERED = re.compile("[0-9二三四五六七八九十东西南北中马]*")
# Tags of dictionary words that are common words, not place names (农村 n, 知道 v).
_COMMON_TAGS = frozenset(
    {"n", "v", "vn", "vd", "a", "ad", "an", "d", "i", "l", "m", "q", "r", "f", "t", "c", "p",
     "u", "uj", "ul", "y", "e", "o", "z", "b", "g", "ng", "vg", "ag", "tg", "k", "h", "mq"}
)  # fmt: skip
# Tags of words that can name a street in front of its ending (人民/路, 余家头/小区).
_NAME_PART_TAGS = words(" n vn ns nr nz nt nrt j m a ng s") | {""}
_DIVISION_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "地区", "街道", "省", "市", "区", "县", "旗", "盟", "镇", "乡",
)  # fmt: skip
_NUMBER = re.compile(
    r"(?:[0-9０-９A-Za-z\-－一二三四五六七八九十百零〇]{1,8}"
    r"(?:号楼|号院|号线|号口|号门|号|栋|幢|单元|层|楼|室|座|弄|期|组|门|户|出口))+"
)
_HAN = re.compile(f"[{HAN_CHAR}]")
# A postal code written after the address: six digits, not part of a longer number.
_POSTCODE = re.compile(r"[ \u3000,，]?[1-9]\d{5}(?!\d)")
# Words that introduce an address, never part of it (住址北京市..., 位于金融大街).
ADDRESS_CUES = words(
    "住址 地址 地点 位置 位于 家住 住在 寄往 寄至 居住地 收货地址 家庭住址 通讯地址 所在地 坐落"
)
# Words after a street that make it an organisation's name (淮海路派出所, 德雅路支行).
ORG_WORDS = words(
    """
    支行 分行 营业部 营业厅 派出所 分局 中学 小学 幼儿园 医院 法院 检察院 办事处 分店 店
    门店 专卖店 分公司 公司 酒店 饭店 宾馆 银行 信用社 工商所 税务所 邮局 支局 校区 大学
    学院 研究所 委员会 居委会 村委会 管委会 街道办 小组 指数
    """
)
_MAX_NAME = 8
"""Longest street name in front of its ending, in characters."""


@lru_cache(maxsize=1)
def divisions() -> dict[str, int]:
    """Division name -> level (1 province ... 4 township), full names and short forms.

    Short forms (北京, 朝阳, 望京) are kept for levels 1-3 when at least two characters
    remain; township short forms only serve to start an address, never alone.
    """
    text = resources.files("review.scanners.pii").joinpath("data/cn_divisions.txt")
    full: dict[str, int] = {}
    for line in text.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            number, name = line.split("\t")
            full[name] = min(int(number), full.get(name, 9))
    for name in PROVINCES.split("|"):
        full.setdefault(name, 1)
    names = dict(full)
    for full_name, level in full.items():
        for suffix in _DIVISION_SUFFIXES:
            short = full_name[: -len(suffix)]
            if full_name.endswith(suffix) and len(short) >= 2:
                names.setdefault(short, level + 10)  # +10: a short form
                break
    return names


def _street_word(token: Token) -> bool:
    """A single word that is a street-level place name (中山路, 子君村)."""
    word = token.word
    if word[-1] not in _SUFFIX_ENDS or len(word) < 2 or not _HAN.match(word):
        return False
    if token.tag in _COMMON_TAGS:
        # A rare noun can be a street (金融街, 学院路); a frequent one is a common word
        # (农村, 道路, 马路).
        freq = segmenter().freq.get(word, 0)
        if token.tag != "n" or freq >= (2000 if len(word) >= 3 else 200):
            return False
    for suffix in STREET_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return suffix not in _WEAK_SUFFIXES or token.tag in ("ns", "")
    return False


def _name_part(token: Token) -> bool:
    if token.word in _SPLIT_DIVISION_ENDS:
        return True  # a division ending jieba cut off: 东城/县/建路
    return (
        token.tag in _NAME_PART_TAGS
        and token.word not in ADDRESS_CUES
        and divisions().get(token.word, 10) >= 10
        and len(token.word) <= _MAX_NAME
        and _HAN.match(token.word) is not None
        and token.word not in STREET_SUFFIXES
    )


class ZhAddressRecognizer(FreeTextRecognizer):
    """Chinese street-level addresses (CN_ADDRESS) and division names (LOCATION)."""

    def __init__(self) -> None:
        super().__init__(["CN_ADDRESS", "LOCATION"], "ZhAddressRecognizer")

    def wants(self, text: str) -> bool:
        return len(text) >= 2 and _HAN.search(text) is not None

    def find(self, text: str) -> list[Hit]:
        tokens = segment(text)
        names = divisions()
        cores = _street_cores(tokens)
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            last = cores.get(i, -1)
            if (
                last >= 0
                and not _inside_title(text, tokens[i].start)
                and not (last + 1 < len(tokens) and tokens[last + 1].word in ORG_WORDS)
            ):
                first = _extend_left(tokens, i, names)
                end = _extend_right(text, tokens, last, cores)
                core_end = _core_end(tokens, last)
                if first < i or end > core_end or _proper_street(tokens, i, last):
                    hits.append(Hit(tokens[first].start, end, "CN_ADDRESS", 0.85))
                    i = _token_at(tokens, end, last)
                    continue
            number = _NUMBER.match(text, tokens[i].start)
            division = _division(tokens, i, names)
            if division is not None:
                last, level = division
                after = tokens[last].end
                if _NUMBER.match(text, after) or last + 1 in cores:
                    i = last + 1  # the street core that follows starts the address
                    continue
                if level < 4 or (level in (11, 12) and tokens[i].tag not in _COMMON_TAGS):
                    hits.append(Hit(tokens[i].start, after, "LOCATION", 0.5))
                i = last + 1
                continue
            numbered = _numbered_place(text, tokens, i)
            if numbered is not None:
                hits.append(Hit(tokens[i].start, numbered, "CN_ADDRESS", 0.7))
                i = _token_at(tokens, numbered, i)
                continue
            if number is not None and _building_number(number.group()):
                hits.append(Hit(number.start(), number.end(), "CN_ADDRESS", 0.6))
                i = _token_at(tokens, number.end(), i)
                continue
            i += 1
        hits += _loose_streets(text, tokens, hits)
        return _merge_locations(text, sorted(hits))


def _inside_title(text: str, offset: int) -> bool:
    """Inside 《》: the title of a book, film or show (《爱情公寓》), not a place."""
    opened = text.rfind("《", 0, offset)
    return opened >= 0 and text.find("》", opened, offset) < 0


def _building_number(value: str) -> bool:
    """A number naming a flat or a building, not a count (3号, 2楼 alone are too weak)."""
    units = sum(value.count(u) for u in ("号楼", "栋", "幢", "单元", "室"))
    return units >= 2 or ("号" in value and any(u in value for u in ("室", "单元", "栋", "层")))


def _street_cores(tokens: tuple[Token, ...]) -> dict[int, int]:
    """Street-level names: for each token that can start one, the token it ends at.

    A name ends at a street word (中山路, 子君村) or at a separate ending after name
    words or divisions (人民/路, 余家头/小区, 观澜/街道, 中山/四路, 工业/路上); found from
    the endings, which are few."""
    cores: dict[int, int] = {}
    names = divisions()
    for k, token in enumerate(tokens):
        word = token.word
        if word[-1] not in _SUFFIX_ENDS and word not in _LOCATIVE_ENDINGS:
            if (
                token.tag == ""
                and word[0] in _GLUED_ENDINGS
                and k > 0
                and _name_part(tokens[k - 1])
            ):
                cores.setdefault(k - 1, k)  # 蒜/村经/适房: jieba's HMM glued 村 to 经
            continue
        if word == "街道":
            # A township office split by jieba (和/义/街道): the gazetteer knows its name.
            for back in (2, 3):
                if k >= back - 1 and "".join(t.word for t in tokens[k - back + 1 : k + 1]) in names:
                    cores.setdefault(k - back + 1, k)
        street = _street_word(token)
        ending = (
            word in _STRONG_ENDINGS
            or word in _LOCATIVE_ENDINGS
            or (word[-1] in _STRONG_ENDINGS and _NUMBERED.fullmatch(word[:-1]) is not None)
        )
        if not street and not ending:
            continue
        start = k
        length = 0
        while start > 0 and length + len(tokens[start - 1].word) <= _MAX_NAME:
            before = tokens[start - 1]
            if not (_name_part(before) or (before.word in names and before.tag != "x")):
                break
            start -= 1
            length += len(before.word)
        for i in range(start, k + 1 if street else k):
            cores.setdefault(i, k)
    return cores


def _loose_streets(text: str, tokens: tuple[Token, ...], hits: list[Hit]) -> list[Hit]:
    """Streets and villages jieba cut across (日子/君村经/适房): a road, street, lane or
    village ending read off the characters, with two or three name characters before it,
    where neither the ending nor its neighbours make a common word (农村, 马路, 村民)."""
    freq = segmenter().freq
    starts = {t.start for t in tokens}
    out = []
    for match in _LOOSE_ENDING.finditer(text):
        end = match.end()
        name = match.group(1)
        if match.start() not in starts or any(
            h.start < end and match.start() < h.end for h in hits
        ):
            continue
        # The ending inside a common word: 农村, 跑路, 村民, 路线.
        tail_tag = segmenter().tags.get(text[end - 2 : end])
        if (tail_tag is not None and tail_tag not in _PROPER_TAGS) or freq.get(
            text[end - 1 : end + 1], 0
        ) >= 100:
            continue
        if _inside_title(text, match.start()) or any(text.startswith(w, end) for w in ORG_WORDS):
            continue
        if segmenter().tags.get(name) in _COMMON_TAGS:
            continue
        out.append(Hit(match.start(), end, "CN_ADDRESS", 0.6))
    return out


def _numbered_place(text: str, tokens: tuple[Token, ...], i: int) -> int | None:
    """End of a place name with a house or gate number (广渠门外10号, 中国馆1号门)."""
    j = i
    while j < len(tokens) and j < i + 2 and _proper_place(tokens[j]):
        j += 1
        number = _NUMBER.match(text, tokens[j - 1].end)
        if number is not None and "号" in number.group():
            return number.end()
    return None


def _proper_place(token: Token) -> bool:
    """A proper noun that can name a place: not a person's name, not a common word."""
    return _HAN.match(token.word) is not None and (
        token.tag in ("ns", "nz", "nt", "") and token.guess not in ("nr", *_VERB_TAGS)
    )


def _proper_street(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """A street name standing alone (no division before it, no number after it) must
    look like a name: a proper noun (中山路, 子君村), or any words before a road ending
    (人民路, 工业路上), not a common word with an ending (主路, 艺术村, 别墅社区)."""
    if first == last:
        token = tokens[last]
        if token.word[-1] in "里道" and token.tag != "ns" and token.guess != "ns":
            return False  # 纳斯里, 阿邦丹齐里, 禅道: names and words, not lanes
        # Two characters are mostly a common word (主路, 驻村, 江里) unless a place name
        # or a rare village name (宏村, 蒜村).
        village = (
            token.word[-1] == "村"
            and token.guess not in _VERB_TAGS
            and segmenter().freq.get(token.word, 0) < 50
        )
        return len(token.word) >= 3 or token.tag == "ns" or token.guess == "ns" or village
    parts = tokens[first:last]
    freq = segmenter().freq
    if any(
        t.tag in _PROPER_TAGS or t.guess == "ns" or (t.tag == "n" and freq.get(t.word, 0) < 500)
        for t in parts
    ):
        return True  # a proper noun or a rare one: 中山/路, 贵友/大厦, 蒜/村
    ending = tokens[last].word
    road = ending in _LOCATIVE_ENDINGS or ending[-1] in _ROAD_ENDINGS
    return road and sum(len(t.word) for t in parts) >= 2


def _core_end(tokens: tuple[Token, ...], last: int) -> int:
    """Where a street name ends: inside 路上 or 街头 (or 村经), after the ending."""
    token = tokens[last]
    if token.word in _LOCATIVE_ENDINGS or (
        token.tag == "" and token.word[0] in _GLUED_ENDINGS and token.word[-1] not in _SUFFIX_ENDS
    ):
        return token.start + 1
    return token.end


def _division(tokens: tuple[Token, ...], i: int, names: dict[str, int]) -> tuple[int, int] | None:
    """A division name starting at token ``i`` (one token, or a name and its ending
    split by jieba: 长阳/镇): its last token and level."""
    word = tokens[i].word
    if i + 1 < len(tokens) and tokens[i + 1].word in _DIVISION_SUFFIXES:
        joined = word + tokens[i + 1].word
        level = names.get(joined)
        if level is not None and level < 10:
            return i + 1, level
    level = names.get(word)
    if level is None or tokens[i].tag in _COMMON_TAGS - {"n"}:
        return None
    return i, level


def _extend_left(tokens: tuple[Token, ...], first: int, names: dict[str, int]) -> int:
    """Divisions right before a street core belong to the address."""
    while first > 0:
        word = tokens[first - 1].word
        if word in names:
            first -= 1
        elif word in _DIVISION_SUFFIXES and first > 1 and tokens[first - 2].word + word in names:
            first -= 2
        else:
            break
    return first


def _extend_right(text: str, tokens: tuple[Token, ...], last: int, cores: dict[int, int]) -> int:
    """End of the address: numbers, further streets and buildings after the core."""
    end = _core_end(tokens, last)
    if end < tokens[last].end:
        return end  # 工业路上: nothing follows the street
    while True:
        number = _NUMBER.match(text, end)
        if number is not None:
            end = number.end()
            continue
        k = _token_at(tokens, end, last)
        if k < len(tokens) and tokens[k].start == end and k in cores:
            end = _core_end(tokens, cores[k])
            continue
        postcode = _POSTCODE.match(text, end)
        return postcode.end() if postcode else end


def _token_at(tokens: tuple[Token, ...], offset: int, hint: int) -> int:
    """Index of the first token starting at or after ``offset``."""
    k = hint
    while k < len(tokens) and tokens[k].start < offset:
        k += 1
    return k


def _merge_locations(text: str, hits: list[Hit]) -> list[Hit]:
    """Adjacent division names are one place (北京市朝阳区)."""
    out: list[Hit] = []
    for hit in hits:
        if (
            out
            and hit.entity == "LOCATION"
            and out[-1].entity == "LOCATION"
            and out[-1].end == hit.start
        ):
            out[-1] = Hit(out[-1].start, hit.end, "LOCATION", max(out[-1].score, hit.score))
        else:
            out.append(hit)
    return out
