// Import profiles users write in their config file (key `profiles`, shape in CONTRACT.md): a
// layout the tool does not ship, or extra aliases and state texts for one it does (`extends`).
// Validated here, with errors naming the key (`profiles[0].columns.refundId: …`), and turned into
// the same Profile the built-in layouts use.
import { PROFILES, type FieldSpec, type FieldType, type Profile } from './profiles.js';
import { statusKey } from './normalize.js';

export class ProfileError extends Error {}

interface ContractField {
  key: string;
  type: FieldType;
  required?: boolean;
}

/** CONTRACT.md's field names -> the importer's field keys and types. */
export const REFUND_COLUMNS: Record<string, ContractField> = {
  refundId: { key: 'refundId', type: 'id', required: true },
  orderId: { key: 'orderId', type: 'id', required: true },
  amount: { key: 'amountCents', type: 'money', required: true },
  paid: { key: 'paidCents', type: 'money' },
  statusText: { key: 'statusText', type: 'text', required: true },
  appliedAt: { key: 'appliedAt', type: 'time' },
  exportDeadline: { key: 'exportDeadline', type: 'time' },
  refundType: { key: 'afterSaleType', type: 'text' },
  reason: { key: 'reason', type: 'text' },
  buyerNick: { key: 'buyerNick', type: 'text' },
  buyerNote: { key: 'buyerNote', type: 'text' },
  itemTitle: { key: 'itemTitle', type: 'text' },
  sku: { key: 'sku', type: 'code' },
  returnWaybill: { key: 'returnWaybill', type: 'code' },
  returnCarrier: { key: 'returnCarrier', type: 'text' },
  shipped: { key: 'shippedText', type: 'text' },
  finishedAt: { key: 'finishedAt', type: 'time' },
};

export const ORDER_COLUMNS: Record<string, ContractField> = {
  orderId: { key: 'orderId', type: 'id', required: true },
  buyerNick: { key: 'buyerNick', type: 'text' },
  statusText: { key: 'statusText', type: 'text', required: true },
  paid: { key: 'paidCents', type: 'money' },
  postage: { key: 'postageCents', type: 'money' },
  total: { key: 'totalCents', type: 'money' },
  createdAt: { key: 'createdAt', type: 'time' },
  paidAt: { key: 'paidAt', type: 'time' },
  waybill: { key: 'waybill', type: 'code' },
  carrier: { key: 'carrier', type: 'text' },
  itemTitle: { key: 'itemTitle', type: 'text' },
};

const REFUND_STATES = ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'CLOSED', 'SUCCESS'];
const ORDER_STATES = ['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'SELLER_CONSIGNED_PART', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED', 'TRADE_CLOSED'];
const REFUND_TYPES = ['refund_only', 'return_refund', 'exchange'] as const;
const KEYS = ['name', 'extends', 'platform', 'records', 'signature', 'columns', 'statuses', 'refundTypes', '$comment'];
/** Built-in layouts a user profile may extend. */
export const EXTENDABLE = PROFILES.filter((p) => p.target !== 'receipts').map((p) => p.kind);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (xs: readonly string[]) => xs.map((x) => JSON.stringify(x)).join(', ');
// Names are printed and stored: no control characters, nothing empty.
const cleanText = (s: string) => s.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(s);

function headerList(v: unknown, at: string): string[] {
  if (typeof v === 'string') v = [v];
  if (!Array.isArray(v) || v.length === 0) throw new ProfileError(`${at}: must be a header name or a non-empty list of header names`);
  return v.map((h, i) => {
    if (typeof h !== 'string' || !cleanText(h)) throw new ProfileError(`${at}[${i}]: must be a non-empty header name`);
    return h.trim();
  });
}

function textMap<T extends string>(v: unknown, at: string, allowed: readonly T[]): Record<string, T> {
  if (!isObject(v)) throw new ProfileError(`${at}: must be an object of "text": "value" pairs`);
  const out: Record<string, T> = {};
  for (const [text, value] of Object.entries(v)) {
    if (!cleanText(text)) throw new ProfileError(`${at}: a text must not be empty`);
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      throw new ProfileError(`${at}.${text}: must be one of ${list(allowed)}, got ${JSON.stringify(value)}`);
    }
    out[statusKey(text)] = value as T;
  }
  return out;
}

/**
 * The config's raw `profiles` value -> typed profiles, in the user's order. Throws ProfileError
 * naming the first key that is wrong, e.g. `profiles[0].columns.refundId: must be a header name …`.
 */
export function parseUserProfiles(raw: unknown): Profile[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ProfileError('profiles: must be a list of profiles');
  const names = new Set<string>();
  return raw.map((p, i) => {
    const at = `profiles[${i}]`;
    if (!isObject(p)) throw new ProfileError(`${at}: must be an object`);
    for (const k of Object.keys(p)) if (!KEYS.includes(k)) throw new ProfileError(`${at}.${k}: is not a profile key (expected ${list(KEYS.slice(0, -1))})`);
    if (typeof p.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(p.name)) {
      throw new ProfileError(`${at}.name: must be a name of letters, digits, ".", "_" or "-" (e.g. "kuaishou-aftersales")`);
    }
    const name = p.name;
    if (PROFILES.some((b) => b.kind === name)) throw new ProfileError(`${at}.name: "${name}" is a built-in kind; give your profile its own name (and "extends": "${name}")`);
    if (names.has(name)) throw new ProfileError(`${at}.name: "${name}" is used by an earlier profile`);
    names.add(name);

    let base: Profile | undefined;
    if (p.extends !== undefined) {
      base = PROFILES.find((b) => b.kind === p.extends && b.target !== 'receipts');
      if (!base) throw new ProfileError(`${at}.extends: must be one of ${list(EXTENDABLE)}, got ${JSON.stringify(p.extends)}`);
    }
    if (p.records !== undefined && p.records !== 'refunds' && p.records !== 'orders') {
      throw new ProfileError(`${at}.records: must be "refunds" or "orders", got ${JSON.stringify(p.records)}`);
    }
    const records = (p.records as 'refunds' | 'orders' | undefined) ?? (base?.target as 'refunds' | 'orders' | undefined);
    if (!records) throw new ProfileError(`${at}.records: missing ("refunds" or "orders")`);
    if (base && base.target !== records) throw new ProfileError(`${at}.records: "${records}" does not match "${base.kind}", which holds ${base.target}`);
    if (p.platform !== undefined && (typeof p.platform !== 'string' || !/^[a-z0-9][a-z0-9-]{0,31}$/.test(p.platform))) {
      throw new ProfileError(`${at}.platform: must be a lower-case name such as "kuaishou"`);
    }
    const platform = (p.platform as string | undefined) ?? base?.platform ?? undefined;
    if (!platform) throw new ProfileError(`${at}.platform: missing (e.g. "kuaishou")`);
    const signature = p.signature === undefined && base ? base.signature : headerList(p.signature, `${at}.signature`);

    const contract = records === 'refunds' ? REFUND_COLUMNS : ORDER_COLUMNS;
    const fields: FieldSpec[] = base ? base.fields.map((f) => ({ ...f, aliases: [...f.aliases] })) : [];
    if (p.columns !== undefined && !isObject(p.columns)) throw new ProfileError(`${at}.columns: must be an object of field: [header names]`);
    const columns = (p.columns ?? {}) as Record<string, unknown>;
    if (!base && Object.keys(columns).length === 0) throw new ProfileError(`${at}.columns: missing (which header holds each field)`);
    for (const [field, headers] of Object.entries(columns)) {
      const spec = contract[field];
      if (!spec) throw new ProfileError(`${at}.columns.${field}: is not a ${records} field (expected ${list(Object.keys(contract))})`);
      const aliases = headerList(headers, `${at}.columns.${field}`);
      const existing = fields.find((f) => f.key === spec.key);
      // The user's headers come first: they know their file.
      if (existing) existing.aliases = [...aliases, ...existing.aliases.filter((a) => !aliases.includes(a))];
      else fields.push({ key: spec.key, aliases, type: spec.type, required: spec.required });
    }
    for (const [field, spec] of Object.entries(contract)) {
      if (spec.required && !fields.some((f) => f.key === spec.key)) throw new ProfileError(`${at}.columns.${field}: missing; ${records} need it`);
    }

    const profile: Profile = {
      kind: name,
      platform,
      target: records,
      signature,
      fields,
      origin: base ? { user: true, extends: base.kind } : { user: true },
    };
    if (p.statuses !== undefined) {
      profile.statuses = textMap(p.statuses, `${at}.statuses`, records === 'refunds' ? REFUND_STATES : ORDER_STATES);
    }
    if (p.refundTypes !== undefined) {
      if (records !== 'refunds') throw new ProfileError(`${at}.refundTypes: only refund profiles have refund types`);
      profile.refundTypes = textMap(p.refundTypes, `${at}.refundTypes`, REFUND_TYPES);
    }
    return profile;
  });
}

/** The profiles an import tries, user ones first (on equal scores, the user's wins). */
export function profilesFor(raw: unknown): Profile[] {
  return [...parseUserProfiles(raw), ...PROFILES];
}
