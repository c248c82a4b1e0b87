import { messageSet } from '../messageSet.js';

// The returns desk's condition question and waybill checks (src/cli/receive.ts).
export const returnsDeskMessages = messageSet({
  en: {
    'returns.badWaybill.digits': '"{value}" cannot be a waybill number: it has {digits} digit(s), and a waybill number is mostly digits (e.g. SF1234567890123)',
    'returns.badWaybill.letters': '"{value}" cannot be a waybill number: {letters} letters, and a waybill has at most a short carrier prefix (e.g. JDVA12345678901)',
    'returns.conditionPrompt': '  {waybill} condition: Enter 正常 OK · 1 破损 · 2 错货 · 3 空包> ',
    'returns.badConditionAnswer': 'answer with Enter (正常 OK), 1 (破损 damaged), 2 (错货 wrong item) or 3 (空包 empty); {waybill} is not recorded yet',
    'returns.pendingDropped': '{waybill}: no condition given; not recorded',
    'returns.loopHelpAsk': 'Scan return waybills one by one; after each, give its condition: Enter = 正常 OK, 1 破损 damaged, 2 错货 wrong item, 3 空包 empty. An empty line at the scan prompt, Ctrl-D or q ends.',
  },
  zh: {
    'returns.badWaybill.digits': '"{value}" 不可能是运单号：只有 {digits} 位数字，运单号主要由数字组成（如 SF1234567890123）',
    'returns.badWaybill.letters': '"{value}" 不可能是运单号：有 {letters} 个字母，运单号最多只有简短的快递公司前缀（如 JDVA12345678901）',
    'returns.conditionPrompt': '  {waybill} 验货结果：回车 正常 · 1 破损 · 2 错货 · 3 空包> ',
    'returns.badConditionAnswer': '请按回车（正常）、1（破损）、2（错货）或 3（空包）；{waybill} 尚未登记',
    'returns.pendingDropped': '{waybill}：没有验货结果，未登记',
    'returns.loopHelpAsk': '逐个扫描退货运单号；每扫一个，再给出验货结果：回车 = 正常，1 破损，2 错货，3 空包。在扫描提示下输入空行、Ctrl-D 或 q 结束。',
  },
});
