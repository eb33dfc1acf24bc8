"""The closed registry of verdict rules, each with a bilingual explanation for findings.

Placeholders: ``{lic}`` the dependency's license, ``{outbound}`` the project's, ``{mode}``
the distribution mode.
"""

from __future__ import annotations

from review.core.models import Text

RULES: dict[str, Text] = {
    "same-license": Text(
        en="{lic} is the project's own license.", zh="{lic} 与本项目的许可证相同。"
    ),
    "or-later-upgrade": Text(
        en="{lic} lets the licensee pick a later version that {outbound} accepts.",
        zh="{lic} 允许选用 {outbound} 可接受的更高版本。",
    ),
    "permissive-inbound": Text(
        en="{lic} only asks for notices, which {outbound} can keep.",
        zh="{lic} 仅要求保留版权与许可声明，{outbound} 可以满足。",
    ),
    "apache2-into-gpl2": Text(
        en="{outbound} cannot take {lic} code: its patent-termination terms are further "
        "restrictions under GPL-2.0 / LGPL-2.x.",
        zh="{outbound} 不能接纳 {lic} 代码：其专利终止条款对 GPL-2.0 / LGPL-2.x 而言属于额外限制。",
    ),
    "permissive-term-rejected": Text(
        en="{outbound} cannot take {lic} code: {lic} has terms (advertising clause or "
        "similar) that {outbound} forbids.",
        zh="{outbound} 不能接纳 {lic} 代码：{lic} 含有 {outbound} 禁止的条款（如广告条款）。",
    ),
    "not-open": Text(en="{lic} is not an open-source license.", zh="{lic} 不是开源许可证。"),
    "copyleft-into-permissive": Text(
        en="{lic} code must stay under {lic}, but the work is licensed {outbound}.",
        zh="{lic} 代码必须保持 {lic} 许可，而本作品以 {outbound} 许可。",
    ),
    "relicensable": Text(
        en="{lic} code may be used under {outbound}.", zh="{lic} 代码可以按 {outbound} 使用。"
    ),
    "gpl2-only-gpl3-mix": Text(
        en="GPL-2.0-only and GPL-3.0 code cannot be combined.",
        zh="仅限 GPL-2.0 的代码与 GPL-3.0 代码不能合并使用。",
    ),
    "copyleft-mismatch": Text(
        en="{lic} and {outbound} are both copyleft and {lic} has no clause allowing its code "
        "under {outbound}.",
        zh="{lic} 与 {outbound} 均为著佐权（copyleft）许可证，且 {lic} 没有允许其代码以 {outbound} "
        "发布的条款。",
    ),
    "unknown-license": Text(
        en="The engine has no rules for {lic}: a person must check it.",
        zh="引擎没有关于 {lic} 的规则，需要人工核查。",
    ),
    "proprietary-license": Text(
        en="{lic} is proprietary: check that the organisation holds a license for this use.",
        zh="{lic} 为专有许可，请核实本组织是否已获得此用途的授权。",
    ),
    "source-available-internal": Text(
        en="{lic} is not open source; its use restrictions may cover internal use.",
        zh="{lic} 不是开源许可证，其使用限制可能涵盖内部使用。",
    ),
    "source-available-terms": Text(
        en="{lic} is not open source and restricts offering or shipping the software ({mode}).",
        zh="{lic} 不是开源许可证，限制以 {mode} 方式提供或分发软件。",
    ),
    "internal-use": Text(
        en="Nothing is distributed or offered to others, so no license obligation triggers.",
        zh="软件仅在内部使用、不对外分发或提供，因此不触发许可义务。",
    ),
    "weak-copyleft-as-library": Text(
        en="{lic} used as a separate, imported library is fine when shipped, with obligations: "
        "keep it replaceable and offer the library's source.",
        zh="{lic} 作为独立、可替换的导入库随产品分发是可以的，"
        "但须履行义务：保持可替换并提供该库的源代码。",
    ),
    "gpl-incompatible-library": Text(
        en="{outbound} covers the whole program with every library it links or imports, and "
        "{lic} is not GPL-compatible (FSF license list), library or not.",
        zh="{outbound} 的效力及于整个程序及其链接或导入的所有库，而 {lic} 与 GPL 不兼容"
        "（依 FSF 许可证列表），无论是否作为库使用。",
    ),
    "asf-category-a": Text(
        en="The ASF policy lists {lic} in Category A: it may be included.",
        zh="ASF 政策将 {lic} 列为 A 类：可以包含。",
    ),
    "asf-category-b": Text(
        en="The ASF policy lists {lic} in Category B: include it in binary form only, "
        "labelled prominently with its license and homepage.",
        zh="ASF 政策将 {lic} 列为 B 类：只能以二进制形式包含，并须醒目标注其许可证与主页。",
    ),
    "asf-category-b-source": Text(
        en="The ASF policy lists {lic} in Category B (binary form only), and embedding "
        "includes its source.",
        zh="ASF 政策将 {lic} 列为 B 类（仅限二进制形式），而嵌入方式会包含其源代码。",
    ),
    "asf-category-x": Text(
        en="The ASF policy lists {lic} in Category X: it may not be included in source or "
        "binary form.",
        zh="ASF 政策将 {lic} 列为 X 类：不得以源代码或二进制形式包含。",
    ),
    "asf-unlisted": Text(
        en="The ASF policy does not list {lic}: ask the Legal Affairs Committee.",
        zh="ASF 政策未列出 {lic}：请咨询 ASF 法律事务委员会。",
    ),
    "copyleft-in-distributed": Text(
        en="{lic} covers the whole program that imports it when shipped, and that cannot be "
        "licensed {outbound}.",
        zh="分发时 {lic} 的效力及于导入它的整个程序，而该程序无法以 {outbound} 许可。",
    ),
    "weak-copyleft-embedded": Text(
        en="{lic} code copied or statically combined into the work must stay under {lic}, "
        "which {outbound} does not allow.",
        zh="被复制或静态合并进作品的 {lic} 代码必须保持 {lic} 许可，{outbound} 不允许这样做。",
    ),
    "not-conveyed-in-saas": Text(
        en="Offering software over a network does not convey it, so only network clauses apply.",
        zh="通过网络提供服务不构成分发，只有网络条款适用。",
    ),
    "network-copyleft-compatible": Text(
        en="The project's own license accepts {lic}; offer the source to network users.",
        zh="本项目的许可证可接纳 {lic}；须向网络用户提供源代码。",
    ),
    "network-copyleft-in-saas": Text(
        en="{lic} requires offering the complete source of the service to its network users "
        "under {lic}, which conflicts with {outbound}.",
        zh="{lic} 要求以 {lic} 向网络用户提供整个服务的完整源代码，这与 {outbound} 冲突。",
    ),
    "policy-deny": Text(en="{lic} is on the deny list.", zh="{lic} 在禁止清单中。"),
    "policy-allow": Text(en="{lic} is on the allow list.", zh="{lic} 在允许清单中。"),
    "policy-review": Text(en="{lic} is on the review list.", zh="{lic} 在需审查清单中。"),
    "dev-only": Text(
        en="Only needed for development: not shipped nor run in production.",
        zh="仅用于开发，不随产品分发，也不在生产环境运行。",
    ),
    "unresolved-license": Text(
        en="No valid SPDX license could be determined.",
        zh="无法确定有效的 SPDX 许可证。",
    ),
}


def explain(rule: str, lic: str, outbound: str, mode: str) -> Text:
    """The rule's explanation filled in for one dependency."""
    text = RULES[rule]
    values = {"lic": lic, "outbound": outbound, "mode": mode}
    return Text(en=text.en.format(**values), zh=text.zh.format(**values))
