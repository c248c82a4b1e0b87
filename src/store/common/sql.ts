// SQL generated from the domain's tables, so that a rule has one definition: the sections
// (domain/sections.ts) and the refund import kinds (domain/platforms.ts). Shared by every backend:
// the SQL is portable between SQLite and PostgreSQL, except where a function says `dialect` (its
// default, 'sqlite', gives the SQLite text as before); test/store/sectionSql.test.ts checks the
// section CASE against domain sectionOf row by row (test/store/pg/reads.test.ts on PostgreSQL).
import { SECTIONS, type SectionCondition } from '../../domain/sections.js';
import { PLATFORMS, REFUND_IMPORT_KIND, REFUND_IMPORT_KINDS } from '../../domain/platforms.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export type SqlDialect = 'sqlite' | 'postgres';

/** How the section CASE names its two parameters: SQLite's :now / :window, or PostgreSQL's $n. */
export interface SectionParams {
  now: string;
  window: string;
}

const NAMED: SectionParams = { now: ':now', window: ':window' };

function conditionSql(c: SectionCondition, r: string, p: SectionParams): string {
  const terms: string[] = [];
  if (c.band === 'overdue') terms.push(`${r}.deadline_at IS NOT NULL AND ${r}.deadline_at <= ${p.now}`);
  if (c.band === 'dueSoon') terms.push(`${r}.deadline_at IS NOT NULL AND ${r}.deadline_at - ${p.now} <= ${p.window}`);
  if (c.status !== undefined) terms.push(`${r}.status = ${quote(c.status)}`);
  if (c.waitingOn !== undefined) {
    terms.push(
      c.waitingOn.length === 1
        ? `${r}.waiting_on = ${quote(c.waitingOn[0]!)}`
        : `${r}.waiting_on IN (${c.waitingOn.map(quote).join(', ')})`,
    );
  }
  return terms.join(' AND ');
}

/**
 * The section rank of the refund row `r` (5 overdue … 0 other) as a CASE over its stored deadline
 * and waiting_on; parameters :now and :window (the due-soon window), epoch ms. First match wins,
 * as in sectionOf; a row never computed (waiting_on NULL) matches no waiting_on term. `p`: the
 * parameters' placeholders when they are not :now / :window (PostgreSQL: e.g. `$1::bigint`).
 */
export function sectionRankSql(r = 'r', p: SectionParams = NAMED): string {
  const lines = SECTIONS.map((s) => {
    const cond = conditionSql(s.when, r, p);
    return cond === '' ? `  ELSE ${s.rank} END` : `  WHEN ${cond} THEN ${s.rank}`;
  });
  if (!lines.at(-1)!.startsWith('  ELSE')) lines.push('  ELSE 0 END');
  return `CASE\n${lines.join('\n')}`;
}

/** The platform of an import kind column (refund kinds only; any other kind reads as the first platform). */
export function kindToPlatformSql(col: string): string {
  const [first, ...rest] = PLATFORMS;
  return `CASE ${col} ${rest.map((p) => `WHEN ${quote(REFUND_IMPORT_KIND[p])} THEN ${quote(p)}`).join(' ')} ELSE ${quote(first!)} END`;
}

/** The refund import kind of a platform column (any other platform reads as the first platform's kind). */
export function platformToKindSql(col: string): string {
  const [first, ...rest] = PLATFORMS;
  return `CASE ${col} ${rest.map((p) => `WHEN ${quote(p)} THEN ${quote(REFUND_IMPORT_KIND[p])}`).join(' ')} ELSE ${quote(REFUND_IMPORT_KIND[first!])} END`;
}

/** `(…)`: the refund import kinds, for `kind IN ${refundKindsSql()}`. */
export function refundKindsSql(): string {
  return `(${REFUND_IMPORT_KINDS.map(quote).join(', ')})`;
}

/** The body of a CTE of (platform, at): when each platform's refunds were last imported (max imported_at). */
export function lastRefundImportSql(): string {
  return `SELECT ${kindToPlatformSql('kind')} AS platform, max(imported_at) AS at
             FROM imports WHERE kind IN ${refundKindsSql()} GROUP BY 1`;
}

/**
 * "Decided, not carried out" (domain/decisionState.ts isNotCarriedOut) of decision row `d` on
 * refund row `r`, `li` the platform's last refund import: the decision expected other states than
 * the refund's, and a refund export was imported after it. (SQLite: the JSON array's text holds no
 * "status"; PostgreSQL: the jsonb array holds no such string, and the times compare as instants.)
 */
export function notCarriedOutSql(d: string, r: string, li: string, dialect: SqlDialect = 'sqlite'): string {
  const expectsOther =
    dialect === 'postgres'
      ? `NOT (${d}.expected_status_json ? ${r}.status)`
      : `instr(${d}.expected_status_json, '"' || ${r}.status || '"') = 0`;
  return `(${d}.expected_status_json IS NOT NULL AND ${d}.expected_status_json <> '[]'
             AND ${expectsOther}
             AND ${li}.at IS NOT NULL AND ${d}.decided_at < ${li}.at)`;
}
