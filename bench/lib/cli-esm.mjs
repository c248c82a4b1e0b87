// The CLI from tsc's ES modules (dist/cli/main.js) rather than the minified CommonJS bundle that
// bin/refunds.js runs: the same code, with file and line numbers a CPU profile can point at.
import { main } from '../../dist/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
