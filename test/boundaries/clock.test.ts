// The core reads the time only through an injected Clock (domain/time.ts); the one real clock is
// systemClock. depcruise cannot see calls, so this scans the source text.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const CORE = ['src/domain', 'src/app', 'src/import', 'src/store'];
const CLOCK_CALL = /\bDate\.now\(|\bnew Date\(\s*\)|\bperformance\.now\(/;

/**
 * Known offenders, matched by file and the line's code (line numbers as of issue 15's start). The
 * package that injects the clock there deletes its entry; the test fails while an entry is stale.
 */
const ALLOWED: { file: string; code: string; reason: string }[] = [
  { file: 'src/domain/time.ts', code: 'export const systemClock: Clock = { now: () => Date.now() };',
    reason: 'src/domain/time.ts:195 — the one real clock, injected everywhere else' },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|mts|cts)$/.test(entry.name) ? [rel] : [];
  });
}

function clockCalls(): { file: string; line: number; code: string }[] {
  return CORE.flatMap(sourceFiles).flatMap((file) =>
    fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').flatMap((text, i) => {
      const code = text.trim();
      if (code.startsWith('//') || code.startsWith('*') || !CLOCK_CALL.test(code)) return [];
      return [{ file, line: i + 1, code }];
    }),
  );
}

describe('the clock is injected in domain, app, import and store', () => {
  it('no Date.now(), new Date() or performance.now() outside the allow-list', () => {
    const unexpected = clockCalls()
      .filter((c) => !ALLOWED.some((a) => a.file === c.file && a.code === c.code))
      .map((c) => `${c.file}:${c.line} ${c.code}`);
    expect(unexpected, 'read the time from the injected Clock (domain/time.ts) instead').toEqual([]);
  });

  it('every allow-list entry still occurs (delete the entry once the clock is injected there)', () => {
    const calls = clockCalls();
    const stale = ALLOWED.filter((a) => !calls.some((c) => c.file === a.file && c.code === a.code)).map((a) => a.reason);
    expect(stale).toEqual([]);
  });

  it('the scan sees each of the three forms', () => {
    for (const code of ['const t = Date.now();', 'const d = new Date();', 'const d = new Date( );', 'x = performance.now();'])
      expect(CLOCK_CALL.test(code), code).toBe(true);
    for (const code of ['new Date(ms)', 'new Date(`${day}T00:00:00+08:00`)', 'clock.now()', 'Date.parse(s)'])
      expect(CLOCK_CALL.test(code), code).toBe(false);
  });
});
