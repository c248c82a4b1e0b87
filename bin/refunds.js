#!/usr/bin/env node
// Runs the compiled CLI (dist/ is built by `npm install`/`npm ci` through the prepare script).
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`refunds: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
  },
);
