// The morning printout. The summary is first laid out as a small page model (sections of
// paragraphs, label/value pairs, tables with detail lines, lists, preformatted charts), then
// rendered as
// - text: for paper — at most 80 display columns on every line (a Chinese character counts two),
//   no colour, no control characters;
// - Markdown: for chat and wikis;
// - HTML: one self-contained printable A4 page (print CSS, no external assets, everything escaped).
// Everything taken from the database is cleaned with forTerminal when the page is laid out, and
// escaped again for Markdown and HTML when it is rendered.
import type { AgentDay, SummaryData, SummaryRow } from '../app/summary.js';
import { backendButton } from './messages/morning.js';
import { contactOf } from '../domain/privacy.js';
import { formatTimeLeft } from '../domain/urgency.js';
import type { ShopZone } from '../domain/time.js';
import { getLang, hasKey, t } from './i18n.js';
import { padEnd, padStart, widthOf, yuan } from './output.js';
import { forTerminal, truncateTo } from './sanitize.js';
import { statsSummarySection } from './statsView.js';

export const PAGE_WIDTH = 80;

// ---- the page model ------------------------------------------------------------------------------

export interface TableRow {
  cells: string[];
  /** Lines printed under the row (indented in text; a last column in Markdown; a row in HTML). */
  details?: string[];
}

export type Block =
  | { kind: 'para'; text: string }
  | { kind: 'notes'; lines: string[] }
  | { kind: 'pairs'; rows: [string, string][] }
  | {
      kind: 'table';
      head: string[];
      align: ('l' | 'r')[];
      rows: TableRow[];
      more?: number;
      /** The column cut first when the table is wider than the page (default: the last one). */
      flex?: number;
    }
  | { kind: 'list'; items: string[] }
  /** `svg`: the same chart drawn for the HTML page (svgCharts.ts); text and Markdown show `lines`. */
  | { kind: 'chart'; lines: string[]; svg?: string };

export interface Section {
  title: string;
  blocks: Block[];
  /** Short enough to stand beside the next narrow section on the HTML page. */
  narrow?: boolean;
}

export interface Page {
  title: string;
  subtitle: string[];
  sections: Section[];
  footer: string[];
}

// ---- text ----------------------------------------------------------------------------------------

const INDENT = '  ';
const GAP = '  ';

/** Cuts a line to the page width (display columns), marking the cut with "…". */
export function clip(line: string, width = PAGE_WIDTH): string {
  return truncateTo(line, width, widthOf);
}

/** Wraps text to the width: at spaces where there are any, anywhere between Chinese characters. */
export function wrap(text: string, width = PAGE_WIDTH, indent = ''): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const ch of text) {
    while (widthOf(line + ch) > width && line.length > indent.length) {
      if (ch === ' ') {
        lines.push(line);
        line = indent;
        break;
      }
      const space = line.lastIndexOf(' ');
      if (space > indent.length) {
        lines.push(line.slice(0, space));
        line = indent + line.slice(space + 1);
      } else {
        lines.push(line);
        line = indent;
      }
    }
    if (ch === ' ' && line === indent) continue;
    line += ch;
  }
  if (line.trim() !== '') lines.push(line);
  return lines.map((l) => l.replace(/\s+$/, ''));
}

function textTable(b: Extract<Block, { kind: 'table' }>): string[] {
  const n = b.head.length;
  const widths = b.head.map((h, i) => Math.max(widthOf(h), ...b.rows.map((r) => widthOf(r.cells[i] ?? ''))));
  // Too wide for the page: the flexible column (never the refund ID) gives way.
  const total = () => INDENT.length + widths.reduce((s, w) => s + w, 0) + GAP.length * (n - 1);
  if (total() > PAGE_WIDTH) {
    const i = b.flex ?? n - 1;
    widths[i] = Math.max(6, widths[i]! - (total() - PAGE_WIDTH));
  }
  const line = (cells: string[]) =>
    INDENT +
    cells
      .map((c, i) => {
        const w = widths[i]!;
        const cut = widthOf(c) > w ? clip(c, w) : c;
        return b.align[i] === 'r' ? padStart(cut, w) : padEnd(cut, w);
      })
      .join(GAP);
  const out: string[] = [];
  if (b.head.some((h) => h !== '')) out.push(line(b.head));
  for (const r of b.rows) {
    out.push(line(r.cells));
    for (const d of r.details ?? []) out.push(`${INDENT}    ${d}`);
  }
  if (b.more) out.push(`${INDENT}… +${b.more}`);
  return out;
}

function textBlock(b: Block): string[] {
  switch (b.kind) {
    case 'para':
      return wrap(b.text, PAGE_WIDTH, INDENT);
    case 'notes':
      return b.lines.flatMap((l) => wrap(l, PAGE_WIDTH, INDENT));
    case 'pairs': {
      const lw = Math.min(46, Math.max(...b.rows.map(([l]) => widthOf(l))));
      return b.rows.map(([l, v]) => `${INDENT}${padEnd(widthOf(l) > lw ? clip(l, lw) : l, lw)}  ${v}`);
    }
    case 'table':
      return textTable(b);
    case 'list':
      return b.items.map((item, i) => `${padStart(String(i + 1), 3)}. ${item}`);
    case 'chart':
      return b.lines.map((l) => INDENT + l);
  }
}

/** Plain text for paper: every line at most 80 columns, no colour, no control characters. */
export function renderText(page: Page): string {
  const out: string[] = [];
  out.push(page.title.toUpperCase());
  out.push(...page.subtitle.flatMap((s) => wrap(s)));
  for (const s of page.sections) {
    out.push('');
    // A section with nothing to list is one line: "TITLE: None."
    const only = s.blocks.length === 1 ? s.blocks[0]! : null;
    if (s.title && only?.kind === 'para' && widthOf(`${s.title}: ${only.text}`) <= PAGE_WIDTH) {
      out.push(`${s.title.toUpperCase()}${t('summary.colon')}${only.text}`);
      continue;
    }
    if (s.title) out.push(s.title.toUpperCase());
    for (const b of s.blocks) out.push(...textBlock(b));
  }
  if (page.footer.length) {
    out.push('');
    out.push(...page.footer.flatMap((f) => wrap(f)));
  }
  return `${out.map((l) => clip(forTerminal(l)).replace(/\s+$/, '')).join('\n')}\n`;
}

// ---- Markdown ------------------------------------------------------------------------------------

/** Escapes text so Markdown shows it as written (no links, emphasis, HTML or table breaks). */
export function md(text: string): string {
  return forTerminal(text)
    .replace(/([\\`*_[\]<>|~])/g, '\\$1')
    .replace(/^([#+-])(?=\s|$)/, '\\$1')
    .replace(/^(\d+)\.(?=\s|$)/, '$1\\.');
}

function mdTable(b: Extract<Block, { kind: 'table' }>): string[] {
  const withDetails = b.rows.some((r) => r.details?.length);
  const head = withDetails ? [...b.head, t('summary.col.details')] : b.head;
  const align = withDetails ? [...b.align, 'l' as const] : b.align;
  const row = (cells: string[]) => `| ${cells.map((c) => md(c) || ' ').join(' | ')} |`;
  const out = [row(head), `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`];
  for (const r of b.rows) out.push(row(withDetails ? [...r.cells, (r.details ?? []).join(' · ')] : r.cells));
  if (b.more) out.push('', `… +${b.more}`);
  return out;
}

function mdBlock(b: Block): string[] {
  switch (b.kind) {
    case 'para':
      return [md(b.text)];
    case 'notes':
      return b.lines.map((l) => `- ${md(l)}`);
    case 'pairs':
      return b.rows.map(([l, v]) => `- **${md(l)}**: ${md(v)}`);
    case 'table':
      return mdTable(b);
    case 'list':
      return b.items.map((item, i) => `${i + 1}. ${md(item)}`);
    case 'chart':
      return b.lines.length ? ['```', ...b.lines.map((l) => forTerminal(l).replace(/`/g, "'")), '```'] : [];
  }
}

export function renderMarkdown(page: Page): string {
  const out: string[] = [`# ${md(page.title)}`, ''];
  for (const s of page.subtitle) out.push(md(s), '');
  for (const s of page.sections) {
    if (s.title) out.push(`## ${md(s.title)}`, '');
    for (const b of s.blocks) {
      const lines = mdBlock(b);
      if (lines.length) out.push(...lines, '');
    }
  }
  for (const f of page.footer) out.push(`_${md(f)}_`, '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

// ---- HTML ----------------------------------------------------------------------------------------

export function html(text: string): string {
  return forTerminal(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
@page { size: A4; margin: 10mm 11mm 11mm 11mm; }
* { box-sizing: border-box; }
html { font-size: 10pt; }
body { margin: 0 auto; max-width: 188mm; color: #000; background: #fff;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; line-height: 1.25; }
h1 { font-size: 1.35rem; margin: 0 0 .15rem; }
h2 { font-size: 1.05rem; margin: .6rem 0 .2rem; border-bottom: 1px solid #000; padding-bottom: .05rem; }
p { margin: .15rem 0; }
.sub { margin: 0; }
.cols { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6mm; }
table { border-collapse: collapse; width: 100%; margin: .1rem 0; }
th, td { text-align: left; padding: .05rem .4rem .05rem 0; vertical-align: top; }
th { border-bottom: 1px solid #000; font-weight: 600; }
td.r, th.r { text-align: right; white-space: nowrap; }
td.id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; white-space: nowrap; }
tr.detail td { padding-top: 0; padding-left: 1.2rem; color: #333; font-size: .9rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0 1rem; margin: .1rem 0; }
dt { font-weight: 600; } dd { margin: 0; }
ul.notes { margin: .05rem 0; padding-left: 1.2rem; }
ol { margin: .1rem 0; padding-left: 1.6rem; }
pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; font-size: .9rem; margin: .15rem 0; white-space: pre; }
figure.chart { margin: .2rem 0; display: flex; gap: 2mm; } figure.chart svg { max-width: 100%; height: auto; }
footer { margin-top: .6rem; font-size: .85rem; color: #333; }
@media screen { body { padding: 10mm; } }
@media print {
  html { font-size: 8pt; }
  body { max-width: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, li, pre, dl { break-inside: avoid; page-break-inside: avoid; }
}
`.trim();

function htmlTable(b: Extract<Block, { kind: 'table' }>): string {
  const cls = (i: number, cell: string) => {
    const c = [b.align[i] === 'r' ? 'r' : '', i === 0 && /^\d{6,}$/.test(cell) ? 'id' : ''].filter(Boolean).join(' ');
    return c ? ` class="${c}"` : '';
  };
  const out: string[] = ['<table>'];
  if (b.head.some((h) => h !== '')) out.push(`<thead><tr>${b.head.map((h, i) => `<th${cls(i, '')}>${html(h)}</th>`).join('')}</tr></thead>`);
  out.push('<tbody>');
  for (const r of b.rows) {
    out.push(`<tr>${r.cells.map((c, i) => `<td${cls(i, c)}>${html(c)}</td>`).join('')}</tr>`);
    if (r.details?.length) out.push(`<tr class="detail"><td colspan="${b.head.length}">${r.details.map(html).join('<br>')}</td></tr>`);
  }
  if (b.more) out.push(`<tr class="detail"><td colspan="${b.head.length}">… +${b.more}</td></tr>`);
  out.push('</tbody></table>');
  return out.join('\n');
}

function htmlBlock(b: Block): string {
  switch (b.kind) {
    case 'para':
      return `<p>${html(b.text)}</p>`;
    case 'notes':
      return `<ul class="notes">${b.lines.map((l) => `<li>${html(l)}</li>`).join('')}</ul>`;
    case 'pairs':
      return `<dl>${b.rows.map(([l, v]) => `<dt>${html(l)}</dt><dd>${html(v)}</dd>`).join('')}</dl>`;
    case 'table':
      return htmlTable(b);
    case 'list':
      return `<ol>${b.items.map((i) => `<li>${html(i)}</li>`).join('')}</ol>`;
    case 'chart':
      return b.svg ? `<figure class="chart">${b.svg}</figure>` : `<pre>${b.lines.map(html).join('\n')}</pre>`;
  }
}

/** One self-contained HTML document: inline CSS for an A4 page, no scripts, no external assets. */
export function renderHtml(page: Page, lang: 'en' | 'zh'): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(page.title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    `<h1>${html(page.title)}</h1>`,
    ...page.subtitle.map((s) => `<p class="sub">${html(s)}</p>`),
  ];
  const sections = page.sections;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i]!;
    const pair = s.narrow && sections[i + 1]?.narrow;
    if (pair) out.push('<div class="cols">');
    for (const one of pair ? [s, sections[++i]!] : [s]) {
      out.push('<section>');
      if (one.title) out.push(`<h2>${html(one.title)}</h2>`);
      for (const b of one.blocks) out.push(htmlBlock(b));
      out.push('</section>');
    }
    if (pair) out.push('</div>');
  }
  if (page.footer.length) out.push(`<footer>${page.footer.map((f) => `<p>${html(f)}</p>`).join('\n')}</footer>`);
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}

// ---- the summary laid out --------------------------------------------------------------------------

export interface SummaryViewOptions {
  mask: boolean;
}

function deadlineCell(r: SummaryRow, zone: ShopZone): string {
  const d = r.item.deadline;
  if (d.at === null) return '—';
  return `${zone.short(d.at).slice(5)}${d.source === 'rule' ? '*' : ''}`;
}

/** Who to call and about what, for the line under a refund: contact first so a cut keeps it. */
function contactLine(r: SummaryRow, mask: boolean, withAddress = false): string {
  const c = contactOf(r, mask);
  const parts = [[forTerminal(c.name), forTerminal(c.phone)].filter(Boolean).join(' ')];
  if (withAddress && c.address) parts.push(forTerminal(c.address));
  parts.push(forTerminal(r.item.refund.itemTitle ?? r.item.refund.sku ?? ''));
  return parts.filter(Boolean).join(' · ');
}

function nextText(r: SummaryRow): string {
  return t(`next.${r.item.next}`);
}

function deadlineTable(rows: SummaryRow[], zone: ShopZone, lang: 'en' | 'zh', mask: boolean): Block {
  return {
    kind: 'table',
    head: [t('summary.col.refund'), t('summary.col.amount'), t('summary.col.deadline'), t('summary.col.left'), t('summary.col.state')],
    align: ['l', 'r', 'l', 'l', 'l'],
    rows: rows.map((r) => ({
      cells: [
        r.item.refund.refundId,
        yuan(r.item.refund.amountCents),
        deadlineCell(r, zone),
        formatTimeLeft(r.item.urgency.secondsLeft, lang),
        t(`state.short.${r.item.refund.status}`),
      ],
      details: [[t('summary.next', { next: nextText(r) }), contactLine(r, mask)].filter(Boolean).join(' · ')],
    })),
  };
}

function receiptCell(r: SummaryRow, zone: ShopZone): string {
  const rc = r.item.receipt;
  if (!rc) return '—';
  const at = rc.receipt ? zone.short(Date.parse(rc.receipt.receivedAt)).slice(5) : '';
  return t(`summary.receipt.${rc.state}`, { at }).trim();
}

function orangeTable(rows: SummaryRow[], zone: ShopZone, mask: boolean): Block {
  return {
    kind: 'table',
    head: [t('summary.col.refund'), t('summary.col.amount'), t('summary.col.deadline'), t('summary.col.warehouse')],
    align: ['l', 'r', 'l', 'l'],
    rows: rows.map((r) => {
      const waybill = r.item.refund.returnWaybill ? t('summary.waybill', { waybill: forTerminal(r.item.refund.returnWaybill) }) : '';
      const detail = [t('summary.next', { next: nextText(r) }), waybill, contactLine(r, mask, r.item.next === 'refuse-and-return')];
      return {
        cells: [r.item.refund.refundId, yuan(r.item.refund.amountCents), deadlineCell(r, zone), receiptCell(r, zone)],
        details: [detail.filter(Boolean).join(' · ')],
      };
    }),
  };
}

function actionText(action: string): string {
  return hasKey(`action.${action}`) ? t(`action.${action}`) : forTerminal(action);
}

function notCarriedTable(rows: SummaryRow[], zone: ShopZone): Block {
  return {
    kind: 'table',
    head: [t('summary.col.refund'), t('summary.col.decision'), t('summary.col.agent'), t('summary.col.decidedAt'), t('summary.col.stillShows')],
    align: ['l', 'l', 'l', 'l', 'l'],
    flex: 2,
    rows: rows.map((r) => {
      const d = r.item.decision!;
      const at = Date.parse(d.decidedAt);
      return {
        cells: [
          r.item.refund.refundId,
          actionText(d.action),
          forTerminal(d.agent),
          Number.isFinite(at) ? zone.short(at).slice(5) : forTerminal(d.decidedAt),
          t(`state.short.${r.item.refund.status}`),
        ],
      };
    }),
  };
}

function yesterdayTable(agents: AgentDay[]): Block {
  return {
    kind: 'table',
    head: [t('summary.col.agent'), t('summary.col.decisions'), t('summary.col.actions')],
    align: ['l', 'r', 'l'],
    rows: agents.map((a) => ({
      cells: [forTerminal(a.agent), String(a.total), a.actions.map((x) => `${actionText(x.action)} ${x.decisions}`).join(' · ')],
    })),
  };
}

function firstLine(r: SummaryRow, lang: 'en' | 'zh', zone: ShopZone, asOfMs: number): string {
  const d = r.item.decision;
  if (r.item.next === 'carry-out' && d) {
    // Decided since the last import: the one thing left is doing it in the seller backend.
    const at = Date.parse(d.decidedAt);
    return t(d.action === 'wait' ? 'summary.firstWait' : 'summary.firstCarryOut', {
      button: backendButton(r.item.refund.platform, d.action),
      agent: forTerminal(d.agent),
      // The time alone when decided today, else with the date.
      at: !Number.isFinite(at) ? forTerminal(d.decidedAt) : zone.dateKey(at) === zone.dateKey(asOfMs) ? zone.short(at).slice(11) : zone.short(at).slice(5),
      refundId: r.item.refund.refundId,
      amount: yuan(r.item.refund.amountCents),
      left: formatTimeLeft(r.item.urgency.secondsLeft, lang),
    });
  }
  return t('summary.firstLine', {
    next: nextText(r),
    refundId: r.item.refund.refundId,
    amount: yuan(r.item.refund.amountCents),
    left: formatTimeLeft(r.item.urgency.secondsLeft, lang),
  });
}

export function summaryPage(d: SummaryData, o: SummaryViewOptions): Page {
  const lang = getLang();
  const z = d.zone;
  const none: Block = { kind: 'para', text: t('summary.none') };
  const c = d.counts;
  const shop = d.shop ? forTerminal(d.shop) : null;
  const sections: Section[] = [
    {
      title: t('summary.first'),
      blocks: d.firstActions.length ? [{ kind: 'list', items: d.firstActions.map((r) => firstLine(r, lang, z, d.asOfMs)) }] : [{ kind: 'para', text: t('summary.firstNone') }],
    },
    {
      title: t('summary.byState'),
      blocks: d.byState.length
        ? [
            {
              kind: 'table',
              head: [t('summary.col.state'), t('summary.col.refunds'), t('summary.col.amount')],
              align: ['l', 'r', 'r'],
              rows: [
                ...d.byState.map((s) => ({ cells: [t(`status.${s.status}`), String(s.refunds), yuan(s.amountCents)] })),
                { cells: [t('summary.total'), String(c.open), yuan(d.byState.reduce((n, s) => n + s.amountCents, 0))] },
              ],
            },
          ]
        : [none],
    },
    { title: t('summary.overdue', { n: d.overdue.length }), blocks: d.overdue.length ? [deadlineTable(d.overdue, z, lang, o.mask)] : [none] },
    {
      title: t('summary.dueToday', { n: d.dueToday.length, end: z.short(d.endOfTodayMs).slice(5) }),
      blocks: d.dueToday.length ? [deadlineTable(d.dueToday, z, lang, o.mask)] : [none],
    },
    { title: t('summary.orange', { n: d.orange.length }), blocks: d.orange.length ? [orangeTable(d.orange, z, o.mask)] : [none] },
    {
      narrow: true,
      title: t('summary.notCarried', { n: d.notCarriedOut.length }),
      blocks: d.notCarriedOut.length ? [notCarriedTable(d.notCarriedOut, z), { kind: 'para', text: t('summary.notCarriedHint') }] : [none],
    },
    {
      narrow: true,
      title: t('summary.yesterday', { date: d.yesterday.date }),
      blocks: d.yesterday.agents.length ? [yesterdayTable(d.yesterday.agents)] : [{ kind: 'para', text: t('summary.yesterdayNone') }],
    },
    statsSummarySection(d.metrics),
  ];
  const rule = [...d.overdue, ...d.dueToday, ...d.orange].some((r) => r.item.deadline.source === 'rule');
  return {
    title: shop ? t('summary.titleShop', { shop }) : t('summary.title'),
    subtitle: [
      t('summary.asOf', { asOf: z.short(d.asOfMs), zone: z.name }),
      t('summary.counts', { open: c.open, overdue: c.overdueShop, dueToday: c.dueToday, orange: c.orange, notCarried: c.notCarriedOut }),
    ],
    sections,
    footer: [...(rule ? [t('summary.ruleMark')] : []), `${o.mask ? t('summary.masked') : t('summary.unmasked')} ${t('summary.sources')}`],
  };
}
