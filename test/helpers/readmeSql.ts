// The SQL the README shows, run as users would: each query sits between <!-- sql:NAME --> markers.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { ROOT } from './cli.js';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Runs README query NAME on the database with the parameters it uses. */
export function readmeQuery(db: string, name: string, params: Record<string, string>): any[] {
  const m = new RegExp(`<!-- sql:${name} -->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\`\\s*<!-- /sql:${name} -->`).exec(readme);
  expect(m, `README query ${name}`).not.toBeNull();
  const sql = m![1]!;
  const used = Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`:${k}\\b`).test(sql)));
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(used);
  } finally {
    d.close();
  }
}
