#!/usr/bin/env node
// Runs the bundled CLI: dist/bin/ is built by `npm install`/`npm ci` through the prepare script
// (tsc, then rolldown; see rolldown.config.mjs for why a CommonJS bundle), with V8's code cache
// for its chunks (codeCache.js).
'use strict';
require('./codeCache.js').installCodeCache();
const { main } = require('../dist/bin/refunds.cjs');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`refunds: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
  },
);
