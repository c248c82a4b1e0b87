// The shop's figures (app/stats.ts) as SVG charts for the HTML pages: refunds applied per day
// against the previous window of the same length, top reasons, top products.
import type { Stats } from '../app/stats.js';
import { t } from './i18n.js';
import { yuan } from './output.js';
import { forTerminal } from './sanitize.js';
import { barChartSvg, dailyChartSvg } from './svgCharts.js';

export function dailySvg(s: Stats): string {
  return dailyChartSvg({
    title: t('charts.daily', { days: Number.isInteger(s.days) ? s.days : s.days.toFixed(1) }),
    days: s.perDay.map((d) => d.date.slice(5)),
    current: s.perDay.map((d) => d.applied),
    // Aligned from the end: the day before the window's first faces the previous window's last.
    // Not read (null) for the text pages, which draw no SVG.
    previous: (s.previousPerDay ?? []).slice(-s.perDay.length).map((d) => d.applied),
    legend: { current: t('charts.thisWindow'), previous: t('charts.previousWindow') },
  });
}

export function reasonsSvg(s: Stats, limit = 5): string {
  return barChartSvg(
    t('charts.reasons'),
    s.reasons.ranked.slice(0, limit).map((r) => ({
      label: r.reason === null ? t('stats.noReason') : forTerminal(r.reason),
      value: r.refunds,
      note: yuan(r.amountCents),
    })),
  );
}

export function productsSvg(s: Stats, limit = 5): string {
  return barChartSvg(
    t('charts.products'),
    s.topProducts.slice(0, limit).map((p) => ({
      label: p.product === null ? t('stats.noProduct') : forTerminal(p.product),
      value: p.refunds,
      note: yuan(p.amountCents),
    })),
  );
}
