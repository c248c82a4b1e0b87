/**
 * The house's arrows (issue 15): file → import → app → store → domain → ui.
 * `npm run boundaries` (run by `npm test`) checks src against these rules, ignoring the arrows listed in
 * .dependency-cruiser-known-violations.json (the ones the refactor has not fixed yet; see
 * docs/dev/boundaries.md). test/boundaries/boundaries.test.ts proves every rule fires on a bad tree.
 *
 * "Run time" means the import survives compilation: `tsPreCompilationDeps: 'specify'` marks `import type`,
 * `import { type X }` and imports TypeScript erases (only types used) as pre-compilation-only.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'domain-is-pure', severity: 'error',
      comment: 'domain imports only domain and the rule data (types too): no node: builtins, no packages, no other folder',
      from: { path: '^src/domain/' }, to: { pathNot: '^src/(domain|rules)/' } },
    { name: 'app-no-backend-ui-cli', severity: 'error',
      comment: 'use cases see storage only through src/app/ports; no terminal, no t(), no Context',
      from: { path: '^src/app/' },
      to: { path: [
        '^src/(store|cli|ui|lib)/',
        'node_modules/(@types/)?(better-sqlite3|pg|pg-copy-streams|chalk|commander|@inquirer/[^/]+)/',
        '^(node:)?(readline|tty)($|/)',
      ] } },
    { name: 'import-no-backend', severity: 'error',
      comment: 'import hands batches to the ImportWriter port (types in domain); never a backend or a use case',
      from: { path: '^src/import/' }, to: { path: '^src/(store|app|cli|ui)/' } },
    { name: 'ui-no-app-at-run-time', severity: 'error',
      comment: 'ui may import view-model types from app/import, never their code (static, dynamic or require)',
      from: { path: '^src/ui/' }, to: { path: '^src/(app|import)/', preCompilationOnly: false } },
    { name: 'ui-no-store-cli', severity: 'error',
      comment: 'ui never sees the store or the cli, not even their types',
      from: { path: '^src/ui/' }, to: { path: '^src/(store|cli)/' } },
    { name: 'store-implements-ports', severity: 'error',
      comment: 'a backend imports domain, app/ports and its own folder only',
      from: { path: '^src/store/' }, to: { path: ['^src/(cli|ui|import)/', '^src/app/(?!ports/)'] } },
    { name: 'only-sqlite-imports-better-sqlite3', severity: 'error',
      from: { pathNot: '^src/store/sqlite/' }, to: { path: 'node_modules/(@types/)?better-sqlite3/' } },
    { name: 'only-pg-imports-pg', severity: 'error',
      from: { pathNot: '^src/store/pg/' }, to: { path: 'node_modules/(@types/)?(pg|pg-copy-streams)/' } },
    { name: 'backends-apart', severity: 'error',
      comment: 'sqlite and pg share code through store/common, never with each other ($1 = the importing backend)',
      from: { path: '^src/store/(sqlite|pg)/' }, to: { path: '^src/store/(sqlite|pg)/', pathNot: '^src/store/$1/' } },
    { name: 'cli-picks-no-backend', severity: 'error',
      comment: 'only src/store/open.ts chooses a backend (dynamic import)',
      from: { path: '^src/(cli|app|ui|import|domain)/' }, to: { path: '^src/store/(sqlite|pg)/' } },
    { name: 'no-runtime-cycles', severity: 'error',
      comment: 'a cycle every step of which survives compilation (type-only back edges are fine)',
      from: {}, to: { circular: true, preCompilationOnly: false, viaOnly: { dependencyTypesNot: ['pre-compilation-only'] } } },
    { name: 'resolvable', severity: 'error',
      comment: 'an import that points at nothing',
      from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    tsPreCompilationDeps: 'specify',
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/bench/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
