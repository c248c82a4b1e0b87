// User errors carry a message already in the user's language and end the process with exit 1
// (bad input, nothing written) or 2 (usage). Anything else is a bug and is reported as one.

export class UserError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, opts: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.exitCode = opts.exitCode ?? 1;
    this.hint = opts.hint;
  }
}

export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 2, hint });
    this.name = 'UsageError';
  }
}

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
