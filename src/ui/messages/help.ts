// Every --help text and commander's own messages, applied to the command tree by src/ui/help.ts.
// Command texts (keys help.<command>.description | .opt.<long-name> | .arg.<name> | .after, with
// <command> = "refunds" for the program) are Chinese only: their English is what the command module
// gives commander, the one copy (test/ui/help.test.ts checks every one has its Chinese here).
// Commander's own words (titles, placeholders, extras, errors) are in both languages.
import { messageSetWithEnglishFromModules } from '../messageSet.js';

export const helpMessages = messageSetWithEnglishFromModules({
  englishFromModules: /^help\.(?!(?:title|usage|extra|common)\.)[\w-]+(?:\.[\w-]+)*?\.(?:description|after|(?:opt|arg)\.[\w-]+)$/,
  en: {
    'help.title.usage': 'Usage:',
    'help.title.options': 'Options:',
    'help.title.arguments': 'Arguments:',
    'help.title.commands': 'Commands:',
    'help.title.global-options': 'Global Options:',
    'help.usage.options': '[options]',
    'help.usage.command': '[command]',
    'help.extra.choices': 'choices: {choices}',
    'help.extra.default': 'default: {value}',
    'help.extra.separator': ', ',
    'help.extra.wrap': '({extras})',
    'help.common.opt.help': 'display help for command',
    'help.common.helpCommand': 'display help for command',
    'cmdr.unknownOption': "error: unknown option '{option}'",
    'cmdr.unknownCommand': "error: unknown command '{command}'",
    'cmdr.didYouMean': '(Did you mean {suggestion}?)',
    'cmdr.missingArgument': "error: missing required argument '{argument}'",
    'cmdr.optionMissingArgument': "error: option '{option}' argument missing",
    'cmdr.missingMandatoryOption': "error: required option '{option}' not specified",
    'cmdr.excessArguments': 'error: too many arguments. Expected {expected} argument{s} but got {got}.',
    'cmdr.excessArgumentsFor': "error: too many arguments for '{command}'. Expected {expected} argument{s} but got {got}.",
    'cmdr.invalidChoice': "error: option '{option}' argument '{value}' is invalid. Allowed choices are {choices}.",
    'cmdr.invalidOptionArgument': "error: option '{option}' argument '{value}' is invalid. {reason}",
    'cmdr.conflictingOption': 'error: {option} cannot be used with {other}',
  },
  zh: {
    'help.title.usage': '用法：',
    'help.title.options': '选项：',
    'help.title.arguments': '参数：',
    'help.title.commands': '命令：',
    'help.title.global-options': '全局选项：',
    'help.usage.options': '[选项]',
    'help.usage.command': '[命令]',
    'help.extra.choices': '可选：{choices}',
    'help.extra.default': '默认：{value}',
    'help.extra.separator': '；',
    'help.extra.wrap': '（{extras}）',
    'help.common.opt.help': '显示此命令的帮助',
    'help.common.helpCommand': '显示某个命令的帮助',
    'cmdr.unknownOption': '错误：未知选项 {option}',
    'cmdr.unknownCommand': '错误：未知命令 {command}',
    'cmdr.didYouMean': '（您是不是要用 {suggestion}？）',
    'cmdr.missingArgument': '错误：缺少必填参数 {argument}',
    'cmdr.optionMissingArgument': '错误：选项 {option} 缺少取值',
    'cmdr.missingMandatoryOption': '错误：必须指定选项 {option}',
    'cmdr.excessArguments': '错误：参数过多，应为 {expected} 个，实际 {got} 个。',
    'cmdr.excessArgumentsFor': '错误：{command} 的参数过多，应为 {expected} 个，实际 {got} 个。',
    'cmdr.invalidChoice': '错误：选项 {option} 的取值 {value} 无效，可选：{choices}。',
    'cmdr.invalidOptionArgument': '错误：选项 {option} 的取值 {value} 无效。{reason}',
    'cmdr.conflictingOption': '错误：{option} 不能与 {other} 同时使用',
    "help.refunds.description": "在平台按超时自动处理之前，分拣淘宝/天猫、抖音和拼多多的退款申请。",
    "help.refunds.opt.version": "显示版本号",
    "help.refunds.opt.db": "SQLite 数据库文件，或共享数据库的 postgres:// URL（团队模式，见 README）（环境变量 REFUNDS_DB；默认 ~/.local/share/refunds/refunds.sqlite）",
    "help.refunds.opt.now": "固定所有计算用的“现在”：带时区偏移的 ISO 8601，或店铺时区的 \"YYYY-MM-DD HH:mm\"（环境变量 REFUNDS_NOW）",
    "help.refunds.opt.lang": "界面语言：zh 或 en（默认按 LANG/LC_ALL）",
    "help.refunds.opt.no-color": "不使用颜色（设置了 NO_COLOR 或输出不是终端时也不用）",
    "help.refunds.after": `
示例：
  refunds import ~/Downloads/ExportRefundList*.csv ~/Downloads/ExportOrderList*.csv
  refunds today
  refunds triage --from 3

每天早上的顺序：导入导出文件（import），查看概览（today），逐个处理（triage），
登记退回的包裹（receive），打印给组长的汇总（summary）。每个命令都有 --help。
退出码：0 成功，1 失败（未写入任何内容），2 用法错误，3 summary --fail-if 条件成立，
130 被中断。机器接口（--json 格式、配置文件）见 docs/interface.md。`,
    "help.import.description": "把平台导出文件（GBK 或 UTF-8 的 CSV，或 Excel .xlsx）导入本地数据库",
    "help.import.arg.files": "导出文件；\"-\" 表示从标准输入读取",
    "help.import.opt.dry-run": "只检查并报告，不写入",
    "help.import.opt.json": "在标准输出打印一份 JSON 报告",
    "help.import.opt.encoding": "指定 CSV 的编码：gbk、gb18030、utf-8（默认自动识别）",
    "help.import.opt.kind": "指定导出类型：taobao-refunds、taobao-orders、douyin-aftersales、pdd-aftersales、warehouse-returns 或某个模板名（默认按表头识别）",
    "help.import.opt.sheet": "要导入的工作表（默认：第一个表头与某种导出相符的工作表）",
    "help.import.opt.explain": "显示每个文件会如何读取（模板、表头 → 字段、缺少的列、多余的列）；不导入",
    "help.import.after": `
示例：
  refunds import ~/Downloads/ExportRefundList201704.csv
  refunds import refunds.csv orders.xlsx douyin.xlsx --json
  refunds import --dry-run new-export.csv
  refunds import --explain unknown-export.xlsx
  refunds import pdd.xlsx --sheet 售后列表
  iconv -f gbk -t utf-8 export.csv | refunds import -

按文件内容（.xlsx 工作簿或 CSV 文本，与文件名无关）和表头名称识别文件类型（taobao-refunds、
taobao-orders、douyin-aftersales、pdd-aftersales、warehouse-returns，或配置文件中的模板：
见 "refunds profiles"）。重复导入同一文件不会改变任何内容；较新的导出会更新记录并记下每次状态变化。
每个文件要么整个导入，要么完全不导入：无法导入的文件被拒绝（其内容一条都不写入），
其他文件照常导入，退出码为 1。`,
    "help.profiles.description": "列出导入模板（内置的导出格式和配置文件中的模板）及其特征表头",
    "help.profiles.opt.json": "在标准输出打印一份 JSON 文档",
    "help.profiles.after": `
示例：
  refunds profiles
  refunds profiles --json

文件按其包含最多特征表头的模板识别（至少 3 个，或较短特征的全部）。
自己的模板写在配置文件的 "profiles" 键下（见 README 的 "Writing a profile" 一节）；
"refunds import --explain 文件" 显示文件会如何读取。`,
    "help.receive.description": "退货台：按运单号登记退回的包裹，并显示其退款该怎么处理",
    "help.receive.arg.waybill": "退货运单号；不填则逐行扫描（或从管道读入），每行一个运单号",
    "help.receive.opt.carrier": "包裹的快递公司（如 顺丰、中通）",
    "help.receive.opt.condition": "验货结果：ok、damaged、wrong-item、empty（正常/破损/错货/空包）；默认 ok",
    "help.receive.opt.note": "随签收记录保存的备注",
    "help.receive.opt.inspector": "签收并验货的人（默认取配置中的 agent，否则为系统用户）",
    "help.receive.opt.quick": "在终端里：扫完即走，每个包裹立即按正常（或 --condition 给出的结果）登记，不再询问",
    "help.receive.opt.json": "在标准输出打印一份 JSON：{ \"asOf\", \"scans\": [...], \"rejected\": [...] }",
    "help.receive.after": `
示例：
  refunds receive SF1234567890123
  refunds receive SF1234567890123 --condition wrong-item --note "蓝色M码 非本店"
  refunds receive   # 在终端里：一个接一个扫描包裹
  cat scans.txt | refunds receive --inspector 王芳
  refunds receive YT7788990011 --json

每次扫描会规范化单号（去掉空格、横线和点，转为大写），按当前时间（--now）登记签收，
找到退货单号相符的退款并显示：退款、订单、买家、金额、状态（橙色 = 买家已退货，待卖家确认），
剩余时间及截止时间的来源，以及现在该做什么：
  收货正常 → 立即确认收货并退款；
  错货/空包 → 拒绝（并退回）；
  有破损 → 协商部分退款；
  没有对应退款 → 包裹记为无主件。
没有对应退款的包裹照样登记；一旦导入带有该单号的退款导出，就会自动对上
（见 "refunds returns --unmatched"）。

交互模式（不带运单号，且标准输入是终端）：扫描一个运单号，然后给出包裹的验货结果：
回车 = 正常，1 = 破损，2 = 错货，3 = 空包。在扫描提示处输入空行、Ctrl-D 或 q 结束。
--quick 让每次扫描立即按正常（或 --condition 给出的结果）登记，不再询问；
行末带验货结果时也一样："SF123456789 破损"。
没有终端时从标准输入逐行读取运单号（跳过空行）。
不可能是运单号的文本（只有字母、数字太少、含其他字符）会被拒绝并说明原因，不登记任何内容。

同一天以相同验货结果重复扫描同一运单号不会重复登记（“今天已登记”）；
不同的验货结果视为复检，以最新一次为准。JSON：每次扫描含 waybill、waybillKey、receivedAt、
condition、recorded（"inserted"|"duplicate"）、match（"matched"|"ambiguous"|"unmatched"）
以及 refunds[]（含 refundId、orderId、status、orange、deadline、deadlineSource、secondsLeft、
receiptState、nextStep）。`,
    "help.returns.description": "列出退回的包裹及其对应的退款；标出没有退款的包裹（无主件）",
    "help.returns.opt.unmatched": "只列出没有对应退款的包裹（无主件）",
    "help.returns.opt.json": "在标准输出打印一份 JSON",
    "help.returns.after": `
示例：
  refunds returns
  refunds returns --unmatched
  refunds returns --json | jq '.receipts[] | select(.match == "unmatched") | .waybill'

列出仓库的每条签收记录（用 "refunds receive" 扫描或从仓库退货登记表导入），最新的在前，
附上退货单号相符的退款以及现在该做什么。没有对应退款的包裹是无主件：它会一直列出，
直到导入带有该单号的退款导出，之后自动对上。一个单号对应多笔退款时会如实显示
（同一订单：一个包裹退回多件商品；不同订单：请核对单号）。
同时列出：买家未填退货单号的橙色退款（已退货，待卖家确认），以及包裹尚未到达的橙色退款。

JSON：{ "asOf", "counts": { "receipts", "unmatched", "ambiguous", "noWaybill", "notReceived" },
"receipts": [ { "id", "waybill", "waybillKey", "receivedAt", "condition", "source", "latest",
"match", "sameOrder", "refunds": [...], "superseded": [...] } ], "noWaybill": [...],
"notReceived": [...] }。使用 --unmatched 时，"receipts" 只含无主件，两个退款列表为空；
"counts" 始终统计全部。`,
    "help.today.description": "早间概览：所有进行中的退款，最紧急的在前",
    "help.today.opt.json": "在标准输出打印一份 JSON（docs/interface.md）",
    "help.today.opt.all": "每个分组显示全部退款（默认每组只显示前几个）",
    "help.today.opt.platform": "只看 taobao、douyin 或 pdd",
    "help.today.opt.state": "只看这些状态：WAIT_SELLER_AGREE、WAIT_BUYER_RETURN_GOODS、WAIT_SELLER_CONFIRM_GOODS、SELLER_REFUSE_BUYER、UNKNOWN（或 orange、refused、unknown）",
    "help.today.opt.due-within": "只看在这段时间内到期的退款（含已超时），如 6h",
    "help.today.opt.at": "推算到稍后的某个时间，如 18:00（到下班时哪些会超时）",
    "help.today.after": `
示例：
  refunds today
  refunds today --due-within 6h
  refunds today --at 18:00            # 如果没人处理，到 18:00 哪些会超时
  refunds today --state orange --platform taobao
  refunds today --json | jq '.refunds[] | select(.overdue)'

分组按紧急程度排列：已超时、即将到期（默认 24 小时，可在配置 alertWindow 中修改）、
橙色（买家已退货）、其他等待卖家处理的、等待买家处理的。

每行都有序号："refunds show 3"、"refunds decide 3 ..." 和 "refunds triage --from 3" 指上一次列表的
第 3 行，12 小时内且下次导入之前有效。终端较窄时先省去订单编号，再省去买家，再缩短下一步；
通过管道输出时保留所有列。`,
    "help.show.description": "详细说明一笔退款：截止时间及其来源、订单、历史、处理记录、仓库",
    "help.show.arg.id": "退款编号、只有一笔退款的订单编号、上一次 today 的行序号，或退货单号",
    "help.show.opt.json": "在标准输出打印一份 JSON（docs/interface.md）",
    "help.show.opt.no-mask": "不遮盖收货人的电话和地址",
    "help.show.after": `
示例：
  refunds show 158700112233445506
  refunds show 4123456789012345678      # 用订单编号找到其退款
  refunds show 3                        # 上一次 "refunds today" 的第 3 行
  refunds show YT2345678901234          # 包裹上的退货单号
  refunds show 158700112233445506 --json`,
    "help.backup.description": "用 SQLite 在线备份复制数据库（他人使用时也安全）",
    "help.backup.arg.file": "副本写到哪里（除非加 --force，文件必须不存在；不能是符号链接）；先写到旁边的临时文件，最后再改名",
    "help.backup.opt.force": "覆盖已有文件",
    "help.backup.after": `
示例：
  refunds backup ~/backups/refunds-$(date +%F).sqlite`,
    "help.purge.description": "删除某日期之前已完结退款中的买家个人信息",
    "help.purge.opt.before": "清除在此日期之前完结的案件（YYYY-MM-DD，店铺时区）",
    "help.purge.opt.dry-run": "只统计会清除多少，不做改动",
    "help.purge.opt.json": "在标准输出打印一份 JSON",
    "help.purge.after": `
示例：
  refunds purge --before 2025-01-01 --dry-run
  refunds purge --before 2025-01-01

已关闭和已退款的案件保留编号、状态、金额和处理记录（店铺指标需要）；
退款和订单中的买家姓名、备注、电话、地址和留言会被删除。`,
    "help.copy.description": "把整个数据库（退款、历史、处理记录、仓库签收、导入记录）复制到一个空数据库：新的 SQLite 文件或 PostgreSQL 数据库",
    "help.copy.opt.to": "复制到哪里：SQLite 文件（不存在则新建）或空数据库的 postgres:// URL；源数据库即 --db",
    "help.copy.opt.json": "在标准输出打印一份 JSON（docs/interface.md）",
    "help.copy.after": `
示例：
  refunds copy --to 'postgresql://refunds_lead@db.shop.lan/refunds?sslmode=verify-full'
  refunds --db 'postgresql://refunds_lead@db.shop.lan/refunds' copy --to ~/refunds-2025-04-21.sqlite
  refunds copy --to /mnt/usb/refunds.sqlite --json

复制在一个事务中完成：目标库要么得到全部行，要么（出错时）什么也得不到。提交之前两边逐表核对行数。
目标必须为空（新文件，或为 refunds 新建的数据库），会先建好表结构。URL 中的密码从不打印；
建议改用 PGPASSWORD 或 ~/.pgpass。迁移到团队模式：见 README「团队模式」。`,
    "help.triage.description": "引导处理，最紧急的先来：提问、操作清单、给买家的话术、记录决定",
    "help.triage.opt.agent": "由谁处理（默认取配置中的 \"agent\"，否则为系统用户）",
    "help.triage.opt.platform": "只看 taobao、douyin 或 pdd",
    "help.triage.opt.all": "也包括等待买家处理的案件",
    "help.triage.opt.full": "显示完整的案件卡片（历史、规则出处、订单），而不是简版卡片",
    "help.triage.opt.from": "从这个案件开始：上一次 today 的行序号，或退款编号",
    "help.triage.after": `
示例：
  refunds triage
  refunds triage --agent alice --platform taobao
  refunds --lang zh triage

每个问题只需按一个键：数字选对应的答案，回车选高亮的答案（即推荐的答案），s 跳过此案件，
z 延后到某个时间（14:30 或 2h），b 返回上一题，d 显示完整案件，q 退出；
买家带有标记时，p 生成申诉材料包。Ctrl-C 立即退出（退出码 130）；已确认的决定都已保存。
同一数据库上的两位客服不会拿到同一个案件。需要终端；脚本中请用
refunds decide 编号 --action 动作。`,
    "help.decide.description": "不经提问直接记录一个决定（规则与 triage 相同）",
    "help.decide.arg.id": "退款编号、只有一笔退款的订单编号，或上一次 today 的行序号",
    "help.decide.opt.action": "所做的决定：approve、approve-return、partial、refuse、contact-buyer、mark-shipped、refund-postage、escalate、wait",
    "help.decide.opt.amount": "金额（元，部分退款、运费），如 59.90 或 ¥59.90",
    "help.decide.opt.note": "备注；拒绝时为展示给买家的说明（2–200 个字符）",
    "help.decide.opt.evidence": "凭证（照片文件或链接、截图、聊天记录）；可重复多次",
    "help.decide.opt.agent": "由谁处理（默认取配置中的 \"agent\"，否则为系统用户）",
    "help.decide.opt.json": "把记录的决定打印为一份 JSON",
    "help.decide.opt.force": "处理另一位客服正占用的案件（正在 triage 中处理，或对方刚刚做过决定）；记录的来源为 \"decide-forced\"",
    "help.decide.after": `
示例：
  refunds decide 1587001122334455001 --action approve
  refunds decide 6 --action approve          # 上一次 "refunds today" 的第 6 行
  refunds decide 158700112233445511 --action partial --amount 20 \\
      --note "旺旺里已谈好"
  refunds decide 158700112233445506 --action refuse --note "退回的是空包裹" \\
      --evidence parcel.jpg --evidence weight-record.png
  refunds decide 158700112233445513 --action escalate --agent alice --json
  refunds decide 6 --action approve --force   # 即使另一位客服正占用此案件

拒绝需要 --note（2–200 个字符）和 --evidence；未发货的订单和七天无理由退货不能拒绝。
超过店铺金额门槛（配置 amountThresholdYuan）时只有主管（配置 supervisors）能退钱，
其他人请提交主管。`,
    "help.evidence.description": "生成一笔退款的申诉材料包：可打印页面（HTML，A4）和 Markdown 副本，仅本人可读",
    "help.evidence.arg.id": "退款编号、只有一笔退款的订单编号、上一次 today 的行序号，或退货单号",
    "help.evidence.opt.out": "写入的目录（以仅本人可读方式创建；必须不存在或为空）",
    "help.evidence.opt.no-mask": "不遮盖收货人的电话和地址",
    "help.evidence.opt.json": "把写入的文件打印为一份 JSON",
    "help.evidence.after": `
示例：
  refunds evidence 158700112233445506 --out ~/appeals/506
  refunds evidence 4123456789012345678 --out a506   # 用订单编号
  refunds evidence 3 --out a3                       # 上一次 today 的第 3 行
  refunds evidence YT2345678901234 --out yt         # 用退货单号

写入 DIR/appeal-编号.html（一页可打印的 A4 页面，不引用任何外部资源：打开即可打印）和
DIR/appeal-编号.md（相同内容的 Markdown）：案件时间线、买家在本店的历史和标记、平台的原话、
申诉需附材料清单、店铺最近 28 天的图表。DIR 以仅本人可读的方式创建（目录 0700，文件 0600）；
已存在的 DIR 必须是空目录，符号链接一律拒绝。`,
    "help.decisions.description": "列出已记录的决定（屏幕显示、--json，或用 --csv 导出表格）",
    "help.decisions.opt.since": "只看某时间之后的决定（2025-04-21 09:00，或今天的 08:00），或从现在往回的一段时间（24h、7d）",
    "help.decisions.opt.agent": "只看这位客服的决定",
    "help.decisions.opt.csv": "给 Excel/WPS 用的 CSV：带 BOM 的 UTF-8、表头行、像公式的单元格已处理",
    "help.decisions.opt.json": "在标准输出打印一份 JSON",
    "help.decisions.after": `
示例：
  refunds decisions --since 24h
  refunds decisions --since 08:00               # 今天的
  refunds decisions --since "2025-04-21 00:00" --agent alice
  refunds decisions --since 7d --csv > decisions.csv`,
    "help.summary.description": "给团队的早间汇总：紧急列表、橙色退货、昨天的处理、28 天指标",
    "help.summary.opt.format": "text（打印用，80 列）、markdown、json 或 html（一页可打印的 A4）",
    "help.summary.opt.json": "等同于 --format json",
    "help.summary.opt.out": "写入文件 FILE（仅本人可读，权限 0600；要么完整写入，要么不写；拒绝符号链接），标准输出不打印",
    "help.summary.opt.no-mask": "不遮盖买家的电话和地址",
    "help.summary.opt.fail-if": "条件成立时（汇总照常生成后）以退出码 3 结束：\"overdue\" 表示有等待店铺处理的退款已超时；\"due-within=6h\" 表示有退款已超时或将在该时间内到期",
    "help.summary.after": `
退出码：
  0  已打印（或已写入）
  1  失败：数据库无法读取、--out 文件不可写等
  2  用法错误（未知选项或取值）
  3  --fail-if 条件成立；汇总仍已生成
  130 被中断

示例：
  refunds summary
  refunds summary --format html --out /var/lib/refunds/summary.html
  refunds summary --fail-if overdue --out /var/lib/refunds/summary.txt || echo "有超时退款"
  refunds summary --fail-if due-within=6h >/dev/null; echo $?

对同一个 --now 和数据库，结果总是相同（页面上显示 --now 的时间，而不是当前时钟）。
除非加 --no-mask，电话和地址都会遮盖。README 中有 crontab 示例，以及重新推算每个数字的 SQL
（"refunds summary"、"refunds stats" 两节）。`,
    "help.stats.description": "店铺指标：自主完结率、完结时长、超时、纠纷、退款/销售额、原因、商品、每日趋势",
    "help.stats.opt.since": "统计区间的开始：从现在往回的一段时间（28d、7d、36h）或一个时间（2025-04-01）",
    "help.stats.opt.until": "统计区间的结束，不含（默认：现在），如 2025-04-21 或 \"2025-04-21 09:00\"",
    "help.stats.opt.by": "按商品、原因、客服或平台分列退款，并给出与上一个区间相比的趋势",
    "help.stats.opt.json": "在标准输出打印一份 JSON",
    "help.stats.after": `
示例：
  refunds stats                          # 最近 28 天
  refunds stats --since 7d
  refunds stats --since 2025-04-01 --until 2025-05-01
  refunds stats --json | jq .selfFinished
  refunds stats --by product             # 多为商家原因的商品附带改进建议
  refunds stats --by agent --json

区间为店铺时区的 [现在 − since, until)。状态为 SUCCESS 或 CLOSED 的退款算作完结，完结时间取
退款完结时间（没有时取 refunds 首次看到其完结的时间）；如果在导出的截止时间之后才完结（超时）
或曾经客服介入，则算作平台完结；其余完结的占全部完结的比例即自主完结率。
退款/销售额：区间内 SUCCESS 的退款金额除以区间内付款订单的实付金额，只统计导入过订单报表的平台。
README 的 "refunds stats" 一节给出每个定义以及重新推算每个数字的 SQL。

加 --by 时，每个商品、原因、客服或平台占一行：区间内申请的退款数及金额、上一个同样长度区间的
相同数字，以及趋势。各行相加等于区间的总数；客服一行还有处理次数、从申请到处理的小时数中位数
和已在后台执行的比例。README 的 "refunds stats --by" 一节给出每个字段。`,
  },
});
