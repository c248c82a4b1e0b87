// The case card: one refund explained, every number with where it came from. Shared by `show`
// and `triage`. Buyer-written text is sanitized here, at the last step before the terminal.
import type { CaseFile } from '../app/caseFile.js';
import { formatWindow } from '../domain/rules.js';
import { formatTimeLeft } from '../domain/urgency.js';
import { parseShopTime, type ShopZone } from '../domain/time.js';
import { getLang, hasKey, t } from './i18n.js';
import { padEnd, yuan, type Output } from './output.js';
import { forTerminal } from './sanitize.js';
import { maskPhone, maskAddress } from './mask.js';
import { renderBuyerHistory } from './buyerHistoryView.js';

export interface CaseViewOptions {
  zone: ShopZone;
  nowMs: number;
  mask: boolean;
  /** Compact card for triage: fewer lines, no history. */
  compact?: boolean;
}

const ORANGE = '#FF8C00';

export function renderCase(cf: CaseFile, io: Output, o: CaseViewOptions): string {
  const c = io.chalk;
  const lang = getLang();
  const r = cf.refund;
  const d = cf.deadline;
  const when = (iso: string | null) => {
    if (!iso) return '—';
    const ms = parseShopTime(iso, o.zone);
    return ms === null ? iso : o.zone.short(ms);
  };
  const lines: string[] = [];
  const label = (k: string) => padEnd(t(k), 14);
  const field = (k: string, v: string) => lines.push(`  ${c.dim(label(k))} ${v}`);

  const title = t('show.title', { refundId: r.refundId, platform: hasKey(`platform.${r.platform}`) ? t(`platform.${r.platform}`) : forTerminal(r.platform) });
  lines.push(cf.urgency.orange ? c.bold.hex(ORANGE)(title) : c.bold(title));
  field('show.order', r.orderId);
  const stateText = `${t(`status.${r.status}`)} · ${forTerminal(r.statusText)}`;
  field('show.state', cf.urgency.orange ? c.hex(ORANGE)(stateText) : stateText);
  field('show.amount', t('show.amountLine', { amount: c.bold(yuan(r.amountCents)), paid: yuan(r.paidCents) }));
  field('show.type', t(`show.type.${r.refundType}`));
  field('show.shipped', t(`show.shipped.${r.shipped}`));
  if (r.buyerNick) field('show.buyer', forTerminal(r.buyerNick));
  field('show.reason', forTerminal(r.reason) || '—');
  if (r.buyerNote) field('show.buyerNote', `“${forTerminal(r.buyerNote)}”`);
  field('show.applied', when(r.appliedAt));
  if (r.disputeState !== 'none') field('show.dispute', `${forTerminal(r.disputeText)}${r.evidenceDeadline ? ` · 举证超时 ${when(r.evidenceDeadline)}` : ''}`);
  if (cf.buyerHistory) lines.push(...renderBuyerHistory(cf.buyerHistory, io, { compact: o.compact }));

  // The deadline, and how it was found.
  lines.push('');
  if (d.at === null) {
    field('show.deadline', d.actor === 'none' ? t('show.noDeadline') : t('show.noDeadlineUnknown'));
  } else {
    const left = formatTimeLeft(cf.urgency.secondsLeft, lang);
    const paintLeft = cf.urgency.overdue ? c.bold.red(left) : cf.urgency.dueSoon ? c.bold.yellow(left) : c.bold(left);
    field('show.deadline', o.zone.short(d.at));
    field('show.timeLeft', t('show.timeLeftExplained', { left: paintLeft, deadline: o.zone.short(d.at), now: o.zone.short(o.nowMs) }));
    if (d.source === 'export') {
      lines.push(`  ${' '.repeat(14)} ${c.dim(t(`show.source.export.${d.anchor?.column ?? 'exportDeadline'}`))}`);
      if (d.ruleAt !== null && d.rule && !o.compact) lines.push(`  ${' '.repeat(14)} ${c.dim(t('show.ruleCheck', { at: o.zone.short(d.ruleAt) }))}`);
    } else if (d.source === 'rule' && d.rule && d.anchor) {
      lines.push(
        `  ${' '.repeat(14)} ${c.dim(
          t('show.source.rule', {
            anchorLabel: t(`show.anchor.${d.anchor.field}`),
            anchorAt: o.zone.short(d.anchor.at),
            window: formatWindow(d.rule.window, lang),
            rule: d.rule.id,
            confidence: d.rule.confidence,
          }),
        )}`,
      );
      if (d.anchor.fallbackFrom) lines.push(`  ${' '.repeat(14)} ${c.dim(t('show.anchorFallback', { field: d.anchor.fallbackFrom }))}`);
      if (!o.compact) lines.push(`  ${' '.repeat(14)} ${c.dim(t('show.ruleSource', { source: d.rule.source }))}`);
    }
    if (!d.calendarKnown) lines.push(`  ${' '.repeat(14)} ${c.yellow(t('show.calendarUnknown'))}`);
  }
  field('show.waitingOn', t(`show.actor.${d.actor}`));
  if (d.atTimeout) field('show.atZero', t(`today.atTimeout.${d.atTimeout}`));
  field('show.next', c.bold(t(`next.${cf.next}`)));

  // Warehouse receipt for returns.
  if (r.returnWaybill || cf.receipt) {
    lines.push('');
    if (r.returnWaybill) field('show.returnWaybill', `${forTerminal(r.returnWaybill)} ${forTerminal(r.returnCarrier)}`.trim());
    const rec = cf.receipts.at(-1);
    if (rec) {
      field('show.warehouse', t('show.warehouseLine', { receivedAt: when(rec.receivedAt), condition: t(`condition.${rec.condition}`), waybill: forTerminal(rec.waybill) }));
    } else {
      field('show.warehouse', r.returnWaybill ? t('show.warehouseNone') : t('show.warehouseNoWaybill'));
    }
  }

  // The order.
  lines.push('');
  if (!cf.order) {
    lines.push(`  ${c.dim(t('show.orderNotImported', { orderId: r.orderId }))}`);
  } else {
    const od = cf.order;
    lines.push(c.bold(t('show.orderSection', { orderId: od.orderId })));
    field('show.orderState', forTerminal(od.statusText) || '—');
    field('show.orderPaid', `${yuan(od.paidCents)}${od.paidAt ? ` · ${when(od.paidAt)}` : ''}`);
    if (od.waybill) field('show.orderWaybill', `${forTerminal(od.carrier)} ${forTerminal(od.waybill)}`.trim());
    if (!o.compact && (od.receiverName || od.phone || od.address)) {
      const phone = o.mask ? maskPhone(od.phone) : forTerminal(od.phone);
      const addr = o.mask ? maskAddress(od.address) : forTerminal(od.address);
      field('show.receiver', [forTerminal(od.receiverName), phone, addr].filter(Boolean).join(' · '));
    }
  }

  if (!o.compact) {
    lines.push('', c.bold(t('show.history')));
    for (const h of cf.history) {
      lines.push(`  ${t('show.historyLine', { seenAt: when(h.seenAt), status: t(`status.${h.status}`), statusText: forTerminal(h.statusText) })}`);
    }
  }
  lines.push('', c.bold(t('show.decisions')));
  if (cf.decisions.length === 0) lines.push(`  ${c.dim(t('show.noDecisions'))}`);
  for (const dec of cf.decisions) {
    lines.push(
      `  ${t('show.decisionLine', {
        decidedAt: when(dec.decidedAt),
        action: t(`action.${dec.action}`),
        agent: forTerminal(dec.agent),
        amount: dec.amountCents !== null ? ` · ${yuan(dec.amountCents)}` : '',
        note: dec.note ? ` · ${forTerminal(dec.note)}` : '',
      })}`,
    );
  }
  if (cf.notCarriedOut) lines.push(`  ${c.bold.red(t('next.decided-not-carried-out'))}`);
  return lines.join('\n');
}
