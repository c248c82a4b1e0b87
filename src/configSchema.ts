// Every key of the config file with its type and bounds (valibot). A value out of bounds refuses
// the whole file, naming the key: a window of 1e12 hours or claimMinutes of 1e400 would otherwise
// reach the clock arithmetic as NaN or Infinity. One line per key; other modules validate their
// own keys' contents (profiles: src/import, rules: src/domain/rules.ts) and pass through here.
import * as v from 'valibot';
import { parseDuration } from './domain/time.js';

const name = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(64, 'must be at most 64 characters'));
const HOUR = 3_600_000;
/** A buyer-flag threshold: a finite number from 0 to `max`. */
const threshold = (max: number) =>
  v.pipe(v.number('must be a number'), v.finite('must be a finite number'), v.minValue(0, 'must be ≥ 0'), v.maxValue(max, `must be at most ${max}`));

export const CONFIG_KEYS = {
  timeZone: v.pipe(v.string('must be a string such as "Asia/Shanghai"'), v.maxLength(64, 'must be at most 64 characters')),
  shopName: v.pipe(v.string('must be a string'), v.maxLength(100, 'must be at most 100 characters')),
  alertWindow: v.pipe(
    v.string('must be a string like "24h"'),
    v.check((s) => parseDuration(s) !== null, 'must be a duration like "24h", "90m" or "2d"'),
    v.check((s) => (parseDuration(s) ?? 0) >= 60_000 && (parseDuration(s) ?? 0) <= 30 * 24 * HOUR, 'must be between 1m and 30d'),
  ),
  amountThresholdYuan: v.pipe(v.number('must be a number'), v.finite('must be a finite number'), v.minValue(0, 'must be ≥ 0'), v.maxValue(10_000_000, 'must be at most 10000000')),
  supervisors: v.pipe(v.array(name, 'must be a list of names'), v.maxLength(200, 'must list at most 200 names')),
  agent: name,
  claimMinutes: v.pipe(v.number('must be a number'), v.finite('must be a finite number'), v.minValue(1, 'must be at least 1'), v.maxValue(24 * 60, 'must be at most 1440 (one day)')),
  rules: v.strictObject(
    { taobao: v.optional(v.array(v.unknown(), 'must be a list of rules')), douyin: v.optional(v.array(v.unknown(), 'must be a list of rules')), pdd: v.optional(v.array(v.unknown(), 'must be a list of rules')) },
    'must be an object such as {"taobao": [ … ], "douyin": [ … ], "pdd": [ … ]}',
  ),
  todayRowsPerSection: v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(1000, 'must be at most 1000')),
  tmall: v.boolean('must be true or false'),
  buyerHistoryDays: v.pipe(v.number('must be a number'), v.finite('must be a finite number'), v.minValue(1, 'must be a number of days, 1 to 3650'), v.maxValue(3650, 'must be a number of days, 1 to 3650')),
  buyerFlags: v.strictObject(
    {
      refundOnlyAfterDelivery: v.optional(threshold(1000)),
      refundShare: v.optional(threshold(1)),
      refundShareMinOrders: v.optional(threshold(1000)),
      lateAfterReceiptDays: v.optional(threshold(3650)),
      noReasonDays: v.optional(threshold(3650)),
      disputes: v.optional(threshold(1000)),
    },
    'must be an object of thresholds: refundOnlyAfterDelivery, refundShare, refundShareMinOrders, lateAfterReceiptDays, noReasonDays, disputes',
  ),
  // Import profiles: their contents are validated by the import's own module (src/import/profileSchema.ts).
  profiles: v.array(v.unknown(), 'must be a list of profiles'),
} as const;

const schema = v.strictObject(
  Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, s]) => [k, v.optional(s)])) as { [K in keyof typeof CONFIG_KEYS]: v.OptionalSchema<(typeof CONFIG_KEYS)[K], undefined> },
  'the file must hold one JSON object',
);

/** The first problem as "key: what is wrong", or null when the file is valid. */
export function configProblem(data: unknown): string | null {
  const r = v.safeParse(schema, data, { abortEarly: true });
  if (r.success) return null;
  const issue = r.issues[0]!;
  const key = v.getDotPath(issue);
  if (issue.type === 'strict_object' && issue.expected === 'never' && key) {
    return `unknown key "${key}" (known keys: ${Object.keys(CONFIG_KEYS).join(', ')})`;
  }
  return key ? `${key} ${issue.message}` : issue.message;
}
