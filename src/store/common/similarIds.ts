// "Did you mean": the refund IDs close to a mistyped one, the same on both backends. Typos in long
// IDs are usually a wrong or missing digit, so the candidates share the first or the last six
// characters (LIKE patterns below); they are then ordered by edit distance.

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** The two LIKE patterns (ESCAPE '\'): same prefix, same suffix. */
export function similarIdPatterns(id: string): [string, string] {
  return [`${escapeLike(id.slice(0, 6))}%`, `%${escapeLike(id.slice(-6))}`];
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The `limit` candidates closest to `id`, nearest first (ties by ID). */
export function closestIds(id: string, candidates: readonly string[], limit: number): string[] {
  return candidates
    .map((c) => ({ id: c, d: editDistance(id, c) }))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((r) => r.id);
}
