"""Risk figures said the way a data-protection officer reads them, in both languages."""

from __future__ import annotations

from collections.abc import Sequence

from review.core.i18n import label
from review.core.models import Text
from review.scanners.desensitisation.anonymise import Solution
from review.scanners.desensitisation.config import Thresholds
from review.scanners.desensitisation.risk import Diversity, RiskReport


def one_in(probability: float) -> str:
    """0.33 -> '1 in 3' (rounded to a whole number of people)."""
    return f"1 in {max(1, round(1 / probability))}" if probability > 0 else "none"


def _one_in_zh(probability: float) -> str:
    return f"{max(1, round(1 / probability))} 人中 1 人" if probability > 0 else "无"


def uniqueness(risk: RiskReport, quasi: Sequence[str]) -> Text:
    """'36.8% of records are unique on age, sex, postcode; ... re-identifies 1 in 3'."""
    names = ", ".join(quasi)
    names_zh = "、".join(quasi)
    average = risk.prosecutor.average
    return Text(
        en=f"{risk.unique_share:.1%} of records are unique on {names}; an attacker who knows "
        f"these values of someone in the data re-identifies {one_in(average)} on average, "
        f"and anyone in the smallest group (k = {risk.k}) with probability "
        f"{risk.prosecutor.highest:.2f}.",
        zh=f"{risk.unique_share:.1%} 的记录在{names_zh}上唯一；知道某人这些取值的攻击者平均可"
        f"重识别{_one_in_zh(average)}，最小等价类（k = {risk.k}）中的人被重识别的概率为 "
        f"{risk.prosecutor.highest:.2f}。",
    )


def suppression(risk: RiskReport) -> Text | None:
    if not risk.suppressed:
        return None
    return Text(
        en=f"{risk.suppressed} records ({risk.suppression_rate:.1%}) are suppressed ('*' in "
        "every quasi-identifier) and, as in ARX, left out of the risk figures.",
        zh=f"{risk.suppressed} 条记录（{risk.suppression_rate:.1%}）已整体屏蔽"
        "（所有准标识符为 *），与 ARX 一致，不计入风险。",
    )


def population(risk: RiskReport) -> Text:
    if risk.population is None or risk.population_uniqueness is None:
        return Text(
            en="No population size given: journalist and marketer risk are the sample's "
            "upper bounds (equal to the prosecutor figures).",
            zh="未给出总体规模：记者风险与营销者风险取样本上界（等于检察官风险）。",
        )
    return Text(
        en=f"Drawn from a population of {risk.population:,}: an estimated "
        f"{risk.population_uniqueness:.2%} of records are unique in the population (Zayatz); "
        f"journalist risk at most {risk.journalist.highest:.3f}, marketer risk "
        f"{risk.marketer_average:.3f}.",
        zh=f"总体规模 {risk.population:,}：估计 {risk.population_uniqueness:.2%} 的记录在总体中"
        f"唯一（Zayatz 模型）；记者风险最高 {risk.journalist.highest:.3f}，营销者风险 "
        f"{risk.marketer_average:.3f}。",
    )


def _verdict(ok: bool) -> tuple[str, str]:
    return ("meets", "达标") if ok else ("FAILS", "未达标")


def attribute(div: Diversity, limits: Thresholds) -> Text:
    """l and t of one sensitive attribute against the thresholds."""
    l_ok = div.l_distinct >= limits.l
    t_ok = div.t <= limits.t
    l_en, l_zh = _verdict(l_ok)
    t_en, t_zh = _verdict(t_ok)
    extra_en = extra_zh = ""
    if limits.l_entropy is not None:
        e_en, e_zh = _verdict(div.l_entropy >= limits.l_entropy)
        extra_en += f"; entropy l = {div.l_entropy:.2f} {e_en} ≥ {limits.l_entropy}"
        extra_zh += f"；熵 l = {div.l_entropy:.2f}，要求 ≥ {limits.l_entropy}，{e_zh}"
    if limits.c is not None:
        c_en, c_zh = _verdict(div.c_needed < limits.c)
        extra_en += f"; recursive ({limits.c:g}, {limits.l})-diversity {c_en}"
        extra_zh += f"；递归 ({limits.c:g}, {limits.l})-多样性{c_zh}"
    return Text(
        en=f"'{div.column}': the least diverse group holds {div.l_distinct} distinct values "
        f"(l {l_en} ≥ {limits.l}); the most telling group's distribution is t = {div.t:.3f} "
        f"from the whole table's ({div.distance} distance; t {t_en} ≤ {limits.t}){extra_en}.",
        zh=f"“{div.column}”：多样性最低的等价类有 {div.l_distinct} 个不同取值（l 要求 ≥ "
        f"{limits.l}，{l_zh}）；分布偏离全表最大的等价类 t = {div.t:.3f}"
        f"（{label(f'des.distance.{div.distance}').zh}；要求 ≤ {limits.t}，{t_zh}）{extra_zh}。",
    )


def not_assessed() -> Text:
    return Text(
        en="Re-identification risk was not assessed: no quasi-identifier is declared. Name "
        "them with --qi (and sensitive attributes with --sa), or give columns role = "
        "'quasi' / 'sensitive' in the config.",
        zh="未评估重识别风险：未声明任何准标识符。请用 --qi（敏感属性用 --sa）指定，"
        "或在配置中为列设置 role = 'quasi' / 'sensitive'。",
    )


def explain(risk: RiskReport | None, quasi: Sequence[str], limits: Thresholds) -> list[Text]:
    """Every sentence about the dataset's re-identification risk, headline first."""
    if risk is None:
        return [not_assessed()]
    lines = [uniqueness(risk, quasi)]
    if (suppressed := suppression(risk)) is not None:
        lines.append(suppressed)
    lines.extend(attribute(div, limits) for div in risk.diversity)
    lines.append(population(risk))
    return lines


def chosen(solution: Solution, rows: int) -> Text:
    """What apply's search chose, and the information it cost."""
    levels = ", ".join(f"{c} at level {n}" for c, n in solution.levels.items())
    levels_zh = "，".join(f"{c} 第 {n} 层" for c, n in solution.levels.items())
    suppressed = int(solution.suppressed.sum())
    rate = suppressed / rows if rows else 0.0
    return Text(
        en=f"Generalised {levels}; {suppressed} records suppressed ({rate:.1%}); information "
        f"loss: NCP {solution.ncp:.3f}, discernibility {solution.discernibility:.4g} "
        f"(best of {solution.feasible} feasible of {solution.nodes} level combinations).",
        zh=f"泛化层级：{levels_zh}；屏蔽 {suppressed} 条记录（{rate:.1%}）；信息损失：NCP "
        f"{solution.ncp:.3f}，可区分度 {solution.discernibility:.4g}"
        f"（{solution.nodes} 种层级组合中 {solution.feasible} 种可行，取最优）。",
    )
