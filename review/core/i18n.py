"""The bilingual message catalogue: every fixed text, both languages side by side.

One stable id per text. The report's labels, entity and category names, levels, verdicts,
gate rules and product conditions all live here, so a test can check that every one has
both languages and that a Chinese report carries no English term.
"""

from __future__ import annotations

import re

from review.core.models import Text

LABELS: dict[str, Text] = {
    "report.title": Text(en="Compliance and ethics review report", zh="合规与伦理审查报告"),
    "cover.project": Text(en="Project", zh="项目"),
    "cover.version": Text(en="Version", zh="版本"),
    "cover.commit": Text(en="Commit", zh="提交"),
    "cover.date": Text(en="Review date", zh="审查日期"),
    "cover.rendered": Text(en="Report rendered", zh="报告生成时间"),
    "cover.reviewers": Text(en="Reviewers", zh="审核人"),
    "cover.verdict": Text(en="Overall verdict", zh="总体结论"),
    "cover.gate": Text(en="Automated gate", zh="自动门禁"),
    "cover.none": Text(en="none listed", zh="未列出"),
    "verdict.pass": Text(en="Pass", zh="通过"),
    "verdict.fail": Text(en="Fail", zh="未通过"),
    "verdict.pending": Text(en="Pending sign-off", zh="待签核"),
    "verdict.pending_note": Text(
        en="Waiting for the decision of: {names}.", zh="尚待以下审核人决定：{names}。"
    ),
    "verdict.rejected_note": Text(en="Rejected by: {names}.", zh="被以下审核人否决：{names}。"),
    "verdict.conditions_note": Text(
        en="Approved with conditions by: {names}.", zh="以下审核人附条件批准：{names}。"
    ),
    "toc.title": Text(en="Contents", zh="目录"),
    "summary.title": Text(en="Executive summary", zh="执行摘要"),
    "summary.gate_reasons": Text(en="Why the gate failed", zh="门禁未通过的原因"),
    "summary.gate_passed": Text(
        en="No open finding reached the gate threshold '{fail_on}'.",
        zh="没有未关闭的发现达到门禁阈值「{fail_on}」。",
    ),
    "summary.counts": Text(en="Findings by severity", zh="按严重程度统计的发现"),
    "summary.accepted_n": Text(en="+{n} accepted", zh="另有 {n} 项已接受"),
    "summary.counts_open": Text(
        en="The counts are open findings, as the gate counts them; {findings} accepted "
        "finding(s) and {reasons} accepted gate reason(s) are listed in the register of "
        "accepted risks.",
        zh="以上为未关闭的发现数（与门禁的计数一致）；已接受的 {findings} 项发现和 {reasons} "
        "项门禁原因列于已接受风险登记表。",
    ),
    "accepted.title": Text(en="Register of accepted risks", zh="已接受风险登记表"),
    "accepted.intro": Text(
        en="Findings and gate reasons that do not fail the gate because they were accepted: "
        "by a baseline, an ignore rule, a license waiver or a reviewer's risk acceptance. "
        "An expired acceptance is listed too, and counts again.",
        zh="因已被接受而不导致门禁失败的发现和门禁原因：来自基线、忽略规则、许可证豁免或审核人"
        "的风险接受。已过期的接受也列于此，并重新计入门禁。",
    ),
    "accepted.none": Text(
        en="Nothing is accepted: every finding counts.", zh="没有已接受的风险：所有发现均计入。"
    ),
    "accepted.label": Text(en="accepted", zh="已接受"),
    "accepted.expired": Text(en="acceptance expired: open again", zh="接受已过期：重新计入"),
    "accepted.until": Text(en="until", zh="有效期至"),
    "accepted.source.baseline": Text(en="baseline", zh="基线"),
    "accepted.source.ignore-rule": Text(en="ignore rule", zh="忽略规则"),
    "accepted.source.waiver": Text(en="license waiver", zh="许可证豁免"),
    "accepted.source.risk-acceptance": Text(
        en="risk accepted by a reviewer", zh="审核人接受的风险"
    ),
    "col.source": Text(en="Accepted through", zh="接受方式"),
    "col.expires": Text(en="Expires", zh="到期日"),
    "stage.gate_reasons": Text(en="Gate reasons from this stage", zh="本阶段的门禁原因"),
    "stage.open_accepted": Text(
        en="{open} open, {accepted} accepted; {reasons} gate reason(s)",
        zh="未关闭 {open}，已接受 {accepted}；门禁原因 {reasons} 项",
    ),
    "chk.measured": Text(en="Measured", zh="实测"),
    "chk.required": Text(en="required", zh="要求"),
    "chk.not_measured": Text(en="not measured", zh="未测量"),
    "chk.accepted_by": Text(en="accepted by", zh="接受人"),
    "chk.not_reviewer": Text(en="not a configured reviewer", zh="不是配置的审核人"),
    "answer.yes": Text(en="yes", zh="是"),
    "answer.no": Text(en="no", zh="否"),
    "answer.partial": Text(en="partial", zh="部分"),
    "answer.n/a": Text(en="n/a", zh="不适用"),
    "answer.unanswered": Text(en="unanswered", zh="未回答"),
    "summary.total": Text(en="Total", zh="合计"),
    "chart.findings": Text(en="Findings by stage and severity", zh="各阶段发现（按严重程度）"),
    "chart.licenses": Text(en="License categories of dependencies", zh="依赖项许可证类别"),
    "chart.pii": Text(en="PII entities by column (hit ratio)", zh="各列个人信息实体（命中率）"),
    "chart.checklists": Text(en="Checklist completion per regulation", zh="各法规检查清单完成度"),
    "chart.more": Text(en="… and {n} more (see the table)", zh="……另有 {n} 项（见表格）"),
    "chart.empty": Text(en="Nothing to show.", zh="无数据。"),
    "stage.pii": Text(en="Personal information in sample data", zh="样本数据中的个人信息"),
    "stage.desensitisation": Text(en="Desensitisation verification", zh="脱敏效果验证"),
    "stage.licenses": Text(en="Open-source licenses", zh="开源许可证"),
    "stage.checklist": Text(en="Checklists", zh="检查清单"),
    "stage.other": Text(en="Stage: {name}", zh="阶段：{name}"),
    "stage.ran": Text(en="ran", zh="已运行"),
    "stage.skipped": Text(en="skipped", zh="未运行"),
    "stage.findings": Text(en="Findings", zh="发现"),
    "stage.no_findings": Text(en="No findings.", zh="没有发现。"),
    "col.severity": Text(en="Severity", zh="严重程度"),
    "col.rule": Text(en="Rule", zh="规则"),
    "col.finding": Text(en="Finding", zh="发现"),
    "col.location": Text(en="Location", zh="位置"),
    "col.evidence": Text(en="Evidence (masked)", zh="证据（已脱敏）"),
    "col.remediation": Text(en="Remediation", zh="整改建议"),
    "col.references": Text(en="References", zh="法规依据"),
    "col.stage": Text(en="Stage", zh="阶段"),
    "col.file": Text(en="File", zh="文件"),
    "col.kind": Text(en="Kind", zh="类型"),
    "col.rows": Text(en="Rows", zh="行数"),
    "col.encoding": Text(en="Encoding", zh="编码"),
    "col.column": Text(en="Column", zh="列"),
    "col.entity": Text(en="Entity", zh="实体类型"),
    "col.hit_ratio": Text(en="Hit ratio", zh="命中率"),
    "col.confidence": Text(en="Confidence", zh="置信度"),
    "col.category": Text(en="Sensitive category", zh="敏感类别"),
    "col.count": Text(en="Count", zh="数量"),
    "col.package": Text(en="Package", zh="依赖包"),
    "col.version": Text(en="Version", zh="版本"),
    "col.ecosystem": Text(en="Ecosystem", zh="生态"),
    "col.spdx": Text(en="License (SPDX)", zh="许可证（SPDX）"),
    "col.license_evidence": Text(en="Evidence source", zh="证据来源"),
    "col.license_category": Text(en="Category", zh="类别"),
    "col.verdict": Text(en="Verdict", zh="结论"),
    "col.obligations": Text(en="Obligations", zh="义务"),
    "col.dep_path": Text(en="Pulled in via", zh="引入路径"),
    "col.check": Text(en="Check", zh="检查项"),
    "col.status": Text(en="Status", zh="状态"),
    "col.item": Text(en="Item", zh="条目"),
    "col.question": Text(en="Question", zh="问题"),
    "col.answer": Text(en="Answer", zh="回答"),
    "col.documents": Text(en="Evidence", zh="证明材料"),
    "col.owner": Text(en="Owner", zh="负责人"),
    "col.due": Text(en="Due", zh="期限"),
    "col.justification": Text(en="Justification", zh="理由"),
    "col.risk": Text(en="Risk (L×I)", zh="风险（可能性×影响）"),
    "col.checklist": Text(en="Checklist", zh="清单"),
    "col.answered": Text(en="Answered", zh="已回答"),
    "col.framework": Text(en="Regulation", zh="法规"),
    "col.article": Text(en="Article", zh="条款"),
    "col.items": Text(en="Checklist items", zh="清单条目"),
    "col.findings": Text(en="Findings", zh="发现"),
    "col.path": Text(en="Path", zh="路径"),
    "col.size": Text(en="Size (bytes)", zh="大小（字节）"),
    "col.sha256": Text(en="SHA-256", zh="SHA-256"),
    "col.reviewer": Text(en="Reviewer", zh="审核人"),
    "col.role": Text(en="Role", zh="职责"),
    "col.required": Text(en="Required", zh="必需"),
    "col.decision": Text(en="Decision", zh="决定"),
    "col.date": Text(en="Date", zh="日期"),
    "col.comment": Text(en="Comment", zh="意见"),
    "col.signature": Text(en="Signature", zh="签名"),
    "pii.files": Text(en="Files scanned", zh="已扫描文件"),
    "pii.columns": Text(en="Columns holding personal information", zh="含个人信息的列"),
    "pii.entities": Text(en="Entities found", zh="发现的实体"),
    "pii.sensitive": Text(
        en="Sensitive personal information (PIPL Art. 28)",
        zh="敏感个人信息（《个人信息保护法》第二十八条）",
    ),
    "pii.gdpr_special": Text(
        en="GDPR special categories (Art. 9)", zh="GDPR 特殊类别数据（第 9 条）"
    ),
    "pii.ner": Text(en="Name recognition model", zh="命名实体识别模型"),
    "pii.ignore_rules": Text(
        en="Accepted by [[pii.ignore]] rules", zh="经 [[pii.ignore]] 规则接受的发现"
    ),
    "pii.ignore_none": Text(en="no finding in scope", zh="范围内没有发现"),
    "col.scope": Text(en="Scope", zh="范围"),
    "col.reason": Text(en="Reason", zh="理由"),
    "acceptance.in_force": Text(en="accepted", zh="已接受"),
    "acceptance.expired": Text(en="expired: counts again", zh="已过期，重新计入"),
    "acceptance.no_expiry": Text(en="no expiry", zh="无到期日"),
    "pii.ner_none": Text(
        en="none (pattern recognisers only); not covered: {types}",
        zh="无（仅使用规则识别器）；未覆盖：{types}",
    ),
    "des.dataset": Text(en="Dataset", zh="数据集"),
    "des.raw": Text(en="Raw original", zh="原始数据"),
    "des.level": Text(en="Level", zh="处理级别"),
    "des.qi": Text(en="Quasi-identifiers", zh="准标识符"),
    "des.sensitive": Text(en="Sensitive attributes", zh="敏感属性"),
    "des.metrics": Text(en="Re-identification figures", zh="重识别指标"),
    "des.k": Text(en="k-anonymity", zh="k-匿名"),
    "des.l_distinct": Text(en="l-diversity (distinct)", zh="l-多样性（不同值）"),
    "des.l_entropy": Text(en="l-diversity (entropy)", zh="l-多样性（熵）"),
    "des.t": Text(en="t-closeness", zh="t-接近度"),
    "des.unique_share": Text(en="Unique records", zh="唯一记录占比"),
    "des.prosecutor": Text(en="Prosecutor risk", zh="检察官攻击风险"),
    "des.journalist": Text(en="Journalist risk", zh="记者攻击风险"),
    "des.marketer": Text(en="Marketer risk (average)", zh="营销者攻击风险（平均）"),
    "des.linkage": Text(en="Linkage rate to raw", zh="与原始数据的关联率"),
    "des.highest": Text(en="highest", zh="最高"),
    "des.average": Text(en="average", zh="平均"),
    "des.at_risk": Text(en="records at risk", zh="高风险记录"),
    "des.checks": Text(en="Column checks", zh="列检查"),
    "des.level.anonymised": Text(
        en="anonymised (outside PIPL/GDPR scope)", zh="匿名化（不属于个人信息）"
    ),
    "des.level.de-identified": Text(
        en="de-identified (still personal information)", zh="去标识化（仍属个人信息）"
    ),
    "des.level.identifiable": Text(en="identifiable", zh="可识别"),
    "des.level.risk-measured": Text(
        en="risk measured, values not checked (Spark engine)",
        zh="已度量重识别风险，未检查取值（Spark 引擎）",
    ),
    "lic.outbound": Text(en="Project license", zh="项目许可证"),
    "lic.distribution": Text(en="Distribution", zh="分发方式"),
    "lic.counts": Text(en="Verdicts", zh="结论统计"),
    "lic.packages": Text(en="Dependencies", zh="依赖项"),
    "lic.direct": Text(en="direct", zh="直接依赖"),
    "lic.dev": Text(en="dev", zh="开发"),
    "chk.completion": Text(en="Completion", zh="完成情况"),
    "chk.items": Text(en="Answers", zh="回答"),
    "chk.auto": Text(en="auto", zh="自动"),
    "chk.blocking": Text(en="blocking", zh="阻断"),
    "chk.not_applicable": Text(en="not applicable", zh="不适用"),
    "coverage.title": Text(en="Regulation coverage matrix", zh="法规覆盖矩阵"),
    "coverage.intro": Text(
        en="Each article the checklists map to, with the items and findings that cover it.",
        zh="清单所对应的每一条款，以及覆盖它的清单条目和发现。",
    ),
    "coverage.not_assessed": Text(
        en="Not assessed: no checklist of this review maps to it.",
        zh="未评估：本次审查没有清单对应该法规。",
    ),
    "coverage.not_assessed_short": Text(en="not assessed", zh="未评估"),
    "coverage.status.covered": Text(en="covered", zh="已覆盖"),
    "coverage.status.partial": Text(en="partial", zh="部分覆盖"),
    "coverage.status.open": Text(en="open", zh="未覆盖"),
    "coverage.summary": Text(
        en="{covered} covered, {partial} partial, {open} open",
        zh="已覆盖 {covered}，部分覆盖 {partial}，未覆盖 {open}",
    ),
    "method.title": Text(en="Methodology and tool versions", zh="方法与工具版本"),
    "method.tool": Text(en="Generator", zh="生成工具"),
    "method.renderer": Text(en="Report renderer", zh="报告渲染"),
    "method.font": Text(en="CJK font", zh="中文字体"),
    "method.period": Text(en="Review run", zh="审查运行时间"),
    "method.language": Text(en="Report language", zh="报告语言"),
    "method.gate": Text(en="Gate policy", zh="门禁策略"),
    "method.gate_text": Text(
        en="fail on findings of severity '{fail_on}' or above",
        zh="严重程度达到「{fail_on}」或以上的发现即不通过",
    ),
    "method.stages": Text(en="Stages run", zh="已执行的审查阶段"),
    "method.masking": Text(
        en="Personal-data values never appear in this report: evidence is masked "
        "(e.g. 138****5678) before it is recorded.",
        zh="本报告不含任何个人信息原值：证据在记录前已脱敏（如 138****5678）。",
    ),
    "method.pii": Text(
        en="Pattern recognisers with checksum validation (resident ID, bank card, phone, "
        "passport, USCC, …) over every cell of the sample data; columns are classified by "
        "hit ratio.",
        zh="对样本数据的每个单元格运行带校验位验证的规则识别器（身份证号、银行卡号、手机号、"
        "护照号、统一社会信用代码等），并按命中率判定列的类型。",
    ),
    "method.desensitisation": Text(
        en="Masked data compared with its raw original column by column; re-identification "
        "risk from equivalence classes over the quasi-identifiers (k-anonymity, l-diversity, "
        "t-closeness, prosecutor / journalist / marketer models).",
        zh="逐列比较脱敏数据与原始数据；基于准标识符等价类计算重识别风险（k-匿名、l-多样性、"
        "t-接近度，检察官/记者/营销者攻击模型）。",
    ),
    "method.licenses": Text(
        en="Dependencies read from lock files and SBOMs; each SPDX expression judged against "
        "the project's license and distribution mode.",
        zh="从锁文件和 SBOM 读取依赖；按项目许可证与分发方式逐一判定各依赖的 SPDX 表达式。",
    ),
    "method.checklist": Text(
        en="Bilingual checklists answered by the team, some items answered automatically from "
        "the other stages' results.",
        zh="由团队回答的双语检查清单，部分条目根据其他阶段的结果自动回答。",
    ),
    "manifest.title": Text(en="Evidence manifest", zh="证据清单"),
    "manifest.intro": Text(
        en="Every input of the review with its SHA-256. The machine-readable record "
        "(review.json) is attached to this PDF.",
        zh="本次审查的每个输入文件及其 SHA-256。机器可读记录（review.json）作为附件嵌入本 PDF。",
    ),
    "manifest.review_json": Text(en="SHA-256 of review.json", zh="review.json 的 SHA-256"),
    "signoff.title": Text(en="Sign-off", zh="签核"),
    "signoff.intro": Text(
        en="The verdict stays 'pending sign-off' until every required reviewer has decided.",
        zh="在所有必需审核人作出决定之前，结论保持为「待签核」。",
    ),
    "signoff.no_reviewers": Text(
        en="No reviewers are configured for this project.", zh="本项目未配置审核人。"
    ),
    "signoff.awaiting": Text(en="awaiting decision", zh="待决定"),
    "signoff.signed_by": Text(en="Signed by", zh="签署人"),
    "signoff.unsigned": Text(
        en="recorded in review.json, not signed in this PDF",
        zh="已记录于 review.json，未在本 PDF 中签名",
    ),
    "signoff.expected_cert": Text(en="to be signed with the certificate", zh="须使用以下证书签名"),
    "signoff.other": Text(en="Other sign-offs", zh="其他签核"),
    "signoff.digital": Text(
        en="Each reviewer signs off with review signoff and their own certificate; the "
        "verdict boxes and the signature column are filled in as they sign, without "
        "invalidating earlier signatures. review verify lists every signer and checks "
        "that each is trusted and signed with the certificate configured for them.",
        zh="每位审核人使用 review signoff 和本人证书签核；签核时填写结论框和签名栏，"
        "不会使先前的签名失效。review verify 列出所有签名人，并检查每位签名人是否可信、"
        "是否使用为其配置的证书签名。",
    ),
    "decision.approve": Text(en="approve", zh="批准"),
    "decision.reject": Text(en="reject", zh="否决"),
    "decision.approve-with-conditions": Text(en="approve with conditions", zh="附条件批准"),
    "yes": Text(en="yes", zh="是"),
    "no": Text(en="no", zh="否"),
    "severity.info": Text(en="info", zh="提示"),
    "severity.low": Text(en="low", zh="低"),
    "severity.medium": Text(en="medium", zh="中"),
    "severity.high": Text(en="high", zh="高"),
    "severity.critical": Text(en="critical", zh="严重"),
    "page": Text(en="Page", zh="页"),
    # Entity types, as plural nouns ("resident ID numbers").
    "entity.CN_RESIDENT_ID": Text(en="resident ID numbers", zh="居民身份证号"),
    "entity.CN_MOBILE_PHONE": Text(en="mobile phone numbers", zh="手机号码"),
    "entity.CN_BANK_CARD": Text(en="bank card numbers", zh="银行卡号"),
    "entity.CN_PASSPORT": Text(en="passport numbers", zh="护照号码"),
    "entity.CN_USCC": Text(en="unified social credit codes", zh="统一社会信用代码"),
    "entity.CN_LICENSE_PLATE": Text(en="vehicle plates", zh="车牌号"),
    "entity.CN_HMT_PERMIT": Text(en="HK/Macau/Taiwan travel permits", zh="港澳台通行证号"),
    "entity.HK_ID_CARD": Text(en="Hong Kong ID card numbers", zh="香港身份证号"),
    "entity.TW_NATIONAL_ID": Text(en="Taiwan national ID numbers", zh="台湾身份证号"),
    "entity.CN_ADDRESS": Text(en="postal addresses", zh="住址"),
    "entity.PERSON": Text(en="personal names", zh="姓名"),
    "entity.EMAIL_ADDRESS": Text(en="e-mail addresses", zh="电子邮箱"),
    "entity.PHONE_NUMBER": Text(en="phone numbers", zh="电话号码"),
    "entity.CREDIT_CARD": Text(en="credit card numbers", zh="信用卡号"),
    "entity.IBAN_CODE": Text(en="IBANs", zh="国际银行账号"),
    "entity.CRYPTO": Text(en="crypto wallet addresses", zh="加密货币钱包地址"),
    "entity.IP_ADDRESS": Text(en="IP addresses", zh="IP 地址"),
    "entity.URL": Text(en="URLs", zh="网址"),
    "entity.US_SSN": Text(en="US social security numbers", zh="美国社会安全号"),
    "entity.DATE_TIME": Text(en="dates", zh="日期"),
    "entity.LOCATION": Text(en="places (cities, provinces)", zh="地名（城市、省份）"),
    "entity.ORGANIZATION": Text(en="organisation names", zh="机构名称"),
    "entity.NRP": Text(en="nationality, religious or political group", zh="国籍、宗教或政治团体"),
    # Sensitive categories (PIPL Art. 28 / GDPR Art. 9).
    "category.identity_document": Text(en="identity documents", zh="身份证件信息"),
    "category.financial_account": Text(en="financial accounts", zh="金融账户信息"),
    "category.health": Text(en="health / medical data", zh="医疗健康信息"),
    "category.biometric": Text(en="biometric data", zh="生物识别信息"),
    "category.religion": Text(en="religious beliefs", zh="宗教信仰"),
    "category.location": Text(en="precise location / tracks", zh="行踪轨迹"),
    "category.minor": Text(en="data of minors under 14", zh="不满十四周岁未成年人的个人信息"),
    "category.racial_ethnic": Text(en="racial or ethnic origin", zh="种族或民族"),
    "category.political": Text(en="political opinions", zh="政治观点"),
    "category.trade_union": Text(en="trade-union membership", zh="工会会员身份"),
    "category.genetic": Text(en="genetic data", zh="基因数据"),
    "category.sex_life": Text(en="sex life or sexual orientation", zh="性生活或性取向"),
    # Gate rules, with what each checks (JUnit lists each as a test case).
    "gate.fail_on": Text(
        en="No finding at or above the fail_on severity",
        zh="没有达到或超过失败阈值的发现",
    ),
    "gate.blocking_rule": Text(
        en="No finding of a rule configured as blocking",
        zh="没有属于阻断规则的发现",
    ),
    "gate.unread_input": Text(
        en="Every input the review was told to read was read in full",
        zh="审查所要求读取的每个输入均已完整读取",
    ),
    "gate.checklist.trigger": Text(
        en="Obligations triggered by the data (PIA, DPIA) are answered 'yes'",
        zh="由数据触发的义务（个人信息保护影响评估、DPIA）已回答「是」",
    ),
    "gate.checklist.blocking": Text(
        en="No blocking checklist item is answered 'no' or left unanswered",
        zh="没有阻断项回答为「否」或未回答",
    ),
    "gate.checklist.unjustified": Text(
        en="Every 'n/a' or 'partial' answer has a justification",
        zh="每个「不适用」或「部分」回答都有理由说明",
    ),
    "gate.checklist.criterion": Text(
        en="Every measurable criterion is measured and within its threshold",
        zh="每项可量化标准均已测量且在阈值之内",
    ),
    "gate.checklist.evidence": Text(
        en="Blocking items answered 'yes' carry the required evidence",
        zh="回答为「是」的阻断项附有必需的证据",
    ),
    "gate.checklist.risk": Text(
        en="Residual risk is within the appetite or accepted by a named reviewer",
        zh="剩余风险在风险偏好之内，或已由具名审查人接受",
    ),
    # Product facts that decide which checklist items apply.
    "condition.generative_ai": Text(en="generative AI", zh="生成式人工智能"),
    "condition.public_opinion": Text(
        en="public-opinion attributes", zh="具有舆论属性或社会动员能力"
    ),
    "condition.transfer_out_of_cn": Text(en="personal information leaves China", zh="个人信息出境"),
    "condition.transfer_out_of_eu": Text(
        en="personal data leaves the EU/EEA", zh="个人数据传出欧盟/欧洲经济区"
    ),
    "condition.eu_data_subjects": Text(en="people in the EU", zh="涉及欧盟境内个人"),
    "condition.sensitive_pi": Text(
        en="sensitive personal information is processed", zh="处理敏感个人信息"
    ),
    "condition.special_category": Text(
        en="special categories of personal data (GDPR Art. 9) are processed",
        zh="处理特殊类别个人数据（GDPR 第 9 条）",
    ),
    "condition.automated_decisions": Text(en="automated decision-making", zh="自动化决策"),
    "condition.minors": Text(en="minors", zh="未成年人"),
    "condition.high_risk_ai": Text(en="high-risk AI system", zh="高风险人工智能系统"),
    "condition.entrusted_processing": Text(en="entrusted processing", zh="委托处理"),
    "condition.large_scale": Text(en="large-scale processing", zh="大规模处理"),
    # License categories (scanners.licenses.knowledge.Category).
    "lic.category.public-domain": Text(en="public domain", zh="公有领域"),
    "lic.category.permissive": Text(en="permissive", zh="宽松型"),
    "lic.category.weak-copyleft-file": Text(en="weak copyleft (file)", zh="弱著佐权（文件级）"),
    "lic.category.weak-copyleft-library": Text(en="weak copyleft (library)", zh="弱著佐权（库级）"),
    "lic.category.strong-copyleft": Text(en="strong copyleft", zh="强著佐权"),
    "lic.category.network-copyleft": Text(en="network copyleft", zh="网络著佐权"),
    "lic.category.source-available": Text(en="source available", zh="源码可得（非开源）"),
    "lic.category.proprietary": Text(en="proprietary", zh="专有"),
    "lic.category.unknown": Text(en="unknown", zh="未知"),
    # Distribution modes.
    "lic.distribution.internal": Text(en="internal use", zh="内部使用"),
    "lic.distribution.saas": Text(en="offered as a service (SaaS)", zh="以服务形式提供（SaaS）"),
    "lic.distribution.distributed": Text(en="distributed", zh="分发"),
    "lic.distribution.embedded": Text(en="embedded", zh="嵌入"),
    # Where a package's license was read from (PackageReport.evidence, by its kind).
    "lic.evidence.classifier": Text(en="classifier", zh="分类器"),
    "lic.evidence.license-file": Text(en="license file", zh="许可证文件"),
    "lic.evidence.license-field": Text(en="License field", zh="License 字段"),
    "lic.evidence.expression": Text(en="license expression", zh="许可证表达式"),
    "lic.evidence.name": Text(en="license name", zh="许可证名称"),
    "lic.evidence.none": Text(en="none", zh="无"),
    "lic.evidence.text": Text(en="text match", zh="文本匹配"),
    "lic.evidence.several": Text(en="several", zh="多个"),
    "lic.evidence.over": Text(en="over", zh="优先于"),
    "lic.obligation.notice": Text(en="attribution / NOTICE", zh="署名 / NOTICE"),
    "lic.obligation.source-offer": Text(en="source offer", zh="提供源代码"),
    "lic.obligation.network-source-offer": Text(
        en="network source offer", zh="向网络用户提供源代码"
    ),
    # Desensitisation column checks.
    "des.check.masking_conformance": Text(en="masking as configured", zh="按配置脱敏"),
    "des.check.pseudonym_quality": Text(en="pseudonym quality", zh="假名化质量"),
    "des.check.quasi_identifier_risk": Text(en="quasi-identifier risk", zh="准标识符风险"),
    "des.check.raw_leakage": Text(en="raw value leakage", zh="原值泄露"),
    "des.check.residual_identifiers": Text(en="residual identifiers", zh="残留标识符"),
    # What a scanned file was read as (FileRecord.kind).
    "pii.kind.table": Text(en="table", zh="表格"),
    "pii.kind.records": Text(en="records", zh="记录"),
    "pii.kind.text": Text(en="text", zh="文本"),
    # Ground distances of t-closeness (DiversityRecord.distance).
    "des.distance.equal": Text(en="equal", zh="等距"),
    "des.distance.ordered": Text(en="ordered", zh="有序距离"),
    "des.distance.hierarchical": Text(en="hierarchical", zh="层次距离"),
    "check.pass": Text(en="pass", zh="通过"),
    "check.fail": Text(en="fail", zh="未通过"),
    # Report languages.
    "lang.en": Text(en="English", zh="英文"),
    "lang.zh": Text(en="Chinese", zh="中文"),
    "lang.bilingual": Text(en="Chinese and English", zh="中英双语"),
    # License verdicts.
    "lic.verdict.ok": Text(en="ok", zh="通过"),
    "lic.verdict.review": Text(en="review", zh="需审查"),
    "lic.verdict.conflict": Text(en="conflict", zh="冲突"),
    # What each finding rule checks, fixed whatever the data: SARIF rule texts (code
    # scanning keeps one description per rule; a finding's figures go in its message).
    "rule.pii.entity": Text(
        en="Sample data holds {entity}: personal information (PIPL Art. 4, GDPR Art. 4(1))",
        zh="样例数据含{entity}：属于个人信息（《个人信息保护法》第四条，GDPR 第 4(1) 条）",
    ),
    "rule.pii.sensitive": Text(
        en="Sample data holds sensitive personal information: {category} (PIPL Art. 28)",
        zh="样例数据含敏感个人信息：{category}（《个人信息保护法》第二十八条）",
    ),
    "rule.pii.unreadable_file": Text(
        en="A sample-data file could not be scanned for personal information",
        zh="样例数据文件无法进行个人信息扫描",
    ),
    "rule.desensitisation.unreadable_file": Text(
        en="A desensitised dataset could not be read, so it was not verified",
        zh="脱敏数据集无法读取，未经验证",
    ),
    "rule.desensitisation.residual_identifier": Text(
        en="Personal data remains in a desensitised file", zh="脱敏文件中仍有个人信息"
    ),
    "rule.desensitisation.unmasked": Text(
        en="A column the policy says to treat is left as it was", zh="策略要求处理的列未被处理"
    ),
    "rule.desensitisation.mask_shape": Text(
        en="Masked values do not follow the policy's mask shape", zh="掩码值不符合策略规定的形状"
    ),
    "rule.desensitisation.over_revealing_mask": Text(
        en="A mask leaves too much of the identifier visible", zh="掩码保留了过多的标识符字符"
    ),
    "rule.desensitisation.not_generalised": Text(
        en="Values are not generalised as the policy says", zh="取值未按策略进行泛化"
    ),
    "rule.desensitisation.raw_leak": Text(
        en="Raw identifier values survive verbatim in the desensitised file",
        zh="脱敏文件中原样残留原始标识符",
    ),
    "rule.desensitisation.pseudonym_inconsistent": Text(
        en="One raw value gets different pseudonyms", zh="同一原始值对应不同假名"
    ),
    "rule.desensitisation.pseudonym_collision": Text(
        en="Different raw values share one pseudonym", zh="不同原始值共用同一假名"
    ),
    "rule.desensitisation.pseudonym_inconsistent_across_files": Text(
        en="Pseudonyms differ between released files", zh="不同发布文件间的假名不一致"
    ),
    "rule.desensitisation.reversible_hash": Text(
        en="Hashes can be reversed to the raw values (unkeyed hash)",
        zh="哈希值可还原为原始值（无密钥哈希）",
    ),
    "rule.desensitisation.reversible_token": Text(
        en="Tokens can be reversed to the raw values by an attack", zh="令牌可被攻击还原为原始值"
    ),
    "rule.desensitisation.risk_not_assessed": Text(
        en="Re-identification risk was not assessed (no quasi-identifiers declared)",
        zh="未评估重识别风险（未声明准标识符）",
    ),
    "rule.desensitisation.enumerable_hash": Text(
        en="Hash-shaped tokens over a small, enumerable space of values",
        zh="哈希令牌所属取值空间小，可被穷举",
    ),
    "rule.desensitisation.k_anonymity": Text(
        en="Records are too rare on their quasi-identifiers (k-anonymity below the threshold)",
        zh="记录在准标识符上过于稀少（k-匿名低于阈值）",
    ),
    "rule.desensitisation.reidentification_risk": Text(
        en="Re-identification risk of records exceeds the threshold",
        zh="记录的重识别风险超过阈值",
    ),
    "rule.desensitisation.l_diversity": Text(
        en="A sensitive attribute is not diverse enough within classes (l-diversity)",
        zh="等价类内敏感属性的多样性不足（l-多样性）",
    ),
    "rule.desensitisation.t_closeness": Text(
        en="A class's sensitive-attribute distribution is far from the table's (t-closeness)",
        zh="等价类的敏感属性分布与全表差异过大（t-接近度）",
    ),
    "rule.desensitisation.linkage": Text(
        en="Records re-identify by joining the raw file on quasi-identifiers",
        zh="按准标识符与原始文件关联可重识别记录",
    ),
    "rule.desensitisation.verdict": Text(
        en="Level of the desensitised dataset: identifiable, de-identified or anonymised",
        zh="脱敏数据集的级别：可识别、去标识化或匿名化",
    ),
    "rule.licenses.conflict": Text(
        en="A dependency's license conflicts with the project's license and distribution",
        zh="依赖的许可证与项目的许可证及分发方式冲突",
    ),
    "rule.licenses.review": Text(
        en="A dependency's license needs a person's review", zh="依赖的许可证需人工审查"
    ),
    "rule.licenses.unresolved": Text(
        en="A dependency's license could not be determined", zh="无法确定依赖的许可证"
    ),
    "rule.licenses.cycle": Text(
        en="The dependency graph has cycles (each package is judged once)",
        zh="依赖图中存在循环（每个包只判定一次）",
    ),
    "rule.licenses.waived": Text(
        en="A dependency's license issue is waived", zh="依赖的许可证问题已豁免"
    ),
    "rule.generic": Text(en="Finding of rule {rule}", zh="规则 {rule} 的发现"),
    # Units of measured checklist criteria (Criterion.unit, as the checklists write them).
    "unit.h": Text(en=" h", zh=" 小时"),
    "unit.days": Text(en=" days", zh=" 天"),
    "unit.working_days": Text(en=" working days", zh=" 个工作日"),
    "unit.months": Text(en=" months", zh=" 个月"),
    "unit.years": Text(en=" years", zh=" 年"),
    # Frameworks the built-in checklists cite, by their exact spelling there, and the
    # coverage-matrix group that gathers the generative-AI ones.
    "framework.PIPL": Text(en="PIPL", zh="个人信息保护法"),
    "framework.GDPR": Text(en="GDPR", zh="通用数据保护条例（GDPR）"),
    "framework.EU-AI-Act": Text(en="EU AI Act", zh="欧盟人工智能法"),
    "framework.CN-GenAI-Measures": Text(
        en="Interim Measures for Generative AI Services", zh="生成式人工智能服务管理暂行办法"
    ),
    "framework.CN-AIGC-Labelling-Measures": Text(
        en="Measures for Labelling AI-Generated Content", zh="人工智能生成合成内容标识办法"
    ),
    "framework.CN-Algorithm-Provisions": Text(
        en="Algorithm Recommendation Provisions", zh="互联网信息服务算法推荐管理规定"
    ),
    "framework.CSL": Text(en="Cybersecurity Law (CSL)", zh="网络安全法"),
    "framework.DSL": Text(en="Data Security Law (DSL)", zh="数据安全法"),
    "framework_group.GenAI": Text(
        en="Generative AI rules (CAC Interim Measures)", zh="生成式人工智能服务管理暂行办法"
    ),
}


def cite_zh(reference: str) -> str:
    """'PIPL Art. 55' as Chinese text writes it ('PIPL 第 55 条')."""
    text = re.sub(r" Art\. (\S+)", r" 第 \1 条", reference)
    return re.sub(r" Recital (\S+)", r" 鉴于条款 \1", text)


def label(key: str, **fmt: object) -> Text:
    """The catalogue text ``key`` in both languages, with ``{name}`` fields filled in."""
    text = LABELS[key]
    return Text(en=text.en.format(**fmt), zh=text.zh.format(**fmt))


def unit_label(unit: str) -> Text:
    """A criterion's unit in both languages: a catalogued one translated, any other
    (a custom checklist's own, or '%') as written."""
    known = LABELS.get(f"unit.{unit.strip().replace(' ', '_')}")
    # model_construct: a criterion without a unit has the empty one, which Text refuses
    return known or Text.model_construct(en=unit, zh=unit)


def labels_under(prefix: str) -> dict[str, Text]:
    """Every catalogue entry whose id starts with ``prefix``."""
    return {key: text for key, text in LABELS.items() if key.startswith(prefix)}
