// Tests that need a tool of the machine (tmux, util-linux script, root for a tmpfs) skip where it is
// missing on a developer's machine, saying why, but never in CI: .ci/run provides each tool, so a
// missing one there is a broken CI setup and fails the run instead of passing with fewer tests.
export function toolAvailable(available: boolean, what: string): boolean {
  if (available) return true;
  if (process.env.CI) throw new Error(`${what} is missing in CI: .ci/run must provide it (these tests may not be skipped there)`);
  console.warn(`skipping tests that need ${what}: not available on this machine`);
  return false;
}
