// Deterministic randomness for the benchmark data: mulberry32 (32-bit state, good enough for test
// data, fast, and the same sequence on every machine). Never Math.random: the files must be
// byte-identical for a given seed so runs on different days compare.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers over one generator. */
export function rng(seed) {
  const r = mulberry32(seed);
  return {
    next: r,
    /** Integer in [lo, hi] inclusive. */
    int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(r() * arr.length)],
    chance: (p) => r() < p,
    /** n random decimal digits (leading zeros allowed). */
    digits(n) {
      let s = '';
      while (n > 0) {
        const k = Math.min(n, 9);
        s += String(Math.floor(r() * 10 ** k)).padStart(k, '0');
        n -= k;
      }
      return s;
    },
    /** Picks from [[weight, value], ...]. */
    weighted(table) {
      let total = 0;
      for (const [w] of table) total += w;
      let x = r() * total;
      for (const [w, v] of table) {
        x -= w;
        if (x < 0) return v;
      }
      return table[table.length - 1][1];
    },
  };
}

/**
 * A bijection on [0, 10^12): i -> (i * A + B) mod 10^12 with A coprime to 10^12 (odd, not a
 * multiple of 5), so IDs built from it look random but never collide.
 */
const MOD = 1_000_000_000_000n;
const A = 736_481_927_113n;
const B = 271_828_182_845n;
export function scramble12(i) {
  return ((BigInt(i) * A + B) % MOD).toString().padStart(12, '0');
}
