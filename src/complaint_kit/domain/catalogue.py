"""The one catalogue of problem codes (issue 12): code → Chinese and English text, rule, severity.

Every :class:`~complaint_kit.domain.problems.Problem` is made by
:func:`~complaint_kit.domain.problems.problem` from an entry here; the texts are ``str.format``
templates over the keyword arguments given at the call (``label`` and ``attr`` for a field's
problems). A test checks that every code used in the package is here and every code here is used.
Codes starting ``E-`` are errors (nothing is written), ``W-`` warnings.
"""

from __future__ import annotations

from .problems import Entry, Severity

W = Severity.WARNING

CATALOGUE: dict[str, Entry] = {
    # -- values a clerk typed (FieldReader): "<label>：…" / "<attr>: …" -------------------------
    # The rule is the field's (given by the reader's caller), so these entries carry none.
    "E-REQUIRED": Entry("{label}：必填", "{attr}: is required"),
    "E-NOT-INTEGER": Entry("{label}：应为整数，而不是“{value}”", "{attr}: {value!r} is not a whole number"),
    "E-TOO-SMALL": Entry("{label}：不能小于 {minimum}", "{attr}: must be at least {minimum}"),
    "E-TOO-LARGE": Entry(
        "{label}：{value:,} 超过上限 {maximum:,}（设置“数量上限”）",
        "{attr}: {value:,} is above the limit of {maximum:,} (setting max_quantity)",
    ),
    "E-NOT-DATETIME": Entry(
        "{label}：应为日期时间(如 2026-11-03 09:30)，而不是“{value}”",
        "{attr}: {value!r} is not a date-time such as 2026-11-03 09:30",
    ),
    "E-NOT-DATE": Entry(
        "{label}：应为日期(如 2026-11-03)，而不是“{value}”",
        "{attr}: {value!r} is not a date such as 2026-11-03",
    ),
    "E-DATE-NO-TIME": Entry(
        "{label}：“{value}”只有日期({day})，请填写时间，如 {day} 09:30",
        "{attr}: {value!r} is a date ({day}) without a time; type the time too, e.g. {day} 09:30",
    ),
    "W-MIDNIGHT": Entry(
        "{label}：时间为 00:00，是否漏填了时间？期限由此时间起算",
        "{attr}: the time is 00:00 - was the time left out? Deadlines count from it",
        None,
        W,
    ),
    "E-DATE-RANGE": Entry(
        "{label}：日期 {day} 不合理，应在 2000-01-01 至 2100-12-31 之间",
        "{attr}: {day} is not a plausible date (2000-01-01 … 2100-12-31)",
    ),
    "E-NOT-IN-LIST": Entry("{label}：“{value}”不在可选值中（{allowed}）", "{attr}: {value!r} is not one of: {allowed}"),
    # text a cell cannot hold (domain.values.text_problem; also the CLI's --set and the openpyxl writer)
    "E-BAD-CHAR": Entry(
        "{label}：含有无效字符（第 {position} 个字符，U+{char:04X}），请重新输入该内容",
        "{attr}: contains an invalid character (U+{char:04X} at position {position}, a lone surrogate); retype it",
    ),
    "E-CONTROL-CHAR": Entry(
        "{label}：含有控制字符（第 {position} 个字符，U+{char:04X}），请删除后再试",
        "{attr}: contains a control character (U+{char:04X} at position {position}); remove it",
    ),
    "E-TOO-LONG": Entry(
        "{label}：内容过长（{length:,} 字），超过 Excel 单元格上限 {limit:,} 字；请精简或另附文件",
        "{attr}: is {length:,} characters long, over Excel's cell limit of {limit:,}; shorten it or attach a file",
    ),
    # -- intake and stage checks (validation, routing) ------------------------------------------
    "E-FUTURE": Entry("{label}：不能晚于现在 {now:%Y-%m-%d %H:%M}", "{attr}: is in the future", "C6.1"),
    "E-SHIP-AFTER-REPORT": Entry("{label}：出货日期晚于客户反映时间", "{attr}: ship date is after the report", "C4"),
    "E-DEFECT-GT-SHIPPED": Entry(
        "{label}：不良数量 {defect_qty} 大于出货数量 {ship_qty}",
        "{attr}: defective quantity {defect_qty} exceeds shipped {ship_qty}",
        "C4",
    ),
    "E-REQUEST-GT-SHIPPED": Entry(
        "{label}：要求数量 {request_qty} 大于出货数量 {ship_qty}",
        "{attr}: requested quantity {request_qty} exceeds shipped {ship_qty}",
        "C4",
    ),
    "E-RECEIVED-BEFORE-REPORT": Entry(
        "总经理室收件时间早于客户反映时间", "received at is before the customer's report", "C6.1"
    ),
    "E-ACCEPTED-BEFORE-RECEIVED": Entry("受理时间早于收件时间", "accepted at is before received at", "C6.2"),
    # E-NOT-ACCEPTED and E-CLOSED (routing too) are under "forms and seals"
    "E-WRONG-STAGE": Entry(
        "当前阶段是“{open_zh}”，不是“{stage_zh}”", "the open stage is {open_en}, not {stage_en}", "C6"
    ),
    "E-BY-REQUIRED": Entry("请填写经办人", "the name of who completes the stage is required", "C7"),
    "E-DONE-BEFORE-START": Entry(
        "完成时间早于本阶段开始时间 {start:%Y-%m-%d %H:%M}",
        "completion is before the stage started ({start:%Y-%m-%d %H:%M})",
        "C6",
    ),
    # -- settings, calendar, numbering ------------------------------------------------------------
    "E-SETTING-UNKNOWN": Entry("未知的设置项 {key}", "unknown setting {key}"),
    "E-SETTING-INVALID": Entry(
        "设置项“{label}”({key}) 的值无效：{value!r}", "invalid value for setting {key}: {reason}"
    ),
    "W-NO-HOLIDAY-DATA": Entry(
        "{year} 年没有国家节假日与调休数据，已暂按每周工作日计算；请在“{calendar_sheet}”表录入 {year} 年的"
        "节假日与调休，并在“{settings_sheet}”表的“{setting_label}”中登记 {year}",
        "no official holiday data for {year}: counted by weekdays only; enter {year}'s holidays and make-up"
        " working days in the {calendar_sheet} sheet and list {year} in {settings_sheet} ({setting_key})",
        "T1",
        W,
    ),
    "E-SERIALS": Entry(
        "编号台账第 {row} 行应为月份 YYMM（如 2611）与 0–999999 的最后流水号两列，现为：{found}",
        "serials row {row} must be two columns, a month YYMM (e.g. 2611) and a last serial 0–999999; found: {found}",
        "C3",
    ),
    "E-BAD-SNAPSHOT": Entry(
        "表单隐藏的“{sheet}”表中的受理设置已损坏或被改动，无法计算期限；请向总经理室索取原表单",
        "the settings snapshot on the hidden {sheet} sheet is damaged or was edited ({reason});"
        " ask the GM office for the original form",
        "C6",
    ),
    # -- forms and seals (actions/forms.py, actions/sealing.py, domain/seal.py) ---------------------
    "W-NO-DECISION-SECTION": Entry(
        "本表为旧版（第 {version} 版）表单，没有处理方式与责任归属栏：请在综合意见中写明处理方式、损失与责任",
        "this form is an older template (version {version}) without the decision section: state the handling,"
        " loss and responsibility in the GM office's opinion",
        "C8",
        W,
    ),
    "E-UNKNOWN-FIELD": Entry("表单没有字段 {key}", "the form has no field {key}", "C4"),
    "E-COMPUTED-FIELD": Entry(
        "{label}({name}) 由系统填写，不能预填", "{name} is written by the kit and cannot be preset", "C4"
    ),
    "E-ALREADY-ACCEPTED": Entry(
        "本表已受理，客诉编号 {case_no}", "this form was already accepted as case {case_no}", "C3"
    ),
    "E-USER": Entry("请提供受理人姓名 (--user)", "the accepting user's name is required (--user)", "C6.2"),
    "E-SERIALS-EXHAUSTED": Entry(
        "本月客诉编号流水号已用尽：请在“设置”表加大“客诉编号流水号位数”(case_no_serial_width)",
        "case-number serials for this month are used up ({detail}); widen setting case_no_serial_width",
        "C3",
    ),
    "W-PROBABLE-DUPLICATE": Entry(
        "疑似重复：在办案件 {case_no} 的客户、订单号与料号与本表相同，请确认不是同一投诉",
        "probable duplicate: open case {case_no} has the same customer, order and part number as this form",
        "C3",
        W,
    ),
    "E-MAIL-NO-DOMAINS": Entry(
        "设置中未填“公司邮箱域名”，不能生成邮件草稿（表单只可发往公司邮箱）",
        "the company's mail domains are not set (setting mail_domains): no draft written (company addresses only)",
        "C13",
    ),
    "E-CASE-NOT-JOURNALED": Entry(
        "客诉 {case_no} 没有签章，日志中也没有它的受理记录：此行不是受理产生的（可能为手工添加）",
        "case {case_no} has no seal and no acceptance in the journal: the row was not made by accept (added by hand?)",
        "C3",
    ),
    "E-IMPORT-NOT-A-FORM": Entry(
        "{file} 不是客户抱怨处理表（或已损坏），未导入",
        "{file} is not a complaint form (or is damaged): not imported",
    ),
    "E-IMPORT-OTHER-OFFICE": Entry(
        "{file} 由另一个登记表受理（密钥编号 {theirs}，本登记表为 {ours}），不是本登记表的案件，未导入",
        "{file} was accepted by another register (key {theirs}; this register's is {ours}): not imported",
        "C3",
    ),
    "E-IMPORT-NO-ATTACHMENT": Entry(
        "邮件 {file} 没有 .xlsx 附件（回传的表单应作为附件），未导入",
        "the mail {file} has no .xlsx attachment (the returned form should be attached): not imported",
    ),
    "E-IMPORT-DIVERGED": Entry(
        "客诉 {case_no}：本表各阶段的完成时间与登记表不一致（不是登记表所知的同一份表单），未导入",
        "case {case_no}: the form's stage stamps disagree with the register (not the form it knows): not imported",
        "C6",
    ),
    "W-MAIL-ADDRESS": Entry(
        "邮件通讯录：“{value}”不是邮箱地址（如 zhang@hx-pcb.com），已略过",
        "mail directory: {value!r} is not a mail address (e.g. zhang@hx-pcb.com): skipped",
        "C13",
        W,
    ),
    "W-MAIL-DEPARTMENT": Entry(
        "邮件通讯录：部门“{value}”不是 {allowed} 之一，此行已略过",
        "mail directory: department {value!r} is not one of {allowed}: row skipped",
        "C6",
        W,
    ),
    "E-MAIL-NO-RECIPIENT": Entry("邮件草稿没有收件人", "the draft has no recipient", "C13"),
    "E-MAIL-OUTSIDE": Entry(
        "{address} 不是公司邮箱，表单不得发往公司以外（客户不得收到本表）",
        "{address} is not a company address: the form must never leave the company (no customer may receive it)",
        "C13",
    ),
    "W-MAIL-NO-ADDRESS": Entry(
        "设置“邮件通讯录”中没有 {department} 的邮箱，未生成邮件草稿",
        "no address for {department} in the mail directory (table Mailboxes): no draft written",
        "C6",
        W,
    ),
    "W-ORIGINAL-UNKNOWN": Entry(
        "原案编号 {case_no} 不在登记表中", "original case {case_no} is not in the register", "C11", W
    ),
    "E-NOT-ACCEPTED": Entry(
        "本表尚未被总经理室受理（没有客诉编号）",
        "the form has not been accepted by the GM office yet (no case number)",
        "C6.2",
    ),
    "E-CLOSED": Entry("本案已结案，没有待完成的阶段", "the case is closed; no stage is open", "C6.8"),
    "E-NOT-IN-REGISTER": Entry("登记表中没有客诉编号 {case_no}", "case {case_no} is not in the register", "C3"),
    "E-NOT-CLOSED": Entry(
        "客诉 {case_no} 状态为“{status}”，核决结案后客户不接受时才能重开",
        "case {case_no} is {status!r}; only a decided (closed) case can be reopened",
        "C11",
    ),
    "E-COPIES-NOT-CLOSED": Entry(
        "客诉 {case_no} 状态为“{status}”，核决结案后才能印制五联",
        "case {case_no} is {status!r}; the five copies are made only of a closed, approved case",
        "C9",
    ),
    "W-COPIES-UNSEALED": Entry(
        "客诉 {case_no} 的核决未经总经理室签章（完成核决时未更新登记表），五联内容无法以签章核对",
        "case {case_no}: the approval carries no seal (completed without the register); the copies are unverified",
        "C9",
        W,
    ),
    "E-SEAL-UNREADABLE": Entry(
        "表单的签章副本({name})已损坏，无法核对", "the form's copy of its seals ({name}) is damaged: {detail}"
    ),
    "E-REGISTER-OLD": Entry(
        "登记表缺少“{sheet}”表（旧版本）：请管理员运行 complaint-kit upgrade {register}",
        "the register has no {table} table (built before seals); run `complaint-kit upgrade`",
    ),
    "E-SIGNATURE-BROKEN": Entry(
        "签章表第 {row} 行（客诉 {case_no}）签章不符：该行被改动或伪造",
        "signature row {row} (case {case_no}) does not verify: altered or forged",
    ),
    "E-CASENO-CHANGED": Entry(
        "客诉编号被改动：签章属于客诉 {sealed}，表上写的是 {shown}",
        "the case number was changed: the seals are for case {sealed}, the form says {shown}",
        "C3",
    ),
    "E-SEAL-MISSING": Entry(
        "表单已受理（客诉 {case_no}）却没有签章副本({name})：副本被删除",
        "the form was accepted (case {case_no}) but carries no seals: they were removed",
    ),
    "E-SEAL-FOREIGN": Entry(
        "登记表中没有客诉 {shown} 的签章，而表单带有签章：客诉编号被改动或表单不属于本登记表",
        "the register has no seals for case {shown} but the form carries seals: the case number was changed"
        " or the form belongs to another register",
        "C3",
    ),
    "E-SEAL-COPY-MISMATCH": Entry(
        "表单的签章副本与登记表中客诉 {case_no} 的签章不一致",
        "the form's copy of its seals does not match the register's seals of case {case_no}",
    ),
    "E-REGISTER-MISMATCH": Entry(
        "“{label}”({name}) 与登记表不符：表上 {shown}，登记表“{header}”为 {truth}（以登记表为准）",
        "{name} differs from the register: form {shown}, register {truth} (the register is the truth)",
        "C6",
    ),
    "E-DEADLINE-CHANGED": Entry(
        "“{label}”({name}) 被改动：按规则应为 {due:%Y-%m-%d %H:%M}，表上为 {shown}",
        "{name} was changed: the rules give {due:%Y-%m-%d %H:%M}, the form says {shown}",
        "C6",
    ),
    # -- register: refresh, verify --------------------------------------------------------------
    "E-JOURNAL-BROKEN": Entry(
        "日志第 {row} 行（{entry}）与日志链不符：该行或其前一行被改动、插入或删除",
        "journal entry {row} does not match its chain: it or the entry before it was altered, inserted or deleted",
    ),
    "W-JOURNAL-LEGACY": Entry(
        "日志中有 {count} 行为旧式未加密钥的哈希（升级前写入），任何人都能重算；其后各行以密钥续链",
        "{count} journal entries use the old unkeyed hash (written before the upgrade); anyone can recompute"
        " those, the keyed chain continues after them",
        severity=W,
    ),
    "E-JOURNAL-HEAD-MISSING": Entry(
        "签章表中没有日志链的签章（{scope}）：该行被删除，无法确认日志是否被截短",
        "the signed head of the journal is missing from the signatures: its row was deleted, so a shortened"
        " journal cannot be ruled out",
    ),
    "E-JOURNAL-TRUNCATED": Entry(
        "日志与其签章不符：日志现有 {count} 条，其末尾的条目被删除、替换或整表被换成旧版本",
        "the journal ({count} entries) does not match its signed head: entries at its end were deleted or"
        " replaced, or an older copy was put back",
    ),
    "E-REGISTER-TAMPERED": Entry(
        "登记表客诉 {case_no} 的“{header}”与签章不符（现值 {value}）",
        "register row of case {case_no}: {header} ({name}) differs from its seal (now {value!r})",
    ),
    "E-CASE-MISSING": Entry(
        "签章表有客诉 {case_no} 的签章，登记表中却没有该案：登记行被删除",
        "case {case_no} is signed but missing from the register: its row was deleted",
    ),
    "W-FORM-UNKNOWN": Entry(
        "表单的客诉 {case_no} 不在本登记表中", "the form's case {case_no} is not in this register", severity=W
    ),
    # seals (domain/seal.py; also actions/sealing.py)
    "E-TAMPERED": Entry(
        "“{label}”({name}) 在{source}后被改动（现值 {value}）",
        "{name} was changed after it was sealed (now {value!r})",
        "C6",
    ),
    "E-WRONG-KEY": Entry(
        "本登记表以密钥 {found} 签章，而本机密钥为 {mine}：请使用总经理室的签章密钥（complaint-kit keys show-id）",
        "this register was signed with key {found}, yours is {mine}; use the GM office's signing key",
    ),
    "W-UNSEALED": Entry(
        "客诉 {case_no} 受理时尚无签章（升级前的旧版本），无法核验其字段",
        "case {case_no} was accepted before seals existed (before the upgrade); its fields cannot be verified",
        severity=W,
    ),
    # -- money (allocation, ledger) ----------------------------------------------------------------
    # "第 {row} 行" is the row of the form's Responsibility table (domain/allocation.py).
    "E-SHARE-RANGE": Entry(
        "责任表第 {row} 行：责任比例 {share} 应在 0% 至 100% 之间",
        "responsibility row {row}: the share {share} must lie between 0 % and 100 %",
        "P2",
    ),
    "E-SHARES-NOT-100": Entry(
        "责任比例合计为 {total}，应恰好为 100%", "the responsibility shares add up to {total}, not exactly 100 %", "P2"
    ),
    "E-RESPONSIBLE-BLANK": Entry(
        "责任表第 {row} 行：责任类型为“{kind}”，须填写{need}",
        "responsibility row {row}: a {kind_en} responsibility needs its {attr}",
        "E2",
    ),
    "E-RESPONSIBLE-UNKNOWN": Entry(
        "责任表第 {row} 行：{kind}“{who}”不在人员名册中",
        "responsibility row {row}: {kind_en} {who!r} is not in the staff roster",
        "P2",
    ),
    "E-STAFF-AMBIGUOUS": Entry(
        "责任表第 {row} 行：人员名册中有 {count} 人名为“{who}”，无法确定责任人",
        "responsibility row {row}: the staff roster has {count} people named {who!r}",
        "P2",
    ),
    "E-ZERO-BASIS-POINTS": Entry(
        "责任表第 {row} 行：{kind}“{who}”的基点合计为 0，无法按基点分摊",
        "responsibility row {row}: the basis points of {who!r} add up to 0; nothing to spread the share by",
        "E3",
    ),
    "E-SANCTION-NOT-PERSON": Entry(
        "责任表第 {row} 行：处分“{sanction}”须针对个人（责任类型“个人”）",
        "responsibility row {row}: a sanction ({sanction}) is given to a person; use responsibility type 'person'",
        "P5",
    ),
    "E-SANCTION-BASE": Entry(
        "责任表第 {row} 行：小过的处分基数应大于 0，现为 {base}",
        "responsibility row {row}: a minor demerit needs a sanction base above 0, not {base}",
        "P4",
    ),
    "E-MONEY-NEGATIVE": Entry("{label}不能为负数：{amount}", "{attr} cannot be negative: {amount}", "E7"),
    "W-LEDGER-NO-BONUS": Entry(
        "{month} {name} 没有当月效率奖金，本月不扣款，应扣 {due} 全部结转下月",
        "{month}: {name} has no efficiency bonus this month; nothing is deducted, {due} is carried over",
        "E4",
        W,
    ),
    # -- decision, loss, approval, returns --
    # domain/decision.py (C8, C16, E1, E2); "第 {row} 行" is the row of the form's Responsibility table
    "E-RESP-NAMES-SMALLER": Entry(
        "责任表第 {row} 行：已写明{what}“{name}”，责任应归属该{what}（责任类型“{target}”）；"
        "责任类型“{kind}”仅用于无法明确归属时",
        "responsibility row {row}: it names the {attr} {name!r}, so that {attr} is responsible (type {target_en});"
        " a {kind_en} responsibility is only for when none can be named",
    ),
    "E-RESP-SALES-UNIT": Entry(
        "责任表第 {row} 行：{department}的责任归属个人，无法归属个人时归属部门，不归属单位",
        "responsibility row {row}: in {department} a person is responsible, or the department when no one can"
        " be named; not a unit",
        "E2",
    ),
    "E-RESP-PERSON-ELSEWHERE": Entry(
        "责任表第 {row} 行：人员名册中“{person}”属于 {places}，不是 {department}",
        "responsibility row {row}: the staff roster has {person!r} in {places}, not in {department}",
        "P2",
    ),
    "E-RESP-CAUSE": Entry(
        "责任表第 {row} 行：原因类别“{cause}”应为 1–15（行政处分原因）或“品质”",
        "responsibility row {row}: cause {cause!r} must be a P3 cause number 1-15 or the quality cause",
        "P3",
    ),
    "E-RESP-DUPLICATE": Entry(
        "责任表第 {row} 行与第 {first} 行为同一责任，请合并为一行",
        "responsibility row {row} repeats row {first}; merge them into one row",
        "P2",
    ),
    "E-INVALID-WITH-RESPONSIBILITY": Entry(
        "处理方式为“不成立”，不应有责任归属（现有 {rows} 行）",
        "an invalid complaint has no responsibility, but {rows} row(s) are filled in",
        "C16",
    ),
    "E-INVALID-WITH-LOSS": Entry(
        "处理方式为“不成立”，损失金额应为空或 0，现为 {amount}",
        "an invalid complaint has no loss; the loss amount is {amount}",
        "C16",
    ),
    "W-QUALITY-NOT-TRACKED": Entry(
        "原因类别有“品质”，改善却不列入追踪：只有人为疏忽才免列追踪",
        "a quality cause is not tracked for improvement: only human negligence is exempt",
        "C8",
        W,
    ),
    # domain/loss.py (P1); missing and negative facts use E-REQUIRED and E-MONEY-NEGATIVE
    "E-RESALE-LATE": Entry(
        "转售日期 {resold_on} 超过核决日 {decided_on} 起 {months} 个月的转售期限（至 {deadline}）："
        "请按未转售填写实际损失",
        "the resale on {resold_on} is after the {months}-month window from the decision on {decided_on}"
        " (until {deadline}); enter the actual loss as not resold",
        "P1",
    ),
    "E-RESALE-ABOVE-GRADE-A": Entry(
        "转售单价 {resale} 高于 A级售价 {grade_a}，请核对",
        "the resale price {resale} is above the A-grade price {grade_a}; check both",
        "P1",
    ),
    "E-REGISTER-NEEDS-UPGRADE": Entry(
        "登记表缺少“{sheet}”表，结案与月结所需的数据无处保存：请先运行 complaint-kit upgrade 升级登记表",
        "the register has no {sheet} sheet to keep what closing and the month need: run complaint-kit upgrade first",
    ),
    # -- the month (C12, C18–C20, E4) ------------------------------------------------------------
    "E-MONTH-NOT-OVER": Entry(
        "{month} 尚未结束，月结须自 {first} 起进行", "{month} is not over yet: run the month from {first} on", "C19"
    ),
    "W-MONTH-LATE": Entry(
        "{month} 的统计与奖罚应于 {due} 前完成（今天 {today}），已逾期",
        "the statistics and penalties of {month} were due by {due} (today is {today})",
        "C19",
        W,
    ),
    "W-MONTH-NO-DECISION": Entry(
        "{month} 结案的下列案件没有核定处理方式与责任，不计扣款：{cases}",
        "cases closed in {month} without a decision (nothing charged): {cases}",
        "C8",
        W,
    ),
    "E-MONTH-CASE": Entry(
        "客诉 {case_no} 的责任无法分摊：{detail_zh}（请核对 人员 名册或该案责任明细）",
        "case {case_no}: its responsibility cannot be allocated: {detail_en}"
        " (check the staff roster or the case's rows)",
        "E3",
    ),
    "E-LEDGER-GAP": Entry(
        "扣款台账在 {month} 之前尚有结转未处理：请先按月份顺序从 {missing} 起逐月月结",
        "the ledger carries amounts into months never run before {month}: run the months in order from {missing}",
        "E4",
    ),
    "E-LEDGER-ROW": Entry(
        "{sheet} 第 {row} 行无法读取（月份应如 2026-10，金额应为数字）",
        "{sheet} row {row} is unreadable (the month like 2026-10, amounts as numbers)",
        "E4",
    ),
    "W-LEDGER-LATER": Entry(
        "扣款台账已有 {later} 的记录，它们按本月旧数结转：请按顺序重新月结这些月份",
        "the ledger already has {later}, carried from this month's old figures: run those months again, in order",
        "E4",
        W,
    ),
    "E-LOSS-NOT-P1": Entry(
        "损失金额 {typed} 与转售差价计算结果 {computed}（(A级单价 − 转售单价) × 转售数量）不符："
        "请清空由系统填入，或核对转售数据",
        "the loss {typed} differs from the resale difference {computed} ((A-grade price - resale price) x resold"
        " quantity): clear it for the kit to fill in, or check the resale figures",
        "P1",
    ),
    # actions/decision.py: the decision and the staff roster as read from the workbooks
    "E-NOT-NUMBER": Entry("{label}：应为数字，而不是“{value}”", "{attr}: {value!r} is not a number"),
    "W-ROSTER-NOT-CHECKED": Entry(
        "未连登记表：责任人/单位未对照人员名册核对，将在总经理室（complete -r）核对",
        "no register at hand: the responsible people and units are checked against the staff roster at the"
        " GM office (complete -r)",
        "P2",
        W,
    ),
    # domain/authority.py (C10)
    "E-AUTHORITY-TABLE": Entry(
        "核决权限表无效：{reason_zh}", "the approval authority table is invalid: {reason}", "C10"
    ),
    "W-APPROVER-NOT-CHECKED": Entry(
        "未连登记表：核决人的核决级别将在总经理室（complete -r）对照人员名册核对",
        "no register at hand: the approver's level is checked against the staff roster at the GM office (complete -r)",
        "C10",
        W,
    ),
    "W-ROSTER-EMPTY": Entry(
        "登记表“人员”名册为空，未核对核决级别（本案须由{required}或以上核决）：请在“人员”表填写核决级别",
        "the register's staff roster is empty, so the approver's level was not checked (this case needs {required}"
        " or above); fill in the approval levels on the staff (personnel) sheet",
        "C10",
        W,
    ),
    "E-APPROVER-LEVEL": Entry(
        "损失金额 {loss} 须由{required}或以上核决，{approver}的核决级别为“{level}”",
        "a loss of {loss} needs approval by {required_en} or above; {approver} is {level_en}",
        "C10",
    ),
    # domain/returns.py (R3, R6); a negative quantity uses E-TOO-SMALL
    "W-RETURN-OVER-LIMIT": Entry(
        "实退量 {actual} 超过核定量 {approved} 的允收上限 {limit}（超量允收 {percent}%），"
        "超出 {excess}：未入账，请裁决",
        "the actual return of {actual} exceeds the approved {approved} beyond the over-acceptance limit of"
        " {limit} ({percent} %) by {excess}: nothing booked, to be decided",
        "R3",
        W,
    ),
    "E-PROOF-KIND": Entry(
        "凭证“{proof}”不适用于处理方式“{handling}”；可用：{allowed}",
        "proof {proof!r} does not fit handling {handling!r}; allowed: {allowed}",
        "R6",
    ),
    # -- files (adapters/guard.py, adapters/openpyxl_book.py) -----------------------------------
    # WorkbookError.of(code, file=…) puts "<file>：" before the Chinese text.
    "E-FILE-MISSING": Entry("找不到文件 {path}", "file not found: {path}"),
    "E-DIRECTORY": Entry("这是文件夹，不是工作簿", "this is a folder, not a workbook"),
    "E-READ": Entry("无法读取文件（{reason}）", "cannot read the file ({reason})"),
    "E-EMPTY": Entry("文件是空的（0 字节）", "the file is empty (0 bytes)"),
    "E-XLSM": Entry(
        "这是含宏的工作簿或模板（{suffix}），不受理；表单须为不含宏的 .xlsx："
        "请在 Excel 中“另存为 Excel 工作簿(*.xlsx)”后再试",
        "a macro-enabled workbook or template ({suffix}) is not accepted; forms travel as macro-free .xlsx:"
        " save it as 'Excel Workbook (*.xlsx)' and try again",
    ),
    "E-XLSB": Entry(
        "这是二进制工作簿(.xlsb)，无法读取；请在 Excel 中另存为 .xlsx",
        "a binary workbook (.xlsb) cannot be read; save it as .xlsx in Excel",
    ),
    "E-XLS": Entry(
        "这是旧版 Excel 97-2003 工作簿(.xls)，无法读取；请在 Excel 中另存为 .xlsx",
        "an Excel 97-2003 workbook (.xls) cannot be read; save it as .xlsx in Excel",
    ),
    "E-XLTX": Entry(
        "这是 Excel 模板(.xltx)；请先由模板新建 .xlsx 工作簿",
        "an Excel template (.xltx); create an .xlsx workbook from it first",
    ),
    "E-SUFFIX": Entry(
        "文件类型“{suffix}”不受理，只接受 .xlsx 工作簿", "file type {suffix!r} is not accepted; only .xlsx workbooks"
    ),
    "E-TEXT-FILE": Entry(
        "这是文本文件（{kind}），不是工作簿；请在 Excel 中打开后另存为 .xlsx，或使用本工具生成的 .xlsx 表单",
        "a text file ({kind}), not a workbook; open it in Excel and save it as .xlsx, or use the .xlsx form made"
        " by the kit",
    ),
    "E-ENCRYPTED": Entry(
        "工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx",
        "the workbook is password-protected (encrypted) and cannot be read; remove the password"
        " (File → Info → Protect Workbook) and save it as .xlsx",
    ),
    "E-NOT-XLSX": Entry("不是 Excel 工作簿(.xlsx)（{kind}）", "not an Excel workbook (.xlsx) ({kind})"),
    "E-BAD-ZIP": Entry(
        "文件已损坏，无法作为 .xlsx 读取（{reason}）", "the file is damaged and cannot be read as .xlsx ({reason})"
    ),
    "E-FILE-TOO-LARGE": Entry(
        "文件过大（{size:,} 字节，{kind}上限 {limit:,}）",
        "file too large ({size:,} bytes; limit for a {kind} {limit:,})",
    ),
    "E-TOO-MANY-PARTS": Entry(
        "工作簿内部部件过多（{parts:,} 个，{kind}上限 {limit:,}），疑为恶意文件",
        "too many parts in the package ({parts:,}; limit for a {kind} {limit:,}); not a workbook we accept",
    ),
    "E-UNPACKED-TOO-LARGE": Entry(
        "解压后过大（{size:,} 字节，{kind}上限 {limit:,}），疑为压缩炸弹",
        "unpacks to {size:,} bytes (limit for a {kind} {limit:,}); a zip bomb?",
    ),
    "E-ZIP-BOMB": Entry(
        "压缩比异常（{part}），疑为压缩炸弹，不读取", "suspicious compression ratio ({part}); a zip bomb is not read"
    ),
    "E-MEMORY": Entry("内存不足，无法打开", "not enough memory to open the workbook"),
    "E-DAMAGED": Entry("工作簿已损坏或不是本工具的格式，无法读取", "the workbook is damaged or not ours ({reason})"),
    "E-NOT-FORM": Entry("不是客户抱怨处理表（没有定义名称 {name}）", "not a complaint form (no defined name {name})"),
    "E-NOT-REGISTER": Entry("不是客诉登记表（没有表格 {table}）", "not a complaint register (no table {table})"),
    "E-NOT-SERVICE": Entry(
        "不是服务中心登记簿（没有“{sheet}”表格 {table}）", "not a service centre's workbook (no table {table})", "S2"
    ),
    "E-FORM-TOO-NEW": Entry(
        "此表单由较新版本的工具建立（表单版本 {version}，本工具最高支持 {current}），请升级 complaint-kit",
        "the form was made by a newer kit (form version {version}; this kit reads up to {current}); upgrade it",
    ),
    "E-FORM-VERSION": Entry(
        "表单版本“{version}”无法识别，可能是旧版或被改动的模板；请用 complaint-kit new-form 新建表单并抄录内容",
        "unknown form version {version!r} (an old or edited template); create a new form with complaint-kit"
        " new-form and copy the entries",
    ),
    "E-MISSING-NAME": Entry("缺少定义名称 {name}", "the defined name {name} is missing"),
    "E-BAD-NAME": Entry(
        "定义名称 {name} 应指向单个单元格，现为 {target}", "defined name {name} must point at one cell, not {target}"
    ),
    "E-NAME-WRONG-SHEET": Entry(
        "定义名称 {name} 指向“{found}”表，应在“{sheet}”表",
        "defined name {name} points at sheet {found!r}, expected {sheet!r}",
    ),
    "E-BAD-NAMES": Entry(
        "表单的定义名称有 {count} 处损坏，未读取", "{count} defined name(s) of the form are broken; nothing was read"
    ),
    "E-MISSING-TABLE": Entry("缺少表格 {table}", "the table {table} is missing"),
    "E-TABLE-RANGE": Entry("表格 {table} 的范围无效（{ref}）", "table {table} has an invalid range ({ref})"),
    "E-TABLE-TOO-WIDE": Entry("表格 {table} 列数过多（{columns}）", "table {table} is too wide ({columns} columns)"),
    "E-TABLE-TOO-LONG": Entry(
        "表格 {table} 行数过多（{rows:,}，上限 {limit:,}）",
        "table {table} has too many rows ({rows:,}; limit {limit:,})",
    ),
    "E-TABLE-HEADERS": Entry(
        "表格 {table} 的标题行已被改动（应有：{expected_zh}）",
        "the header row of table {table} was changed (expected: {expected_en})",
    ),
    "E-TABLE-WIDTH": Entry(
        "表格 {table} 的列数（{width}）与要写入的数据（{values}）不符，未写入",
        "table {table} has {width} columns, row {row} has {values} values; nothing written",
    ),
    "E-BAD-TABLES": Entry("有 {count} 个表格损坏，未读取", "{count} table(s) are damaged; nothing was read"),
    # -- the add-in and the CLI ---------------------------------------------------------------------
    "E-NO-REGISTER": Entry(
        "未设置登记追踪表路径：请在 {conf} 或 {sheet} 表中设置 REGISTER",
        "no register configured: set REGISTER in {conf} or on the {sheet} sheet",
    ),
    "E-REGISTER-MISSING": Entry("找不到登记追踪表 {path}", "register not found: {path}"),
    "E-ABNORMAL-NOTHING": Entry(
        "“{sheet}”表中没有待登记的新行（编号留空的行）或待记录的回复：请先在表中填写客户、责任单位、异常内容",
        "nothing to do on {sheet}: no new row (number left blank) and no reply typed; type customer, unit and"
        " description first",
        "C2",
    ),
    "E-REGISTER-UNSAVED": Entry(
        "登记表尚未保存为文件：请先保存，月报写在登记表旁",
        "the register is not saved as a file yet: save it first (the month's report is written beside it)",
    ),
    "E-NO-FOLDER": Entry(
        "不知道新表单存到哪里：请先保存本表，或在配置中设置 FORMS_DIR（表单文件夹）",
        "no folder for the new form: save this form first, or configure FORMS_DIR (the forms folder)",
    ),
    "E-EXISTS": Entry("文件已存在：{path}", "file exists: {path}"),
    "W-FORM-UNREADABLE": Entry("无法读取，已跳过", "unreadable, skipped ({reason})", severity=W),
    # the signing key (config.load_key)
    "E-NO-KEY": Entry(
        "找不到签章密钥 {path}：请管理员运行 complaint-kit keys init（或设置 {env} / 配置项 {conf}）",
        "no signing key at {path}: the administrator runs `complaint-kit keys init`",
    ),
    "E-KEY-UNREADABLE": Entry("无法读取签章密钥 {path}", "cannot read the signing key {path}: {reason}"),
    "E-KEY-MALFORMED": Entry("签章密钥文件 {path} 格式不对", "the signing key file {path} is malformed: {reason}"),
    # the register's lock (store.lock.RegisterBusy)
    "E-REGISTER-OPEN": Entry(
        "登记表正由 {who} 在 {app} 中打开（自 {since:%Y-%m-%d %H:%M}），未写入任何内容。"
        "请对方保存并关闭登记表后再试；若无人打开，可删除 {folder} 中的 ~$ / .~lock 文件。",
        "the register is open in {app} by {who} since {since:%Y-%m-%d %H:%M}; nothing was written."
        " Ask them to save and close it, then try again.",
        "S18",
    ),
    "E-REGISTER-BUSY": Entry(
        "登记表正被 {who} 占用（自 {since}），等待 {wait:g} 秒后仍未释放，未写入任何内容。"
        '请稍后再试；若确认该操作已中止，运行 complaint-kit unlock "{register}"。',
        "the register is held by {who_en} since {since}; still held after {wait:g} s, nothing was written."
        " Try again later; if that command has stopped, run complaint-kit unlock.",
        "S18",
    ),
    # -- papers after the decision (issue 7) --
    # actions/papers.py: slips (R1, R2), the receipt (R3–R6), the petition (C14), 异常处理单 (C2)
    "W-PAPER-UNSEALED": Entry(
        "客诉 {case_no} 的核决未经总经理室签章（完成核决时未更新登记表），本单内容无法以签章核对",
        "case {case_no}: the approval carries no seal (completed without the register); this paper is unverified",
        "R2",
        W,
    ),
    "E-PAPER-NO-HANDLING": Entry(
        "本表为旧版（第 {version} 版）表单，没有处理方式栏，无法判定应开何种单据：请手工开立",
        "this form is an older template (version {version}) without the handling field; the slip cannot be chosen:"
        " issue it by hand",
        "R1",
    ),
    "E-SLIP-INVALID": Entry(
        "客诉 {case_no} 处理方式为“不成立”：不开立退货单或折让证明单，货款照常收取；客户如有异议，以签呈上报"
        "（complaint-kit petition）",
        "case {case_no} is invalid: no return slip or allowance certificate; receivables are collected on the"
        " normal terms, and an objection goes up as a petition (complaint-kit petition)",
        "C16",
    ),
    "E-APPROVED-QTY-BLANK": Entry(
        "“{label}”({name}) 为空或不是数量（{value}）：无法确定核准数量，不能开单或登记实收；请总经理室补填",
        "{name} is blank or not a quantity ({value}); the approved quantity is unknown, so no slip or receipt;"
        " the GM office fills it in",
        "R3",
    ),
    "W-APPROVED-QTY-FROM-REQUEST": Entry(
        "本表为旧版（第 {version} 版），没有核准数量栏：暂以要求数量 {qty} 作为核准数量，请核对",
        "an older form (version {version}) without the approved quantity: the requested quantity {qty} is used;"
        " check it",
        "R3",
        W,
    ),
    "E-RECEIPT-OLD-FORM": Entry(
        "本表为旧版（第 {version} 版）表单，没有“九、成品仓储：退货实收”栏：请以现行模板重开"
        "（complaint-kit reopen）后登记，或在表外手工登记实收",
        "an older form (version {version}) without section 9 (the warehouse's receipt): reopen the case on the"
        " current template (complaint-kit reopen) or record the receipt by hand",
        "R3",
    ),
    "E-RECEIPT-NOT-RETURN": Entry(
        "处理方式为“{handling}”，没有退货入库：只有退货、换货、重工登记实收",
        "handling {handling!r} returns no goods; only a return, exchange or rework has a receipt",
        "R2",
    ),
    "E-RECEIPT-DONE": Entry(
        "本案已于 {at} 登记实收 {qty}：如需更正，加 --force 重新登记（原记录留在流转记录中）",
        "the receipt was recorded at {at} ({qty}); add --force to record it again (the first stays in the log)",
        "R4",
    ),
    "W-RATIO-NOT-LOOKED-UP": Entry(
        "未连登记表：未查客户的超量允收比率，按公司默认 {percent}% 计算（加 -r 登记表可按客户比率）",
        "no register given: the customer's over-acceptance ratio was not looked up; the company's {percent} %"
        " applies (add -r REGISTER)",
        "R3",
        W,
    ),
    "E-CUSTOMER-RATIO": Entry(
        "客户表第 {row} 行（{customer}）：超量允收比率“{value}”应为 0% 至 100% 之间的比率",
        "customers row {row} ({customer}): the over-acceptance ratio {value!r} must be a ratio from 0 % to 100 %",
        "R3",
    ),
    "E-CUSTOMER-DUPLICATE": Entry(
        "客户表第 {row} 行与第 {first} 行为同一客户“{customer}”，请合并为一行",
        "customers row {row} repeats row {first} ({customer}); keep one row",
        "R3",
    ),
    "E-RECEIVABLES-HEADERS": Entry(
        "应收账款文件缺少标题 {missing}（第一行应为：{expected}）",
        "the receivables file lacks the headers {missing} (row 1 must be: {expected})",
        "R5",
    ),
    "E-RECEIVABLE-AMOUNT": Entry(
        "应收账款文件第 {row} 行：金额“{value}”不是数字",
        "receivables row {row}: the amount {value!r} is not a number",
        "R5",
    ),
    "E-RECEIVABLES-SUFFIX": Entry(
        "应收账款文件须为 .csv 或 .xlsx，而不是“{suffix}”", "a receivables file is .csv or .xlsx, not {suffix!r}", "R5"
    ),
    "E-REGISTER-NO-TABLE": Entry(
        "登记表缺少“{sheet}”表（表格 {table}，旧版本）：请管理员运行 complaint-kit upgrade {register}",
        "the register has no {table} table (an older version); run `complaint-kit upgrade`",
    ),
    "E-ABNORMAL-UNKNOWN": Entry("异常处理表中没有编号 {number}", "no abnormality numbered {number}", "C2"),
    # -- the service desk (issue 11) -------------------------------------------------------------
    "E-CALL-UNKNOWN": Entry(
        "叫修登记簿中没有叫修编号 {call_no}", "no call numbered {call_no} in the call register", "S2"
    ),
    "E-CALL-STATE": Entry(
        "叫修 {call_no} 状态为“{status}”，不能{action}（顺序：待派工 → 已派工 → 已到达 → 已注销）",
        "call {call_no} is {status!r}: cannot do that now (logged → dispatched → arrived → closed)",
        "S2",
    ),
    "E-CALL-CUSTOMER": Entry("叫修须填客户名称 (--customer)", "a call needs the customer's name (--customer)", "S2"),
    "E-CALL-ZONE": Entry(
        "区域“{value}”应为 {choices}（到达时限按区域计算）", "zone {value!r} must be one of {choices}", "S13"
    ),
    "E-CALL-CATEGORY": Entry("类别“{value}”应为 {choices}", "category {value!r} must be one of {choices}", "S1"),
    "E-CALL-FUTURE": Entry("时间 {at} 晚于现在 {now}", "the time {at} is later than now ({now})", "S2"),
    "E-CALL-BEFORE": Entry(
        "时间 {at} 早于{step}时间 {before}（叫修 → 派工 → 到达 → 完成）",
        "the time {at} is before the call's earlier step ({before}); steps run call → dispatch → arrival → finish",
        "S13",
    ),
    "E-CALL-SERIALS-EXHAUSTED": Entry(
        "本月叫修编号流水号已用尽：请在“设置”表加大“叫修编号流水号位数”(call_no_serial_width)",
        "call-number serials for this month are used up ({detail}); widen setting call_no_serial_width",
        "S2",
    ),
    "E-TECH-UNKNOWN": Entry(
        "“{name}”不是 服务人员 表中的技术员（现有：{listed}）",
        "{name!r} is not a technician in the staff table (listed: {listed})",
        "S2",
    ),
    "E-SURVEY-LEVEL": Entry(
        "调查卡“{item}”为“{value}”，应为 {choices}，或分数 4–1",
        "survey item {item}: {value!r} must be one of {choices}, or a score 4–1",
        "S15",
    ),
    "E-SURVEY-TWICE": Entry(
        "叫修 {call_no} 已有调查卡（{other}）：一件叫修只有一张调查卡，请在那一行更正",
        "call {call_no} already has a survey card ({other}): one card per call, correct that row",
        "S15",
    ),
    "W-SERVICE-NO-JOURNAL": Entry(
        "此登记簿没有“{sheet}”表（较早的版本），本次操作未记入日志：请用 service new 建立新登记簿后把记录复制过去",
        "this workbook has no journal sheet (an older version): the change was not journaled",
        "S18",
        W,
    ),
    "E-SERVICE-NO-JOURNAL": Entry(
        "此登记簿没有“{sheet}”表（较早的版本），无法核验",
        "this workbook has no journal sheet: nothing to verify",
        "S18",
    ),
    "E-SERVICE-JOURNAL-BROKEN": Entry(
        "日志第 {row} 条与前后不符：日志被改动、删除或插入过",
        "journal entry {row} does not chain: the journal was edited, or entries removed or inserted",
        "S18",
    ),
    "E-SERVICE-UNRECORDED": Entry(
        "“{sheet}”的 {key} 未经工具登记：编号是手填的，或日志被删减（若是待登记的手填内容，请先点“登记手填内容”）",
        "{sheet} {key} was never recorded by the kit: numbered by hand, or the journal was cut",
        "S18",
    ),
    "E-SERVICE-EDITED": Entry(
        "“{sheet}”的 {key} 在工具上次登记后被改过：{headers}"
        "（若是待登记的手填内容，请先点“登记手填内容”；否则是表外改动）",
        "{sheet} {key} changed since the kit last wrote it: {headers} (typed for recording, or edited outside the kit)",
        "S18",
    ),
    "E-SERVICE-DELETED": Entry(
        "“{sheet}”的 {key} 已登记，但这一行不见了（被删除或编号被改）",
        "{sheet} {key} was recorded but its row is gone (deleted, or its number changed)",
        "S18",
    ),
    "E-SIGNED-VALUE": Entry(
        "客户签收“{value}”应为 是 或 否（留空按已签收）",
        "customer signed {value!r} must be yes or no; blank counts as signed",
        "S3",
    ),
    "E-NUMBER-CLEARED": Entry(
        "“{header}”被清除了，但这一行已登记（状态“{status}”）：请恢复原编号（可从备份或服务凭证查到），不会另编新号",
        "{header} was cleared on a row already recorded (status {status!r}): put the number back; no new one is given",
        "S2",
    ),
    "E-NUMBER-TYPED": Entry(
        "“{header}”的“{value}”是手填的（状态空白）：新的一行请把“{header}”留空，由“登记手填内容”编号",
        "{header} {value!r} was typed by hand (no status): leave it blank on a new row, the kit numbers it",
        "S2",
    ),
    "E-SERVICE-UNSAVED": Entry(
        "服务中心登记簿尚未保存为文件：请先保存，{what}写在它旁边",
        "the service workbook is not saved as a file yet: save it first ({what_en} is written beside it)",
    ),
    "E-SELECT-CALL": Entry(
        "请先选中一件叫修或投诉所在的行（含叫修编号或投诉编号的行）",
        "select the row of a call or a complaint first (a row holding its number)",
        "S2",
    ),
    "W-TIMESHEET-ROW": Entry(
        "技术员工作日报表的“{header}”为“{value}”，此行未计入日报（日期、技术员、类别 A–D、工时 0–24）",
        "timesheet {header}: {value!r} cannot be read; the row is left out of the day report",
        "S9",
        W,
    ),
    "W-CONTRACT-END": Entry(
        "保养合同 {contract} 的到期日期无法识别，未检查是否到期",
        "contract {contract}: its end date cannot be read",
        "S14",
        W,
    ),
    "W-CONTRACT-OWNER": Entry(
        "保养合同 {contract} 即将到期但没有续约负责人：请指定一人负责续约",
        "contract {contract} expires soon and nobody is assigned to renew it",
        "S14",
        W,
    ),
    "E-GOODS-NAME": Entry("收件须写明商品 (--goods)", "name the goods taken in (--goods)", "S5"),
    "E-GOODS-PROMISED": Entry(
        "承诺返还日期 {promised} 早于今天 {today}",
        "the promised return date {promised} is before today ({today})",
        "S5",
    ),
    "E-GOODS-UNKNOWN": Entry(
        "客户商品进出登记簿中没有收据 {receipt}", "no receipt {receipt} in the goods register", "S6"
    ),
    "E-GOODS-RETURNED": Entry(
        "收据 {receipt} 的商品已返还", "the goods of receipt {receipt} were already returned", "S6"
    ),
    "E-GOODS-HOURS": Entry(
        "维修工时“{value}”应为大于 0 的小时数", "repair hours {value!r} must be a number of hours above 0", "S6"
    ),
    "E-GOODS-CHECKER": Entry(
        "“{name}”不是 服务人员 表中的服务主任（现有：{listed}）：修护卡须经服务主任检验",
        "{name!r} is not a service supervisor in the staff table (listed: {listed}); the supervisor checks repairs",
        "S6",
    ),
    "E-GOODS-TECH": Entry(
        "叫修 {call_no} 尚未派工：收件时请写明负责维修的技术员 (--tech，或客户商品进出登记簿的“技术员”栏)",
        "call {call_no} has no technician yet: name the one who repairs the goods (--tech)",
        "S5",
    ),
    "E-GOODS-CHECK": Entry(
        "返还前须经服务主任检验 (--checked-by)", "the supervisor's check is required (--checked-by)", "S6"
    ),
    "W-GOODS-LATE": Entry(
        "收据 {receipt} 的商品晚于承诺日期 {promised} 返还",
        "the goods of receipt {receipt} went back after the promised {promised}",
        "S8",
        W,
    ),
    "E-COMPLAINT-TEXT": Entry(
        "请写明客户的意见或投诉内容 (--text)", "say what the customer complains of (--text)", "S16"
    ),
    "E-COMPLAINT-NO-LETTER": Entry(
        "投诉 {number} 没有以书面答复（或尚无处理结果）：没有答复函可印",
        "complaint {number} was not answered in writing (or has no outcome yet): no letter to print",
        "S16",
    ),
    "E-COMPLAINT-UNKNOWN": Entry("客户投诉表中没有投诉编号 {number}", "no complaint numbered {number}", "S16"),
    "E-COMPLAINT-REPLY": Entry(
        "答复方式“{value}”应为 书面 或 电话",
        "the reply {value!r} must be by letter or by phone (the two values in the Chinese text)",
        "S16",
    ),
    "E-COMPLAINT-LETTER": Entry(
        "投诉 {number} 为严重投诉：须以书面函告客户处理结果",
        "complaint {number} is serious: the customer gets a letter",
        "S16",
    ),
    "E-COMPLAINT-DEPUTY": Entry(
        "投诉 {number} 为严重投诉，须先由副总经理处理，而不是“{by}”",
        "complaint {number} is serious: the deputy GM handles it first, not {by!r}",
        "S16",
    ),
    "E-COMPLAINT-OUTCOME": Entry("请写明处理结果 (--outcome)", "state the outcome (--outcome)", "S16"),
    "E-COMPLAINT-VISIT": Entry(
        "回访须写明回访人与回访记录 (--by, --note)", "a visit needs who visited and what was said (--by, --note)", "S17"
    ),
    "W-SERVICE-UNSIGNED": Entry(
        "叫修 {call_no} 已注销但客户未在服务凭证上签收：日结核对时追签（S12）",
        "call {call_no} closed without the customer's signature on the voucher: chase it at the day's check",
        "S3",
        W,
    ),
    "E-SERVICE-FEE-TEXT": Entry(
        "收费金额“{fee}”不是金额（如 300、￥300、300元、1,200）",
        "the fee {fee} is not an amount (300, 1,200, with or without the yuan sign)",
        "S4",
    ),
    "E-SERVICE-FEE": Entry("收费金额“{fee}”不能为负数", "the fee {fee} cannot be negative", "S4"),
    "E-SERVICE-FEE-NOT-PAID": Entry(
        "“{category}”不收费：收费金额“{fee}”只适用于 A 有费服务",
        "{category} is not charged: a fee ({fee}) applies to A paid service only",
        "S4",
    ),
}
