// A config value the tool cannot use, as the use cases report it (no catalog in src/app).
/**
 * A config value the tool cannot use: the file and what is wrong (untrusted text: the cli
 * sanitizes it). The cli says it as `error.config` and exits 1.
 */
export class ConfigProblem extends Error {
  override readonly name = 'ConfigProblem';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}
