// Messages of the "no silent damage" checks (issue 14): cut and oversized rows, encodings, values
// out of range, safe writes, missing databases, config keys, claims.
import type { MessageSet } from '../i18n.js';

export const reliabilityMessages: MessageSet = {
  en: {
    'import.fail.truncated': '{where}: the last line has {found} of the header\'s {expected} cells and no line end: the file is cut off (an interrupted download or copy); export or copy it again',
    'import.fail.record-too-long': '{where}: a row longer than {limit} characters; no export has rows this long, so the file is damaged or not an export',
    'import.fail.header-too-long': '{where}: header column {column} is longer than {limit} characters; this is not an export header',
    'import.fail.duplicate-column': '{where}: the header has the column {column} twice, so which cell holds the value is unclear; export the file again',
    'import.fail.binary-at': '{where}: NUL bytes (binary data) in the file; it is damaged or not a CSV export; export it again',
    'import.fail.mixed-encoding': '{where}: this part is not UTF-8 although the file starts as UTF-8 (mixed encodings or a damaged file); export it again, or name the encoding with --encoding',
    'import.row.short-row': 'the row has {found} cells but the header has {expected}; missing: {missing} (a cut or misaligned row; it was left out)',
    'import.row.cell-too-long': 'the {column} cell is longer than {limit} characters; no export writes cells this long',
    'import.row.unterminated': 'the last line has no line end, so it may be cut off; the row was left out (export the file again, or end the file with a line break if the row is whole)',
    'import.row.negative-money': 'the amount "{value}" in {column} is below zero; exports never state negative amounts',
    'import.row.time-range': 'the time "{value}" in {column} is outside {from}–{to}; is it the right column?',
    'import.warn.replaced': 'the {column} cell held bytes that are not {encoding}; they were replaced by "�": check the value in the seller backend',
    'import.warningLine': '{where}: warning: {message}',
  },
  zh: {
    'import.fail.truncated': '{where}：最后一行只有 {found} 个单元格（表头有 {expected} 个），且没有换行符：文件被截断了（下载或复制中断）；请重新导出或复制',
    'import.fail.record-too-long': '{where}：有一行超过 {limit} 个字符；导出文件不会有这么长的行，文件已损坏或不是导出文件',
    'import.fail.header-too-long': '{where}：表头第 {column} 列超过 {limit} 个字符；这不是导出文件的表头',
    'import.fail.duplicate-column': '{where}：表头中 {column} 列出现了两次，无法确定哪一格才是它的值；请重新导出',
    'import.fail.binary-at': '{where}：文件中有 NUL 字节（二进制数据）；文件已损坏或不是 CSV 导出；请重新导出',
    'import.fail.mixed-encoding': '{where}：文件开头是 UTF-8，这里却不是（编码混杂或文件损坏）；请重新导出，或用 --encoding 指定编码',
    'import.row.short-row': '该行有 {found} 个单元格，而表头有 {expected} 个；缺少：{missing}（行被截断或错位，未导入）',
    'import.row.cell-too-long': '{column} 超过 {limit} 个字符；导出文件不会有这么长的单元格',
    'import.row.unterminated': '最后一行没有换行符，可能被截断；该行未导入（请重新导出；若该行完整，请在文件末尾加一个换行）',
    'import.row.negative-money': '{column} 中的金额 "{value}" 小于零；导出文件不会有负金额',
    'import.row.time-range': '{column} 中的时间 "{value}" 不在 {from}–{to} 之间；列是否对应错了？',
    'import.warn.replaced': '{column} 中有不属于 {encoding} 的字节，已替换为 "�"：请在卖家后台核对该值',
    'import.warningLine': '{where}：警告：{message}',
  },
};
