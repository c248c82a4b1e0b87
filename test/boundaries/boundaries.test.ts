// The arrows of the house (issue 15), checked by dependency-cruiser with the repository's own
// .dependency-cruiser.cjs: every rule must fire on the bad tree, nothing on the good tree, and src
// must match its known-violations baseline exactly (new arrows fail; fixed arrows must leave the list).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const DEPCRUISE = path.join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const BASELINE = path.join(ROOT, '.dependency-cruiser-known-violations.json');
const FIXTURES = path.join(ROOT, 'test/fixtures/boundaries');

interface Violation { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }

function cruise(cwd: string, extra: string[] = []) {
  const run = spawnSync(DEPCRUISE, ['src', '--config', CONFIG, ...extra], { cwd, encoding: 'utf8' });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function violationsOf(cwd: string): Violation[] {
  const { stdout } = cruise(cwd, ['--output-type', 'json']);
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const arrow = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(' → ') : v.to}`;

// A stand-in `pg` package, so only-pg-imports-pg can be proven before pg is a dependency
// (node_modules/ is ignored by git).
beforeAll(() => {
  for (const tree of ['bad', 'good']) {
    const dir = path.join(FIXTURES, tree, 'node_modules/pg');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"pg","version":"0.0.0","main":"index.js"}\n');
    fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
  }
});

describe('the boundaries rules', () => {
  it('fail the bad tree, naming each broken rule and arrow', () => {
    const run = cruise(path.join(FIXTURES, 'bad'));
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('error domain-is-pure: src/domain/x.ts → src/store/y.ts');
    expect(run.stdout).toContain('error domain-is-pure: src/domain/readsDisk.ts → fs');
    expect(run.stdout).toMatch(/error app-no-backend-ui-cli: src\/app\/opensSqlite\.ts → \S*node_modules\/better-sqlite3\//);

    const found = violationsOf(path.join(FIXTURES, 'bad')).map(arrow).map((a) => a.replace(/\S*node_modules\//, 'node_modules/'));
    expect(found.sort()).toEqual([
      'app-no-backend-ui-cli: src/app/opensSqlite.ts → node_modules/better-sqlite3/lib/index.js',
      'app-no-backend-ui-cli: src/app/readsLine.ts → readline',
      'app-no-backend-ui-cli: src/app/speaks.ts → src/ui/i18n.ts',
      'backends-apart: src/store/pg/reachesSqlite.ts → src/store/sqlite/db.ts',
      'cli-picks-no-backend: src/cli/main.ts → src/store/sqlite/db.ts',
      'domain-is-pure: src/domain/readsDisk.ts → fs',
      'domain-is-pure: src/domain/storeTypes.ts → src/store/y.ts',
      'domain-is-pure: src/domain/x.ts → src/store/y.ts',
      'import-no-backend: src/import/writesStore.ts → src/store/y.ts',
      'no-runtime-cycles: src/cli/first.ts → src/cli/second.ts → src/cli/first.ts',
      'only-pg-imports-pg: src/lib/pgClient.ts → node_modules/pg/index.js',
      'only-sqlite-imports-better-sqlite3: src/app/opensSqlite.ts → node_modules/better-sqlite3/lib/index.js',
      'resolvable: src/cli/missing.ts → ./gone.js',
      'store-implements-ports: src/store/callsCli.ts → src/cli/main.ts',
      'store-implements-ports: src/store/usesUseCase.ts → src/app/useCase.ts',
      'ui-no-app-at-run-time: src/ui/loadsApp.ts → src/app/useCase.ts',
      'ui-no-app-at-run-time: src/ui/runsApp.ts → src/app/useCase.ts',
      'ui-no-store-cli: src/ui/touchesStore.ts → src/store/y.ts',
    ]);
  });

  it('pass the good tree: type-only ui → app, a backend’s own imports, store/open.ts picking one, a type-only cycle', () => {
    const run = cruise(path.join(FIXTURES, 'good'));
    expect(run.stdout).toContain('no dependency violations found');
    expect(run.code).toBe(0);
  });

  it('every rule in the config is proven by the bad tree', () => {
    const rules = (createRequire(__filename)(CONFIG) as { forbidden: { name: string }[] }).forbidden.map((r) => r.name);
    const fired = new Set(violationsOf(path.join(FIXTURES, 'bad')).map((v) => v.rule.name));
    expect(rules.filter((r) => !fired.has(r))).toEqual([]);
  });
});

describe('src against the known-violations baseline', () => {
  it('npm run boundaries passes (no arrow broken beyond the baseline)', () => {
    const run = cruise(ROOT, ['--ignore-known']);
    expect(run.stdout + run.stderr).toContain('no dependency violations found');
    expect(run.code).toBe(0);
  });

  it('a new broken arrow fails even with the baseline', () => {
    const run = cruise(path.join(FIXTURES, 'bad'), ['--ignore-known', BASELINE]);
    expect(run.stdout).toContain('error domain-is-pure: src/domain/x.ts → src/store/y.ts');
    expect(run.code).not.toBe(0);
  });

  it('the baseline lists only arrows still broken: remove an entry when its arrow is fixed', () => {
    const now = new Set(violationsOf(ROOT).map(arrow));
    const known = (JSON.parse(fs.readFileSync(BASELINE, 'utf8')) as Violation[]).map(arrow);
    expect(known.filter((k) => !now.has(k))).toEqual([]);
  });
});
