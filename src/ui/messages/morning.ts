// Row numbers of `today`, the decided-case mark, action names and the backend's button names.
import { messageSet } from '../messageSet.js';

export const morningMessages = messageSet({
  en: {
    'today.col.row': '#',
    'today.footerNumbered': 'Details: refunds show N · Decide: refunds triage --from N (N = the row number)',
    'today.rowsNotSaved': 'The row numbers could not be saved (the database is busy): use refund IDs with show and decide.',
    'today.carryOutCell': 'carry out: {button}',
    'today.decidedLine': 'decided by {agent} {at} → carry out in the backend: {button}',
    'next.carry-out': 'decided: carry out in the backend',
    'summary.firstCarryOut': 'carry out: {button}, {agent} {at} — {refundId} · {amount} · {left}',
    'rows.none': '"{typed}" looks like a row number, but no `refunds today` list was printed for {db} yet.',
    'rows.noneHint': 'Run refunds today and use its row numbers, or type the refund ID.',
    'rows.afterImport': 'Row {n} is from the today list printed at {printedAt}; an import came after it, so the numbers may point at other refunds now.',
    'rows.tooOld': 'Row {n} is from the today list printed at {printedAt}, more than {hours} hours ago.',
    'rows.outOfRange': 'The last today list (printed at {printedAt}) has rows 1–{max}; there is no row {n}.',
    'rows.staleHint': 'Run refunds today again and use its numbers, or type the refund ID.',
    'rows.gone': 'Row {n} was refund {id}, which is no longer in {db}.',
    'lookup.severalWaybill': 'return waybill {waybill} belongs to several refunds: {ids}',
    'action.approve': 'approve the refund',
    'action.approve-return': 'approve the return and refund',
    'action.partial': 'partial refund',
    'action.refuse': 'refuse',
    'action.contact-buyer': 'contact the buyer',
    'action.mark-shipped': 'mark as shipped',
    'action.refund-postage': 'pay the postage directly',
    'action.escalate': 'escalate to a supervisor',
    'action.wait': 'wait',
    'source.triage': 'triage',
    'source.decide': 'decide',
  },
  zh: {
    'today.col.row': '#',
    'today.footerNumbered': '详情：refunds show 序号 · 处理：refunds triage --from 序号（序号即行首数字）',
    'today.rowsNotSaved': '数据库正忙，行序号未能保存：show 和 decide 请使用退款编号。',
    'today.carryOutCell': '去后台执行：{button}',
    'today.decidedLine': '{agent} {at} 已决定 → 请到后台执行：{button}',
    'next.carry-out': '已决定：请到后台执行',
    'summary.firstCarryOut': '后台执行：{button}，{agent} {at} — {refundId} · {amount} · {left}',
    'rows.none': '"{typed}" 像是行序号，但 {db} 还没有打印过 refunds today 列表。',
    'rows.noneHint': '请先运行 refunds today 再用它的行序号，或直接输入退款编号。',
    'rows.afterImport': '第 {n} 行来自 {printedAt} 打印的 today 列表；之后又导入了数据，序号可能已对应其他退款。',
    'rows.tooOld': '第 {n} 行来自 {printedAt} 打印的 today 列表，已超过 {hours} 小时。',
    'rows.outOfRange': '上一次 today 列表（{printedAt} 打印）只有第 1–{max} 行，没有第 {n} 行。',
    'rows.staleHint': '请重新运行 refunds today 并使用新的序号，或直接输入退款编号。',
    'rows.gone': '第 {n} 行是退款 {id}，{db} 中已没有这笔退款。',
    'lookup.severalWaybill': '退货单号 {waybill} 对应多笔退款：{ids}',
    'action.approve': '同意退款',
    'action.approve-return': '同意退货退款',
    'action.partial': '部分退款',
    'action.refuse': '拒绝退款',
    'action.contact-buyer': '联系买家',
    'action.mark-shipped': '标记已发货',
    'action.refund-postage': '直接退运费',
    'action.escalate': '提交主管',
    'action.wait': '等待',
    'source.triage': '引导处理',
    'source.decide': '命令处理',
  },
});

/**
 * What the agent clicks in the platform's seller backend to carry out a decision. The backends are
 * Chinese, so these are the same in both languages.
 */
const BACKEND_BUTTONS: Record<string, Record<string, string>> = {
  taobao: {
    approve: '同意退款',
    'approve-return': '同意退货',
    partial: '修改退款金额后同意',
    refuse: '拒绝退款',
    'contact-buyer': '旺旺联系买家',
    'mark-shipped': '发货',
    'refund-postage': '支付宝转账运费',
    escalate: '交主管处理',
    wait: '暂不处理',
  },
  douyin: {
    approve: '同意退款',
    'approve-return': '同意退货',
    partial: '协商部分退款',
    refuse: '拒绝售后',
    'contact-buyer': '飞鸽联系买家',
    'mark-shipped': '发货',
    'refund-postage': '转账退运费',
    escalate: '交主管处理',
    wait: '暂不处理',
  },
};

export function backendButton(platform: string, action: string): string {
  return BACKEND_BUTTONS[platform]?.[action] ?? BACKEND_BUTTONS.taobao![action] ?? action;
}
