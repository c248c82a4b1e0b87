// `refunds import --explain` and `refunds profiles`: how a layout is read, header by header.
import type { Explanation } from '../import/read.js';
import type { Profile } from '../import/profiles.js';
import { t } from './i18n.js';
import { forTerminal } from './sanitize.js';

/** The profile fields under CONTRACT.md's names where they have one (amount, paid …). */
const CONTRACT_NAMES: Record<string, string> = {
  amountCents: 'amount',
  paidCents: 'paid',
  postageCents: 'postage',
  totalCents: 'total',
  afterSaleType: 'refundType',
  shippedText: 'shipped',
};
export const fieldName = (key: string): string => CONTRACT_NAMES[key] ?? key;

function originText(p: Profile): string {
  if (!p.origin || !p.origin.user) return t('explain.origin.builtin');
  return p.origin.extends ? t('explain.origin.extends', { base: p.origin.extends }) : t('explain.origin.user');
}

/** The explanation as plain data (the --json document). */
export function explanationJson(x: Explanation) {
  const { mapping, headers } = x.info;
  const p = mapping.profile;
  const byIndex = new Map<number, string>();
  for (const [field, idx] of mapping.columns) byIndex.set(idx, field);
  return {
    file: x.file,
    format: x.format,
    encoding: x.encoding,
    ...(x.info.sheet !== undefined ? { sheet: x.info.sheet, sheets: x.info.sheets ?? [] } : {}),
    matched: x.info.matched,
    kind: p.kind,
    platform: p.platform,
    records: p.target,
    profile: p.origin?.user ? (p.origin.extends ? `user, extends ${p.origin.extends}` : 'user') : 'built-in',
    headerLine: x.info.line,
    signature: { hits: x.signature.hits, of: x.signature.of },
    signatureMissing: x.signature.missing,
    columns: headers.map((h, i) => ({ column: i + 1, header: h.replace(/^\uFEFF/, '').trim(), field: byIndex.has(i) ? fieldName(byIndex.get(i)!) : null })),
    missingRequired: mapping.missingRequired.map((f) => ({ field: fieldName(f.key), headers: f.aliases })),
    absentFields: p.fields.filter((f) => !mapping.columns.has(f.key) && !f.required).map((f) => fieldName(f.key)),
    extraJson: mapping.extras.map((e) => e.name),
  };
}

export function renderExplanation(x: Explanation): string {
  const j = explanationJson(x);
  const p = x.info.mapping.profile;
  const out: string[] = [];
  out.push(t('explain.title', { file: forTerminal(x.file), format: x.format, encoding: x.encoding }));
  if (j.sheets) out.push(t('explain.sheets', { sheets: j.sheets.map((s) => forTerminal(s)).join(', ') }));
  const params = { kind: p.kind, platform: p.platform ?? '—', origin: originText(p), line: j.headerLine, sheet: j.sheet !== undefined ? t('explain.sheet', { sheet: forTerminal(j.sheet) }) : '' };
  out.push(j.matched ? t('explain.matched', params) : t('explain.notMatched', params));
  const lacks = j.signatureMissing;
  out.push(t('explain.signature', { hits: j.signature.hits, of: j.signature.of, lacks: lacks.length ? t('explain.lacks', { lacks: lacks.join(', ') }) : '' }));
  out.push(t('explain.columnsHeader'));
  for (const c of j.columns) {
    if (c.field) out.push(t('explain.column', { col: String(c.column).padStart(3), header: forTerminal(c.header), field: c.field }));
  }
  out.push(
    j.missingRequired.length
      ? t('explain.missing', { fields: j.missingRequired.map((m) => `${m.field} (${m.headers.join(' / ')})`).join(', ') })
      : t('explain.missingNone'),
  );
  if (j.absentFields.length) out.push(t('explain.fieldsAbsent', { fields: j.absentFields.join(', ') }));
  out.push(j.extraJson.length ? t('explain.extras', { columns: j.extraJson.map((e) => forTerminal(e)).join(', ') }) : t('explain.extrasNone'));
  return out.join('\n');
}

export function profilesJson(profiles: Profile[]) {
  return {
    profiles: profiles.map((p) => ({
      kind: p.kind,
      platform: p.platform,
      records: p.target,
      source: p.origin?.user ? 'user' : 'built-in',
      ...(p.origin?.user && p.origin.extends ? { extends: p.origin.extends } : {}),
      signature: p.signature,
      columns: Object.fromEntries(p.fields.map((f) => [fieldName(f.key), f.aliases])),
      required: p.fields.filter((f) => f.required).map((f) => fieldName(f.key)),
      ...(p.statuses ? { statuses: p.statuses } : {}),
      ...(p.refundTypes ? { refundTypes: p.refundTypes } : {}),
    })),
  };
}

export function renderProfiles(profiles: Profile[], configFile: string): string {
  const out = [t('profiles.header'), ''];
  for (const p of profiles) {
    out.push(t('profiles.line', { kind: forTerminal(p.kind), platform: forTerminal(p.platform ?? '—'), records: p.target, origin: originText(p) }));
    out.push(t('profiles.signature', { signature: p.signature.map((s) => forTerminal(s)).join(', ') }));
    out.push(t('profiles.fields', { fields: p.fields.map((f) => `${fieldName(f.key)}${f.required ? '*' : ''}`).join(', ') }));
  }
  out.push('', t('profiles.config', { file: forTerminal(configFile) }));
  return out.join('\n');
}
