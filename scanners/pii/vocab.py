"""Words the recognizers share: Presidio's language code, provinces, Chinese surnames, and
the English name lists, titles and common words (no Presidio import: names are screened
with them before the analyzer is loaded)."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

LANGUAGE = "en"
"""Presidio language code every recognizer is registered under: texts here are mixed zh/en,
so all recognizers run on every text rather than being split by language."""

PROVINCES = (
    "北京市|天津市|上海市|重庆市|河北省|山西省|辽宁省|吉林省|黑龙江省|江苏省|浙江省|安徽省|"
    "福建省|江西省|山东省|河南省|湖北省|湖南省|广东省|海南省|四川省|贵州省|云南省|陕西省|"
    "甘肃省|青海省|台湾省|内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|"
    "新疆维吾尔自治区|香港特别行政区|澳门特别行政区"
)
# The most common Chinese surnames (about 90% of the population), most borne first, plus
# compound ones. Characters that mostly start ordinary words (高, 金, 方, 常) are listed
# too: a surname alone never makes a name (a header, context or name-like characters do).
SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    "洪鞠薄尉相封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬郗班仰秋仲伊宫宁仇栾暴甘"
    "钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻"
    "莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习"
    "宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖"
    "融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公禹练萧傅"
)
SURNAMES_2 = (
    "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|轩辕|令狐|钟离|端木|"
    "独孤|南宫|西门|百里|呼延|万俟|闻人|赫连|澹台|公冶|宗政|濮阳|太叔|申屠|第五"
)


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (word lists written as one string)."""
    return frozenset(text.split())


TITLES = words(
    """
    mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame lady lord madam
    president vice-president senator sen. rep. representative congressman congresswoman
    governor gov. mayor minister premier chancellor secretary ambassador judge justice
    king queen prince princess pope cardinal bishop archbishop rev. reverend father sister
    brother saint st. general gen. colonel col. captain capt. lieutenant lt. sergeant sgt.
    officer detective inspector agent coach manager chairman chairwoman ceo chief
    director actor actress singer rapper player striker goalkeeper midfielder defender
    champion rookie quarterback pitcher forward guard center uncle aunt grandma grandpa
    mom dad mum cousin nephew niece wife husband son daughter boyfriend girlfriend
    """
)
# Words right after a name that show it names a person.
VERBS_AFTER = words(
    """
    said says told added asked replied wrote explained noted insisted admitted denied
    announced argued believes believed thinks thought wants wanted tweeted posted
    """
)
STOP = words(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yes yeah oh ok okay
    lol omg rt via new good great happy best love thanks thank please hey hi hello dear
    today tonight tomorrow yesterday god lord jesus christ christmas easter
    """
)
# First names that are also everyday English words or places: a capital letter at the
# start of a sentence or a headline does not make them names on their own.
COMMON = words(
    """
    will may june april august march mark bill rose grace hope joy faith love summer autumn
    winter dawn sunny rich frank earl king prince duke guy jack chase hunter page dean art
    gene carol ray bob sue pat don van sky lily iris holly ivy jade amber ruby pearl crystal
    storm rain river brook forest chance major rocky angel christian young long white brown
    black green gray grey price cook baker miller smith carter porter tucker walker wood
    hill lane bell best golden sterling noble royal sunday monday tuesday wednesday
    thursday friday saturday january february september october november december america
    american english british french german china chinese japan india georgia virginia
    carolina florida jordan israel chad houston austin dallas phoenix denver eugene
    paris london berlin lincoln washington jersey york trinity unity liberty justice
    star sugar honey candy cherry apple peach pepper ginger sage basil jan feb mar apr jun
    jul aug sep sept oct nov dec sun mon tue wed thu fri sat
    """
)


def _names_dir() -> Path:
    spec = importlib.util.find_spec("names")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise RuntimeError("the 'names' package (US Census name lists) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _ranked(path: Path, limit: int) -> dict[str, int]:
    """Name -> frequency rank from a Census list (lines: NAME freq cumulative rank)."""
    ranks: dict[str, int] = {}
    with path.open(encoding="ascii") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) <= limit:
                ranks.setdefault(parts[0].lower(), int(parts[3]))
    return ranks


@lru_cache(maxsize=1)
def first_names() -> dict[str, int]:
    """Lower-cased first name -> rank among the Census first names (male and female)."""
    folder = _names_dir()
    male = _ranked(folder / "dist.male.first", 5000)
    female = _ranked(folder / "dist.female.first", 5000)
    return {n: min(male.get(n, 10**6), female.get(n, 10**6)) for n in male.keys() | female}


@lru_cache(maxsize=1)
def surnames() -> dict[str, int]:
    """Lower-cased surname -> rank among the Census surnames."""
    return _ranked(_names_dir() / "dist.all.last", 100_000)
